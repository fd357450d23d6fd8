"""Public URLs of recruitment and selection (mounted at the site root)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "lottery"

urlpatterns: list[URLPattern | URLResolver] = []
