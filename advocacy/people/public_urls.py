from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("affiliates/", views.affiliates, name="affiliates"),
    path("affiliates/sign/", views.affiliate_sign, name="affiliate_sign"),
    path("affiliates/confirm/<str:token>/", views.affiliate_confirm, name="affiliate_confirm"),
    path("affiliates/report/<str:token>/", views.affiliate_report, name="affiliate_report"),
    path("news/", views.news, name="news"),
]
