from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    # A member's private feed: the token is the key (reset from the portal).
    path("calendar/<str:token>.ics", views.member_calendar, name="member_calendar"),
]
