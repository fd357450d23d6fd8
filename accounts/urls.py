from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [path("welcome/", views.after_login, name="after-login")]
