from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:slug>/evidence/", views.portal_evidence, name="deliberation_evidence"),
    path(
        "<slug:slug>/evidence/<int:pk>/file/", views.portal_evidence_file, name="deliberation_evidence_file"
    ),
    path("<slug:slug>/questions/", views.portal_questions, name="deliberation_questions"),
    path(
        "<slug:slug>/facilitate/questions/",
        views.facilitate_questions,
        name="deliberation_facilitate_questions",
    ),
]
