from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .services import ORGANISE


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Organisers land in the admin, everyone else in the members' portal."""
    if request.user.has_perm(ORGANISE):
        return redirect("admin:index")
    return redirect("portal:home")


@login_required
def email_managed(request: HttpRequest) -> HttpResponse:
    """Stands in for allauth's email page: it shows the address and says who
    changes it. Every POST (add, remove, make primary, resend) is refused."""
    status = 200 if request.method in ("GET", "HEAD") else 405
    response = render(request, "accounts/email_managed.html", status=status)
    if status == 405:
        response["Allow"] = "GET, HEAD"
    return response
