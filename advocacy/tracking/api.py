"""``GET /api/v1/tracker/?assembly=<slug>``: the headline (now, or at a past
date with ``&as_of=YYYY-MM-DD``), the institutions' scorecards and one row per
adopted recommendation. An unknown slug, or an assembly whose tracker is not
public, is an empty list (200), never an error that would tell whether it
exists; no slug at all is a 400 saying what to send."""

from __future__ import annotations

from typing import Any

from django.utils.dateparse import parse_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from assemblies.models import Assembly
from assemblies.opendata import SLUG, OpenDataMixin, required_assembly_slug
from recommendations.models import Recommendation

from . import selectors


class HeadlineSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    implemented_in_full = serializers.IntegerField()
    implemented_in_part = serializers.IntegerField(help_text="Implemented in a weaker form, or in progress.")
    not_implemented = serializers.IntegerField(help_text="Not started, abandoned, or rejected.")
    no_response = serializers.IntegerField()
    total = serializers.IntegerField()


class TrackerSerializer(serializers.Serializer):
    assembly = serializers.CharField()
    headline = HeadlineSerializer()
    history = HeadlineSerializer(many=True, help_text="The headline at each date on which something changed.")
    scorecards = serializers.ListField(child=serializers.DictField())
    recommendations = serializers.ListField(child=serializers.DictField())


class TrackerViewSet(OpenDataMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The public tracker of one assembly (``?assembly=<slug>``)."""

    serializer_class = TrackerSerializer
    permission_classes = [permissions.AllowAny]
    throttle_scope = "anon"
    requires_assembly = True
    queryset = Recommendation.objects.none()  # for the schema only

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "assembly", OpenApiTypes.STR, description="The assembly's slug", required=True, pattern=SLUG
            ),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="The headline at the end of this date"),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from .views import _public_row

        slug = required_assembly_slug(request)
        assembly = Assembly.objects.public().filter(slug=slug).first()
        rows: list[dict[str, Any]] = []
        if assembly is not None and selectors.tracker_is_public(assembly):
            try:
                as_of = parse_date(str(request.query_params.get("as_of", "")))
            except ValueError:
                as_of = None
            rows.append(
                {
                    "assembly": assembly.slug,
                    "headline": selectors.headline(assembly, as_of).as_dict(),
                    "history": [point.as_dict() for point in selectors.headline_series(assembly)],
                    "scorecards": [card.as_dict() for card in selectors.scorecards(assembly)],
                    "recommendations": [
                        _public_row(row, request.build_absolute_uri, assembly)
                        for row in selectors.tracker_rows(assembly, public=True)
                    ],
                }
            )
        page: Any = self.paginate_queryset(rows)
        return self.get_paginated_response(TrackerSerializer(page, many=True).data)
