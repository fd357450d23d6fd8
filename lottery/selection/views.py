"""Public pages of the lottery: how the members were chosen, the public
bundle, and the selected respondent's confirm-or-decline page."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from assemblies.access import public_assembly
from assemblies.actors import SYSTEM
from lottery.models import DrawStatus, Respondent, RespondentStatus, SelectionRun

from . import selectors, services

#: Keys of the bundle that the public may download (everything is pseudonymous).
PUBLIC_KEYS = (
    "format", "assembly", "kind", "algorithm", "version", "k", "seated", "pool", "quotas", "panels",
    "reserves_wanted", "randomness_source", "commitment", "randomness", "panel_index", "selected", "reserves",
)  # fmt: skip


def selection_public(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = public_assembly(slug)
    main, replacements = selectors.published_runs(assembly)
    context: dict[str, Any] = {"assembly": assembly, "run": main, "replacements": replacements}
    if main is not None:
        full = SelectionRun.objects.only("bundle", "selected", "assembly_id").get(pk=main.pk)
        context["quotas"] = full.bundle.get("quotas", [])
        context["n"] = len(full.bundle.get("pool", []))
        context["m"] = len(full.bundle.get("panels", []))
        latest = replacements[-1] if replacements and replacements[-1].status == DrawStatus.DRAWN else None
        panel_run = SelectionRun.objects.only("bundle", "selected").get(pk=latest.pk) if latest else full
        if main.status == DrawStatus.DRAWN:
            context["composition"] = selectors.composition(assembly, panel_run)
        context["stats"] = full.bundle.get("stats", {})
        lowest = context["stats"].get("lottery_min_probability")
        context["lowest"] = selectors.percent(lowest) if lowest is not None else ""
        context["equal"] = selectors.percent(main.panel_size / context["n"]) if context["n"] else ""
    return render(request, "lottery/selection/public.html", context)


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
        .only("pk", "status", "first_name", "confirm_token", "assembly__title", "assembly__slug")
        .first()
    )
    if respondent is None or not token:
        raise Http404
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                respondent = services.respondent_confirm(token=token, by=SYSTEM)
            elif action == "decline":
                respondent = services.respondent_decline(token=token, by=SYSTEM)
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
            "Status": RespondentStatus,
        },
        status=400 if error else 200,
    )
