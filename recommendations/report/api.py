"""``GET /api/v1/reports/?assembly=<slug>``: the published reports of a
published assembly, each version with its files (size, SHA-256, address). An
unknown or unpublished slug is an empty list (200), like the recommendations;
no slug at all is a 400 saying what to send."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from assemblies.opendata import SLUG, OpenDataMixin, required_assembly_slug
from reports.models import Document
from reports.services import ordered_files

from . import public


class ReportFileSerializer(serializers.Serializer):
    format = serializers.CharField(help_text="pdf, json or csv")
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes.")
    sha256 = serializers.CharField(help_text="SHA-256 of the file's bytes, 64 hexadecimal characters.")
    url = serializers.URLField()


class PublicReportSerializer(serializers.Serializer):
    assembly = serializers.CharField(source="assembly_slug")
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
        slug = self.context["assembly_slug"]
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
    """Published reports of one assembly (``?assembly=<slug>``), newest version
    first, under the assembly's open data licence."""

    serializer_class = PublicReportSerializer
    permission_classes = [permissions.AllowAny]
    throttle_scope = "anon"
    requires_assembly = True
    queryset = Document.objects.none()  # for the schema; rows come from the public selector

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "assembly", OpenApiTypes.STR, description="The assembly's slug", required=True, pattern=SLUG
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assembly = public.assembly_for_api(required_assembly_slug(request))
        documents = public.published_documents(assembly) if assembly is not None else Document.objects.none()
        page: Any = self.paginate_queryset(documents)
        for document in page:
            document.assembly_slug = assembly.slug if assembly else ""
        context = {**self.get_serializer_context(), "assembly_slug": assembly.slug if assembly else ""}
        return self.get_paginated_response(PublicReportSerializer(page, many=True, context=context).data)
