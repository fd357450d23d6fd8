from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("advocacy.tracking.portal_urls")),
    path("", include("advocacy.power.portal_urls")),
    path("", include("advocacy.people.portal_urls")),
]
