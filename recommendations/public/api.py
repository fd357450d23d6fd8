"""``GET /api/v1/recommendations/?assembly=<slug>``: the published
recommendations of a published assembly, with their aggregate results. An
unknown or unpublished slug is an empty list (200), never an error that would
tell whether it exists; no slug at all is a 400 saying what to send."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from assemblies.opendata import SLUG, OpenDataMixin, required_assembly_slug

from ..models import Recommendation
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
    """Published recommendations of one assembly (``?assembly=<slug>``), under
    the assembly's open data licence."""

    serializer_class = PublicRecommendationSerializer
    permission_classes = [permissions.AllowAny]
    throttle_scope = "anon"
    requires_assembly = True

    # For the schema only: the rows come from the public selector, not a queryset.
    queryset = Recommendation.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "assembly", OpenApiTypes.STR, description="The assembly's slug", required=True, pattern=SLUG
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        slug = required_assembly_slug(request)
        assembly = selectors.published_assemblies().filter(slug=slug).first()
        rows = selectors.public_rows(assembly, request.build_absolute_uri) if assembly is not None else []
        page: Any = self.paginate_queryset(rows)
        return self.get_paginated_response(PublicRecommendationSerializer(page, many=True).data)
