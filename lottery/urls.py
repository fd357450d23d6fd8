"""Public URLs of recruitment and selection (mounted at the site root).

Each part of the lottery keeps its own URL module; this one only mounts them.
"""

from __future__ import annotations

from django.urls import include, path

app_name = "lottery"

urlpatterns = [
    path("register/", include("lottery.registration.urls")),
    path("", include("lottery.selection.public_urls")),
]
