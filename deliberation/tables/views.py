"""Portal pages of tables in the app: a member's table in each round, a
facilitator's tables and the output they record on a phone, and the plenary
minutes members approve or ask to correct."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from assemblies.access import member_assembly
from deliberation.access import facilitator_assembly
from deliberation.models import (
    MinutesDecision,
    MinutesResponse,
    MinutesStatus,
    PlanStatus,
    PlanTable,
    PlenaryMinutes,
    TableOutput,
)
from deliberation.rules import MANAGE_PROGRAMME

from . import selectors, services


def _copy_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- members: your table ---------------------------------------------------------------------
@login_required
def my_tables(request: HttpRequest, slug: str) -> HttpResponse:
    assembly, membership = member_assembly(request, slug)
    return render(
        request,
        "deliberation/tables/my_tables.html",
        {"assembly": assembly, "sessions": selectors.my_tables(assembly, membership)},
    )


# --- facilitators: their tables and outputs --------------------------------------------------
@login_required
def facilitate_tables(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = facilitator_assembly(request, slug)
    every = request.user.has_perm(MANAGE_PROGRAMME, assembly)
    tables = list(selectors.facilitated_tables(assembly, request.user, every_table=every))
    done = set(TableOutput.objects.filter(table__in=tables).values_list("table_id", "round"))
    rows = [(t, [(r, (t.pk, r) in done) for r in range(1, t.plan.rounds + 1)]) for t in tables]
    return render(
        request,
        "deliberation/tables/facilitate_tables.html",
        {"assembly": assembly, "rows": rows, "every": every},
    )


class OutputForm(forms.Form):
    key_points = forms.CharField(
        label=_("Key points"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the table agreed on, or disagreed about."),
    )
    questions = forms.CharField(
        label=_("Questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Questions the table wants answered."),
    )
    proposals = forms.CharField(
        label=_("Proposals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ideas the table would like the assembly to consider."),
    )


def _facilitated_table(request: HttpRequest, assembly: Any, pk: int) -> PlanTable:
    tables = PlanTable.objects.filter(plan__session__assembly=assembly, plan__status=PlanStatus.READY)
    if not request.user.has_perm(MANAGE_PROGRAMME, assembly):
        tables = tables.filter(facilitator_id=request.user.pk)
    return get_object_or_404(tables.select_related("plan__session"), pk=pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def facilitate_output(request: HttpRequest, slug: str, pk: int, number: int) -> HttpResponse:
    assembly = facilitator_assembly(request, slug)
    table = _facilitated_table(request, assembly, pk)
    if not 1 <= number <= table.plan.rounds:
        raise Http404
    output = TableOutput.objects.filter(table=table, round=number).first()
    initial = (
        {"key_points": output.key_points, "questions": output.questions, "proposals": output.proposals}
        if output
        else None
    )
    form = OutputForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.table_output_save(table=table, round=number, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _copy_errors(form, exc)
        else:
            messages.success(request, _("Saved. Thank you."))
            return HttpResponseRedirect(
                reverse("portal:deliberation_facilitate_tables", args=[assembly.slug])
            )
    return render(
        request,
        "deliberation/tables/facilitate_output.html",
        {
            "assembly": assembly,
            "table": table,
            "round": number,
            "form": form,
            "output": output,
            "people": [selectors.member_label(m) for m in selectors.table_members(table, number)],
        },
        status=400 if request.method == "POST" else 200,
    )


# --- members: plenary minutes ------------------------------------------------------------------
class ResponseForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"), choices=MinutesDecision.choices, widget=forms.RadioSelect
    )
    correction = forms.CharField(
        label=_("The correction you ask for"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only if you ask for a correction: what should the minutes say instead?"),
    )


@login_required
def minutes_list(request: HttpRequest, slug: str) -> HttpResponse:
    assembly, membership = member_assembly(request, slug)
    minutes = (
        PlenaryMinutes.objects.filter(session__assembly=assembly)
        .exclude(status=MinutesStatus.DRAFT)
        .select_related("session")
        .order_by("-session__starts_at")
    )
    answered = dict(
        MinutesResponse.objects.filter(member=membership, minutes__in=minutes).values_list(
            "minutes_id", "decision"
        )
    )
    return render(
        request,
        "deliberation/tables/minutes_list.html",
        {"assembly": assembly, "rows": [(m, answered.get(m.pk)) for m in minutes]},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def minutes_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assembly, membership = member_assembly(request, slug)
    minutes = get_object_or_404(
        PlenaryMinutes.objects.select_related("session").exclude(status=MinutesStatus.DRAFT),
        session__assembly=assembly,
        pk=pk,
    )
    mine = MinutesResponse.objects.filter(minutes=minutes, member=membership).first()
    initial = {"decision": mine.decision, "correction": mine.correction} if mine else None
    form = ResponseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_respond(minutes=minutes, member=membership, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _copy_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your answer is recorded."))
            return HttpResponseRedirect(
                reverse("portal:deliberation_minutes_detail", args=[assembly.slug, minutes.pk])
            )
    return render(
        request,
        "deliberation/tables/minutes_detail.html",
        {
            "assembly": assembly,
            "minutes": minutes,
            "mine": mine,
            "form": form,
            "open": minutes.status == MinutesStatus.CIRCULATED,
        },
        status=400 if request.method == "POST" else 200,
    )


def your_table_section(assembly: Any, member: Any) -> Any:
    """ "Your table" on the member's portal page, for the next session with a
    computed plan that has not ended yet (``registry.portal_section``)."""
    from django.utils import timezone

    from assemblies.registry import Figure, Section

    upcoming = [
        entry for entry in selectors.my_tables(assembly, member) if entry.session.ends_at >= timezone.now()
    ]
    if not upcoming:
        return None
    entry = upcoming[0]
    figures = [
        Figure(_("Round %(n)s") % {"n": round_number}, str(table)) for round_number, table in entry.seats
    ]
    return Section(
        "your-table",
        _("Your table: %(session)s") % {"session": entry.session.title},
        figures,
        [(_("Your table in every session"), reverse("portal:deliberation_my_tables", args=[assembly.slug]))],
    )
