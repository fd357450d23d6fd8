"""``GET /api/v1/sessions/?assembly=<slug>``: the public programme, as data."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from assemblies.opendata import ASSEMBLY_PARAMETER, OpenDataMixin, assembly_filter

from ..models import AgendaItem, Session
from .selectors import agenda_timeline, public_sessions_everywhere


class PublicSpeakerSerializer(serializers.Serializer):
    name = serializers.CharField()
    organisation = serializers.CharField()
    kind = serializers.CharField()


class AgendaItemSerializer(serializers.ModelSerializer):
    starts_at = serializers.SerializerMethodField()
    ends_at = serializers.SerializerMethodField()
    topic = serializers.SerializerMethodField()
    speakers = PublicSpeakerSerializer(many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "position",
            "kind",
            "title",
            "description",
            "minutes",
            "starts_at",
            "ends_at",
            "topic",
            "speakers",
        ]

    def _times(self, item: AgendaItem) -> Any:
        times: dict[int, Any] = self.context.setdefault("_times", {})
        if item.pk not in times:
            for timed in agenda_timeline(item.session, list(item.session.items.all())):
                times[timed.item.pk] = timed
        return times[item.pk]

    def get_starts_at(self, item: AgendaItem) -> str:
        return serializers.DateTimeField().to_representation(self._times(item).starts_at)

    def get_ends_at(self, item: AgendaItem) -> str:
        return serializers.DateTimeField().to_representation(self._times(item).ends_at)

    def get_topic(self, item: AgendaItem) -> str | None:
        return item.topic.name if item.topic else None


class PublicSessionSerializer(serializers.ModelSerializer):
    assembly: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    agenda = AgendaItemSerializer(source="items", many=True, read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "assembly",
            "title",
            "starts_at",
            "ends_at",
            "mode",
            "venue_name",
            "venue_address",
            "access_info",
            "status",
            "agenda",
        ]


@extend_schema_view(list=extend_schema(parameters=[ASSEMBLY_PARAMETER]))
class PublicSessionViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    """Public sessions of public assemblies, with their agenda (times and the
    speakers named publicly), under each assembly's open data licence."""

    serializer_class = PublicSessionSerializer
    permission_classes = [permissions.AllowAny]
    throttle_scope = "anon"

    def get_queryset(self) -> QuerySet[Session]:
        sessions = public_sessions_everywhere().order_by("starts_at", "id")
        if self.action == "list" and (slug := assembly_filter(self.request)) is not None:
            sessions = sessions.filter(assembly__slug=slug)
        return sessions
