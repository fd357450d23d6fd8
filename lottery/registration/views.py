"""Public registration with a code (stage 2): code, then details, then thanks.

Thin: the code step resolves the invitation (and so the assembly) and keeps
its id in the session; the details step builds the assembly's form and calls
``respondent_register``. No account is needed, and nothing here needs
JavaScript.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache

from assemblies.actors import SYSTEM
from assemblies.models import Stage
from lottery.models import Invitation

from . import services
from .forms import (
    CLOSED_MESSAGE,
    UNKNOWN_CODE_MESSAGE,
    USED_CODE_MESSAGE,
    CodeForm,
    RegistrationForm,
)

SESSION_KEY = "lottery_registration_invitation"
DONE_KEY = "lottery_registration_done"
#: Attempts at the code step per IP and minute before a 429.
DEFAULT_RATE_LIMIT = 20


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _over_rate_limit(request: HttpRequest) -> bool:
    """A fixed one-minute window per IP, counted in the cache (shared by workers with Redis)."""
    limit = getattr(settings, "PLENARY_REGISTRATION_CODE_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    key = f"lottery:register-code:{_client_ip(request)}"
    cache.add(key, 0, timeout=60)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        attempts = 1
    return attempts > limit


def _open_invitation(code: str) -> tuple[Invitation | None, str | None]:
    """The invitation of ``code`` if it may register now, else the message to show."""
    invitation = Invitation.objects.select_related("assembly").filter(code=code).first()
    if invitation is None:
        return None, str(UNKNOWN_CODE_MESSAGE)
    if invitation.used_at is not None:
        return None, str(USED_CODE_MESSAGE)
    if invitation.assembly.stage != Stage.RECRUITING:
        return None, str(CLOSED_MESSAGE)
    return invitation, None


@never_cache
def register(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if _over_rate_limit(request):
            return render(request, "lottery/register/rate_limited.html", status=429)
        form = CodeForm(request.POST)
        if form.is_valid():
            invitation, problem = _open_invitation(form.cleaned_data["code"])
            if invitation is not None:
                request.session.cycle_key()
                request.session[SESSION_KEY] = invitation.pk
                request.session.pop(DONE_KEY, None)
                return redirect("lottery:register-details")
            form.add_error("code", problem or str(UNKNOWN_CODE_MESSAGE))
    else:
        # The letter's QR code carries ?code=...: pre-filled, still to be confirmed.
        form = CodeForm(initial={"code": request.GET.get("code", "")[:40]})
    return render(request, "lottery/register/code.html", {"form": form})


@never_cache
def register_details(request: HttpRequest) -> HttpResponse:
    invitation_id = request.session.get(SESSION_KEY)
    invitation = (
        Invitation.objects.select_related("assembly").filter(pk=invitation_id).first()
        if invitation_id
        else None
    )
    if invitation is None:
        return redirect("lottery:register")
    assembly = invitation.assembly
    recruitment = services.recruitment_settings(assembly)
    if invitation.used_at is not None or assembly.stage != Stage.RECRUITING:
        request.session.pop(SESSION_KEY, None)
        code_form = CodeForm()
        code_form.add_error(None, USED_CODE_MESSAGE if invitation.used_at else CLOSED_MESSAGE)
        return render(request, "lottery/register/code.html", {"form": code_form})
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        assembly=assembly,
        settings=recruitment,
        language=translation.get_language(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.respondent_register(
                invitation=invitation,
                data=form.registration_data(),
                language=translation.get_language() or settings.LANGUAGE_CODE,
                by=SYSTEM,  # the code is the visitor's authority
            )
        except services.CodeAlreadyUsed:
            request.session.pop(SESSION_KEY, None)
            code_form = CodeForm()
            code_form.add_error(None, USED_CODE_MESSAGE)
            return render(request, "lottery/register/code.html", {"form": code_form})
        request.session.pop(SESSION_KEY, None)
        request.session[DONE_KEY] = assembly.pk
        return redirect("lottery:register-done")
    return render(
        request,
        "lottery/register/details.html",
        {"form": form, "assembly": assembly, "recruitment": recruitment},
    )


def register_done(request: HttpRequest) -> HttpResponse:
    from assemblies.models import Assembly

    done = request.session.get(DONE_KEY)
    assembly = Assembly.objects.filter(pk=done).first() if done else None
    recruitment = services.recruitment_settings(assembly) if assembly else None
    return render(request, "lottery/register/done.html", {"assembly": assembly, "recruitment": recruitment})
