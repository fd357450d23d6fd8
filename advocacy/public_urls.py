from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("advocacy.tracking.public_urls")),
    path("", include("advocacy.people.public_urls")),
]
