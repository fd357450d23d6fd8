"""Members' pages of the power-literacy part (portal, phone first): a short
learning module on power and how decisions get made, and the assembly's own
power map (without the organisers' internal notes)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from assemblies.access import member_assembly

from . import selectors
from .forms import MapFilterForm

#: The learning module's pages, in order: (template, title).
LESSONS = [
    ("advocacy/power/lessons/who_decides.html", _("Who decides?")),
    ("advocacy/power/lessons/spaces.html", _("Where decisions are made")),
    ("advocacy/power/lessons/forms.html", _("Power you can see, and power you cannot")),
    ("advocacy/power/lessons/pressure.html", _("Pressure from inside and outside")),
]


@login_required
def portal_power(request: HttpRequest, slug: str) -> HttpResponse:
    assembly, _membership = member_assembly(request, slug)
    return render(
        request,
        "advocacy/power/portal_index.html",
        {"assembly": assembly, "lessons": [(i, title) for i, (_t, title) in enumerate(LESSONS, start=1)]},
    )


@login_required
def portal_lesson(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    step = number
    assembly, _membership = member_assembly(request, slug)
    if not 1 <= step <= len(LESSONS):
        raise Http404
    template, title = LESSONS[step - 1]
    power_map = selectors.power_map(assembly)  # the assembly's own map as the example (no internal notes)
    return render(
        request,
        template,
        {
            "assembly": assembly,
            "title": title,
            "step": step,
            "steps": len(LESSONS),
            "previous": step - 1 if step > 1 else None,
            "next": step + 1 if step < len(LESSONS) else None,
            "next_title": LESSONS[step][1] if step < len(LESSONS) else None,
            "map": power_map,
            "pressure": selectors.pressure_table(assembly),
            "lesson_template": template,
        },
    )


@login_required
def portal_map(request: HttpRequest, slug: str) -> HttpResponse:
    assembly, _membership = member_assembly(request, slug)
    form = MapFilterForm(request.GET or None, assembly=assembly)
    recommendation = form.cleaned_data["recommendation"] if form.is_valid() else None
    return render(
        request,
        "advocacy/power/portal_map.html",
        {
            "assembly": assembly,
            "form": form,
            "map": selectors.power_map(assembly, recommendation=recommendation, internal=False),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
