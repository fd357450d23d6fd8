from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:slug>/tables/", views.my_tables, name="deliberation_my_tables"),
    path("<slug:slug>/facilitate/tables/", views.facilitate_tables, name="deliberation_facilitate_tables"),
    path(
        "<slug:slug>/facilitate/tables/<int:pk>/round/<int:number>/",
        views.facilitate_output,
        name="deliberation_facilitate_output",
    ),
    path("<slug:slug>/minutes/", views.minutes_list, name="deliberation_minutes"),
    path("<slug:slug>/minutes/<int:pk>/", views.minutes_detail, name="deliberation_minutes_detail"),
]
