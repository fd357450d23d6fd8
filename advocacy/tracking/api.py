"""``GET /api/v1/tracker/[?assembly=<slug>]``: per assembly whose tracker is
public (or the one named), the headline (now, or at a past date with
``as_of=YYYY-MM-DD``; anything else is a 400), the institutions' scorecards
and one row per adopted recommendation. An unknown slug, or an assembly whose
tracker is not public, is an empty list (200), never an error that would tell
whether it exists."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from assemblies.models import Assembly
from assemblies.opendata import ASSEMBLY_PARAMETER, OpenDataMixin, RowsOfAssemblies, assembly_filter
from assemblies.query_params import query_date
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
    """The public tracker of every assembly whose tracker is public (one row
    each), or of one with ``?assembly=<slug>``."""

    serializer_class = TrackerSerializer
    permission_classes = [permissions.AllowAny]
    throttle_scope = "anon"
    queryset = Recommendation.objects.none()  # for the schema only

    @extend_schema(
        parameters=[
            ASSEMBLY_PARAMETER,
            OpenApiParameter(
                "as_of",
                OpenApiTypes.DATE,
                description="The headline at the end of this date, written YYYY-MM-DD (absent: today). "
                "Anything else, blank included, is a 400.",
            ),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assemblies = [
            assembly
            for assembly in Assembly.objects.public().select_related("organisation").order_by("title", "pk")
            if selectors.tracker_is_public(assembly)
        ]
        slug = assembly_filter(request)
        as_of = query_date(request, "as_of")
        if slug is not None:
            assemblies = [assembly for assembly in assemblies if assembly.slug == slug]
        rows = RowsOfAssemblies(
            [(assembly, 1) for assembly in assemblies],
            lambda assembly: [self._tracker_of(assembly, as_of)],
        )
        page: Any = self.paginate_queryset(rows)
        return self.get_paginated_response(TrackerSerializer(page, many=True).data)

    def _tracker_of(self, assembly: Assembly, as_of: Any) -> dict[str, Any]:
        from .views import _public_row

        build_url = self.request.build_absolute_uri
        return {
            "assembly": assembly.slug,
            "headline": selectors.headline(assembly, as_of).as_dict(),
            "history": [point.as_dict() for point in selectors.headline_series(assembly)],
            "scorecards": [card.as_dict() for card in selectors.scorecards(assembly)],
            "recommendations": [
                _public_row(row, build_url, assembly) for row in selectors.tracker_rows(assembly, public=True)
            ],
        }
