"""The API's router: one index at /api/v1/ that answers anyone. Apps add their
viewsets with ``registry.api(ApiEndpoint(...))`` from ``AppConfig.ready()``."""

from __future__ import annotations

from rest_framework import permissions, routers

from assemblies.registry import registry


class PublicRootView(routers.APIRootView):
    permission_classes = [permissions.AllowAny]


class Router(routers.DefaultRouter):
    APIRootView = PublicRootView


router = Router()
for endpoint in registry.api_endpoints:
    router.register(endpoint.prefix, endpoint.viewset, basename=endpoint.basename)
