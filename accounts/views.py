from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from assemblies.selectors import is_organiser_anywhere


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Organisers land in the admin, everyone else in the members' portal."""
    if request.user.is_superuser or is_organiser_anywhere(request.user):
        return redirect("admin:index")
    return redirect("portal:home")
