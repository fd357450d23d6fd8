from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import admin_platform, views  # noqa: F401  (admin_platform wraps third-party admins)
from .api import router

urlpatterns = [
    path("", include("assemblies.urls")),
    path("portal/", include("assemblies.portal_urls")),
    path("", include("lottery.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include((router.urls, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("health/", views.health, name="health"),
    path("i18n/setlang/", set_language, name="set_language"),
]

if settings.ANYMAIL.get("WEBHOOK_SECRET"):
    # Providers' delivery and bounce webhooks (basic-auth protected by anymail).
    urlpatterns.append(path("anymail/", include("anymail.urls")))

if settings.PLENARY_DEMO_MAILBOX:
    urlpatterns.append(path("dev/mailbox/", include("notifications.urls")))
