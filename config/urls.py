"""The site's URLs. Apps' public, portal and organiser pages are not listed
here: each app registers them in ``assemblies.registry`` from its
``AppConfig.ready()`` and they are mounted by discovery (public pages under
/assemblies/<slug>/, portal pages under /portal/, screens under /admin/)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from assemblies.registry import registry

from . import admin_platform, views  # noqa: F401  (admin_platform wraps third-party admins)
from .api import router

urlpatterns = [
    *registry.url_patterns(),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include((router.urls, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("health/", views.health, name="health"),
    # Without a CSRF token, so that the language form leaves public pages
    # cacheable (config.public_cache). The worst a forged post can do is
    # switch a visitor's language; ``next`` is still checked to stay on this site.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
]

if settings.ANYMAIL.get("WEBHOOK_SECRET"):
    # Providers' delivery and bounce webhooks (basic-auth protected by anymail).
    urlpatterns.append(path("anymail/", include("anymail.urls")))

if settings.PLENARY_DEMO_MAILBOX:
    urlpatterns.append(path("dev/mailbox/", include("notifications.urls")))
