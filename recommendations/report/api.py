"""``GET /api/v1/reports/[?assembly=<slug>]``: the published reports of every
published assembly, or of one, each version with its files (size, SHA-256,
address). An unknown or unpublished slug is an empty list (200), like the
recommendations."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from assemblies.models import Assembly
from assemblies.opendata import SLUG, OpenDataMixin, RowsOfAssemblies, assembly_filter
from reports.models import Document, DocumentStatus
from reports.services import ordered_files

from ..public.selectors import published_assemblies
from . import public


class ReportFileSerializer(serializers.Serializer):
    format = serializers.CharField(help_text="pdf, json or csv")
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes.")
    sha256 = serializers.CharField(help_text="SHA-256 of the file's bytes, 64 hexadecimal characters.")
    url = serializers.URLField()


class PublicReportSerializer(serializers.Serializer):
    assembly = serializers.CharField(source="assembly.slug")
    kind = serializers.CharField(help_text="final or progress")
    title = serializers.CharField()
    language = serializers.CharField()
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    as_of = serializers.DateField(allow_null=True, help_text="The date a progress report describes.")
    pages = serializers.IntegerField()
    files = serializers.SerializerMethodField()

    @extend_schema_field(ReportFileSerializer(many=True))
    def get_files(self, document: Document) -> list[dict[str, Any]]:
        build = self.context["request"].build_absolute_uri
        slug = document.assembly.slug
        return [
            {
                "format": f.format,
                "content_type": f.content_type,
                "size": f.size,
                "sha256": f.sha256,
                "url": build(public.file_url(slug, document, f.format)),
            }
            for f in ordered_files(document)
        ]


class PublicReportViewSet(OpenDataMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Published reports of every published assembly, or of one with
    ``?assembly=<slug>`` (per assembly: the final report first, the newest
    version first), each under its assembly's open data licence."""

    serializer_class = PublicReportSerializer
    permission_classes = [permissions.AllowAny]
    throttle_scope = "anon"
    queryset = Document.objects.none()  # for the schema; rows come from the public selector

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "assembly",
                OpenApiTypes.STR,
                description="Only this assembly's (its slug); an unknown one lists nothing",
                pattern=SLUG,
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assemblies = published_assemblies().select_related("organisation").order_by("title", "pk")
        slug = assembly_filter(request)
        if slug is not None:
            assemblies = assemblies.filter(slug=slug)
        counts = dict(
            Document.objects.filter(assembly__in=assemblies, status=DocumentStatus.PUBLISHED)
            .values_list("assembly")
            .annotate(n=Count("pk"))
        )

        def documents_of(assembly: Assembly) -> list[Document]:
            documents = list(public.published_documents(assembly))
            for document in documents:
                document.assembly = assembly
            return documents

        rows = RowsOfAssemblies([(a, counts.get(a.pk, 0)) for a in assemblies], documents_of)
        page: Any = self.paginate_queryset(rows)
        return self.get_paginated_response(
            PublicReportSerializer(page, many=True, context=self.get_serializer_context()).data
        )
