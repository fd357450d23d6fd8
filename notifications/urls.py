"""The demo mailbox; mounted at /dev/mailbox/ only when PLENARY_DEMO_MAILBOX."""

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.mailbox, name="mailbox"),
    path("<int:pk>/", views.mailbox_detail, name="mailbox-detail"),
]
