"""Public registration with a code (stage 2): code, then details, then thanks.

Thin: the code step resolves the invitation (and so the assembly) and keeps
its id in the session; the details step builds the assembly's form and calls
``respondent_register``. No account is needed, and nothing here needs
JavaScript.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache

from assemblies.actors import SYSTEM
from assemblies.models import Assembly, Stage
from lottery.models import Invitation, RecruitmentSettings
from lottery.rate_limits import over_rate_limit

from . import services
from .forms import (
    UNKNOWN_CODE_MESSAGE,
    USED_CODE_MESSAGE,
    CodeForm,
    RegistrationForm,
)
from .status import Reason, RegistrationStatus, registration_status

SESSION_KEY = "lottery_registration_invitation"
DONE_KEY = "lottery_registration_done"


def _over_rate_limit(request: HttpRequest) -> bool:
    return over_rate_limit(request, "register-code")


def _find_invitation(code: str) -> tuple[Invitation | None, str | None]:
    """The unused invitation of ``code``, else the message to show on the code form."""
    invitation = Invitation.objects.select_related("assembly__organisation").filter(code=code).first()
    if invitation is None:
        return None, str(UNKNOWN_CODE_MESSAGE)
    if invitation.used_at is not None:
        return None, str(USED_CODE_MESSAGE)
    return invitation, None


def _closed(request: HttpRequest, assembly: Assembly, state: RegistrationStatus) -> HttpResponse:
    """The plain page for a registration that is not open: why, until when, whom to ask."""
    request.session.pop(SESSION_KEY, None)
    return render(
        request,
        "lottery/register/closed.html",
        {"assembly": assembly, "state": state, "Reason": Reason},
    )


def _used(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    code_form = CodeForm()
    code_form.add_error(None, USED_CODE_MESSAGE)
    return render(request, "lottery/register/code.html", {"form": code_form})


@never_cache
def register(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if _over_rate_limit(request):
            return render(request, "lottery/register/rate_limited.html", status=429)
        form = CodeForm(request.POST)
        if form.is_valid():
            invitation, problem = _find_invitation(form.cleaned_data["code"])
            if invitation is not None:
                state = registration_status(
                    invitation.assembly, services.recruitment_settings(invitation.assembly)
                )
                if not state.is_open:
                    return _closed(request, invitation.assembly, state)
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
        Invitation.objects.select_related("assembly__organisation").filter(pk=invitation_id).first()
        if invitation_id
        else None
    )
    if invitation is None:
        return redirect("lottery:register")
    assembly = invitation.assembly
    recruitment = services.recruitment_settings(assembly)
    if invitation.used_at is not None:
        return _used(request)
    state = registration_status(assembly, recruitment)
    if not state.is_open:
        return _closed(request, assembly, state)
    language = translation.get_language() or settings.LANGUAGE_CODE
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        assembly=assembly,
        settings=recruitment,
        language=language,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.respondent_register(
                invitation=invitation,
                data=form.registration_data(),
                language=language,
                by=SYSTEM,  # the code is the visitor's authority
            )
        except services.CodeAlreadyUsed:
            return _used(request)
        except services.RegistrationClosed:
            return _closed(request, assembly, registration_status(assembly, recruitment))
        request.session.pop(SESSION_KEY, None)
        request.session[DONE_KEY] = assembly.pk
        return redirect("lottery:register-done")
    return render(
        request,
        "lottery/register/details.html",
        {
            "form": form,
            "assembly": assembly,
            "recruitment": recruitment,
            "privacy_notice": recruitment.privacy_notice_in(language),
            "state": state,
        },
    )


def register_done(request: HttpRequest) -> HttpResponse:
    done = request.session.get(DONE_KEY)
    assembly = Assembly.objects.select_related("organisation").filter(pk=done).first() if done else None
    recruitment = services.recruitment_settings(assembly) if assembly else None
    return render(request, "lottery/register/done.html", {"assembly": assembly, "recruitment": recruitment})


def privacy_notice(request: HttpRequest, slug: str) -> HttpResponse:
    """The assembly's privacy notice on its own page, in the visitor's language
    where translated: linked from the form and the letters. Draft assemblies
    and assemblies without a notice do not have one to show."""
    assembly = get_object_or_404(
        Assembly.objects.select_related("organisation").exclude(stage=Stage.DRAFT), slug=slug
    )
    recruitment = RecruitmentSettings.objects.filter(assembly=assembly).first()
    text = recruitment.privacy_notice_in() if recruitment else ""
    if not text.strip():
        raise Http404
    return render(
        request,
        "lottery/register/privacy.html",
        {"assembly": assembly, "recruitment": recruitment, "privacy_notice": text},
    )
