from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("evidence/", views.evidence_library, name="evidence_library"),
    path("evidence/<int:pk>/file/", views.evidence_public_file, name="evidence_public_file"),
]
