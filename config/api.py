"""The API's router: one index at /api/v1/ that answers anyone."""

from __future__ import annotations

from rest_framework import permissions, routers

from assemblies.api import ManagedAssemblyViewSet, PublicAssemblyViewSet


class PublicRootView(routers.APIRootView):
    permission_classes = [permissions.AllowAny]


class Router(routers.DefaultRouter):
    APIRootView = PublicRootView


router = Router()
router.register("assemblies", PublicAssemblyViewSet, basename="public-assembly")
router.register("manage/assemblies", ManagedAssemblyViewSet, basename="managed-assembly")
