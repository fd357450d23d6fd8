from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, permissions, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.permissions import OrganiserMFA

from . import selectors, services
from .models import Assembly
from .opendata import ASSEMBLY_PARAMETER, LicenceSerializer, OpenDataMixin, assembly_filter, licence_of
from .registry import registry
from .rules import SEE_PERSONAL_DATA
from .serializers import (
    AuditEventSerializer,
    ManagedAssemblySerializer,
    MemberSerializer,
    PublicAssemblySerializer,
    TransitionSerializer,
)

FIGURES_SCHEMA = inline_serializer(
    "AssemblyFigures",
    {
        "members": drf_serializers.IntegerField(),
        "figures": drf_serializers.ListField(child=drf_serializers.DictField()),
        "licence": LicenceSerializer(),
    },
)


class HasAssemblyPerm(permissions.BasePermission):
    """Checks a rules permission against the object's assembly. Objects outside
    the user's tenant never get here: the queryset already 404s them."""

    def has_object_permission(self, request: Request, view: Any, obj: Assembly) -> bool:
        perm = getattr(view, "perms", {}).get(view.action, "assemblies.view_assembly")
        return bool(request.user.has_perm(perm, obj))


@extend_schema_view(list=extend_schema(parameters=[ASSEMBLY_PARAMETER]))
class PublicAssemblyViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    """Assemblies shown on the public site, each with its open data licence."""

    serializer_class = PublicAssemblySerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"
    throttle_scope = "anon"

    def get_queryset(self) -> QuerySet[Assembly]:
        assemblies = Assembly.objects.public().select_related("organisation").order_by("-starts_on", "title")
        if self.action == "list" and (slug := assembly_filter(self.request)) is not None:
            assemblies = assemblies.filter(slug=slug)
        return assemblies

    @extend_schema(responses=FIGURES_SCHEMA)
    @action(detail=True, methods=["get"])
    def figures(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The figures the public pages show, from the same selectors: seated
        members, and each public section's figures (e.g. the panel's seats)."""
        assembly = self.get_object()
        sections = [
            {"section": s.key, "label": str(f.label), "value": f.value}
            for s in registry.public_sections_for(assembly)
            for f in s.figures
        ]
        return Response(
            {
                "members": selectors.member_count(assembly),
                "figures": sections,
                "licence": licence_of(assembly),
            }
        )


class ManagedAssemblyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Assemblies the caller organises (token or session)."""

    serializer_class = ManagedAssemblySerializer
    permission_classes = [permissions.IsAuthenticated, OrganiserMFA, HasAssemblyPerm]
    perms = {
        "retrieve": "assemblies.view_assembly",
        "update": "assemblies.manage_assembly",
        "partial_update": "assemblies.manage_assembly",
        "transition": "assemblies.change_stage",
        # Names and email addresses: personal data, like respondents.
        "members": SEE_PERSONAL_DATA,
        "audit_events": "assemblies.view_audit",
    }

    def get_queryset(self) -> QuerySet[Assembly]:
        return (
            selectors.assemblies_for_organiser(self.request.user)
            .select_related("organisation")
            .order_by("id")
        )

    @extend_schema(request=TransitionSerializer, responses=ManagedAssemblySerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assembly = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            assembly = services.assembly_transition(
                assembly=assembly, to_stage=payload.validated_data["to"], by=request.user
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise ValidationError({"to": exc.messages}) from exc
        return Response(ManagedAssemblySerializer(assembly, context={"request": request}).data)

    @extend_schema(responses=MemberSerializer(many=True))
    @action(detail=True, methods=["get"])
    def members(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assembly = self.get_object()
        members = assembly.members.select_related("user").order_by("display_name", "id")
        page = self.paginate_queryset(members)
        return self.get_paginated_response(MemberSerializer(page, many=True).data)

    @extend_schema(responses=AuditEventSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="audit-events")
    def audit_events(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assembly = self.get_object()
        events = assembly.audit_events.select_related("actor")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(AuditEventSerializer(page, many=True).data)
