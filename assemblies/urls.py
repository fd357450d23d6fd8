from django.urls import path

from . import views

app_name = "assemblies"

urlpatterns = [
    path("", views.home, name="home"),
    path("assemblies/<slug:slug>/", views.public_detail, name="public-detail"),
]
