"""The project's URLs with the demo mailbox mounted, whatever DEBUG was at import."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *(p for p in project_urlpatterns if getattr(p, "namespace", None) != "notifications"),
    path("dev/mailbox/", include("notifications.urls")),
]
