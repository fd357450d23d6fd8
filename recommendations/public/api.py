"""``GET /api/v1/recommendations/[?assembly=<slug>]``: the published
recommendations of every published assembly, or of one, with their aggregate
results. An unknown or unpublished slug is an empty list (200), never an error
that would tell whether it exists."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from assemblies.opendata import ASSEMBLY_PARAMETER, OpenDataMixin, RowsOfAssemblies, assembly_filter

from ..models import Recommendation, RecommendationStatus
from . import selectors


class ResultSerializer(serializers.Serializer):
    final = serializers.BooleanField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Votes by option.")
    votes = serializers.IntegerField(help_text="Every vote cast, abstentions included.")
    counted = serializers.IntegerField(help_text="The votes the threshold is measured against.")
    in_favour = serializers.IntegerField()
    share = serializers.FloatField(help_text="in_favour / counted")
    threshold = serializers.CharField(help_text="majority, two_thirds or eighty")
    threshold_share = serializers.FloatField()
    abstentions_count = serializers.BooleanField()
    quorum = serializers.IntegerField()
    quorum_met = serializers.BooleanField()
    adopted = serializers.BooleanField()
    turnout = serializers.IntegerField()
    electorate = serializers.IntegerField()


class PublicRecommendationSerializer(serializers.Serializer):
    assembly = serializers.CharField()
    number = serializers.IntegerField()
    title = serializers.CharField(help_text="In the requested language where translated, else the original.")
    text = serializers.CharField(help_text="Markdown.")
    addressee = serializers.CharField()
    level = serializers.CharField()
    topics = serializers.ListField(child=serializers.CharField())
    url = serializers.URLField()
    result = ResultSerializer(allow_null=True)

    def to_representation(self, instance: Any) -> Any:
        """Keys other apps add (``extensions.row_fields``) follow the declared ones."""
        data = super().to_representation(instance)
        if isinstance(instance, dict):
            for key, value in instance.items():
                if key not in self.fields:
                    data[key] = value
        return data


class PublicRecommendationViewSet(OpenDataMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Published recommendations with their results: every published
    assembly's (by assembly, then number), or one assembly's with
    ``?assembly=<slug>``; each under its assembly's open data licence."""

    serializer_class = PublicRecommendationSerializer
    permission_classes = [permissions.AllowAny]
    throttle_scope = "anon"

    # For the schema only: the rows come from the public selector, not a queryset.
    queryset = Recommendation.objects.none()

    @extend_schema(parameters=[ASSEMBLY_PARAMETER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assemblies = selectors.published_assemblies().select_related("organisation").order_by("title", "pk")
        slug = assembly_filter(request)
        if slug is not None:
            assemblies = assemblies.filter(slug=slug)
        counts = dict(
            Recommendation.objects.filter(assembly__in=assemblies, status=RecommendationStatus.ADOPTED)
            .values_list("assembly")
            .annotate(n=Count("pk"))
        )
        rows = RowsOfAssemblies(
            [(assembly, counts.get(assembly.pk, 0)) for assembly in assemblies],
            lambda assembly: selectors.public_rows(assembly, request.build_absolute_uri),
        )
        page: Any = self.paginate_queryset(rows)
        return self.get_paginated_response(PublicRecommendationSerializer(page, many=True).data)
