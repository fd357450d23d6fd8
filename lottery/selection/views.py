"""Public pages of the lottery: how the members were chosen, the public
bundle, and the selected respondent's confirm-or-decline page."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from assemblies.access import public_assembly
from assemblies.actors import SYSTEM
from assemblies.fragments import fragment
from assemblies.opendata import licensed_download
from lottery.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    DrawStatus,
    RecruitmentSettings,
    Respondent,
    RespondentStatus,
    SelectionRun,
)
from lottery.rate_limits import over_rate_limit
from lottery.registration.forms import normalise_code

from . import reserves, selectors, services

#: Keys of the bundle that the public may download (everything is pseudonymous).
PUBLIC_KEYS = (
    "format", "assembly", "kind", "algorithm", "version", "k", "seated", "pool", "quotas", "panels",
    "reserves_wanted", "randomness_source", "commitment", "randomness", "panel_index", "selected", "reserves",
)  # fmt: skip


def selection_public(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = public_assembly(slug)
    context = fragment(assembly.pk, "selection_public", lambda: _selection_context(assembly))
    return render(request, "lottery/selection/public.html", {"assembly": assembly, **context})


def _selection_context(assembly: Any) -> dict[str, Any]:
    """The page's figures, from their selectors (kept as a fragment under the
    assembly's public version: the composition and the vacancies cost a few
    queries each)."""
    main, replacements = selectors.published_runs(assembly)
    context: dict[str, Any] = {"run": main, "replacements": replacements}
    # A lottery computed here but not published yet is still "to come", whatever the stage.
    context["lottery_here"] = (
        main is not None or assembly.selection_runs.exclude(status=DrawStatus.FAILED).exists()
    )
    if main is not None:
        # Only the bundle's quotas, stats and sizes: the pool and the panels
        # (hundreds of kilobytes) stay in the database.
        context.update(selectors.bundle_summary(main))
        if main.status == DrawStatus.DRAWN:
            # Who holds a seat today (drawn, called from the reserves or drawn
            # as a replacement), against the quotas: the same panel selector
            # as the organisers' screens.
            features = selectors.features_of(assembly)  # read once: both tables name them
            context["composition"] = selectors.current_composition(assembly, features=features)
            # The lottery read above is the drawn one: its seats need no second read.
            context["panel"] = selectors.panel_figures(assembly, drawn=main.panel_size)
            context["vacancies"] = reserves.vacancies(
                assembly, with_people=False, features=features, replacements=replacements
            )
        lowest = context["stats"].get("lottery_min_probability")
        context["lowest"] = selectors.percent(lowest) if lowest is not None else ""
        context["equal"] = selectors.percent(main.panel_size / context["n"]) if context["n"] else ""
    return context


@licensed_download
def selection_public_bundle(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = public_assembly(slug)
    runs = SelectionRun.objects.filter(assembly=assembly, status__in=(DrawStatus.COMMITTED, DrawStatus.DRAWN))
    run_id = request.GET.get("run")
    if run_id:
        if not run_id.isdigit():
            raise Http404
        run = runs.filter(pk=int(run_id)).first()
    else:
        run = runs.filter(kind="selection").order_by("-created_at").first()
    if run is None:
        raise Http404
    public = {key: run.bundle[key] for key in PUBLIC_KEYS if key in run.bundle}
    response = HttpResponse(
        json.dumps(public, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{assembly.slug}-selection-{run.pk}.json"'
    return response


@require_http_methods(["GET", "POST"])
def selection_confirm(request: HttpRequest, token: str) -> HttpResponse:
    respondent = (
        Respondent.objects.select_related("assembly")
        .filter(confirm_token=token)
        .select_related("assembly__organisation")
        .first()
    )
    if respondent is None or not token:
        raise Http404
    error, step = "", ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                respondent = services.respondent_confirm(token=token, by=SYSTEM)
            elif action == "decline" and request.POST.get("confirmed") == "yes":
                respondent = services.respondent_decline(token=token, by=SYSTEM)
            elif action == "decline":
                # Declining is final: first say what the seat means, then ask again.
                step = "decline"
            else:
                error = "Choose whether you accept or decline."
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "lottery/selection/confirm.html",
        {
            "respondent": respondent,
            "assembly": respondent.assembly,
            "error": error,
            "step": step,
            "Status": RespondentStatus,
            **_what_the_seat_means(respondent.assembly),
        },
        status=400 if error else 200,
    )


def _what_the_seat_means(assembly: Any) -> dict[str, Any]:
    """The session dates and what members receive, shown before anyone declines."""
    recruitment = RecruitmentSettings.objects.filter(assembly=assembly).first()
    dates = []
    for raw in (recruitment.session_dates if recruitment else None) or []:
        try:
            dates.append(dt.date.fromisoformat(str(raw)))
        except ValueError:
            continue
    return {
        "session_dates": sorted(dates),
        "member_offer": recruitment.member_offer_in() if recruitment else "",
    }


@never_cache
@require_http_methods(["GET", "POST"])
def selection_confirm_code(request: HttpRequest) -> HttpResponse:
    """/confirm/: the selected person types the short code from their letter
    (any case, spaces or dashes) and lands on their confirm page. Limited per
    client like the registration code."""
    error = ""
    if request.method == "POST":
        if over_rate_limit(request, "confirm-code"):
            return render(request, "lottery/register/rate_limited.html", status=429)
        code = normalise_code(request.POST.get("code", ""))
        respondent = None
        if len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code):
            respondent = (
                Respondent.objects.filter(confirm_code=code, confirm_token__isnull=False)
                .only("confirm_token")
                .first()
            )
        if respondent is not None:
            return redirect("lottery:selection_confirm", token=respondent.confirm_token)
        error = _("We could not find this code. Check it against your letter: it has 8 letters and numbers.")
    return render(
        request, "lottery/selection/confirm_code.html", {"error": error}, status=400 if error else 200
    )
