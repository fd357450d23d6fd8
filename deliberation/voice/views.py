"""Portal pages of members' voice and care (members) and the facilitator's home.

Members: raise a concern and follow it, read the announcements sent to
them, download everything held about them. Facilitators (team members with
the facilitator role, usually without a Member row): their sessions and the
way to their phone screens.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from assemblies.access import member_assembly

from ..access import facilitator_assembly
from ..models import Session
from . import privacy, selectors, services
from .forms import ConcernForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def concern(request: HttpRequest, slug: str) -> HttpResponse:
    assembly, member = member_assembly(request, slug)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_raise(member=member, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as exc:
            form.add_error("text" if hasattr(exc, "error_dict") else None, exc.messages)
        else:
            messages.success(
                request, _("Thank you. Your concern has reached the organisers; its status is below.")
            )
            return HttpResponseRedirect(reverse("portal:deliberation_concern", kwargs={"slug": slug}))
    care = selectors.care_of(assembly)
    return render(
        request,
        "deliberation/voice/concern.html",
        {
            "assembly": assembly,
            "membership": member,
            "form": form,
            "code_of_conduct": care.code_of_conduct_in(translation.get_language()),
            "contacts": care.contact_lines,
            "concerns": selectors.concerns_of_member(member),
        },
    )


@login_required
def announcements(request: HttpRequest, slug: str) -> HttpResponse:
    assembly, member = member_assembly(request, slug)
    language = translation.get_language()
    items = [
        {"announcement": a, "subject": a.subject_in(language), "body": a.body_in(language)}
        for a in selectors.announcements_for(member)
    ]
    return render(
        request,
        "deliberation/voice/announcements.html",
        {"assembly": assembly, "membership": member, "announcements": items},
    )


@login_required
def my_data(request: HttpRequest, slug: str) -> HttpResponse:
    """Everything held about the member in this assembly, as one JSON file."""
    assembly, member = member_assembly(request, slug)
    data = {
        "downloaded_at": timezone.now().isoformat(),
        **privacy.member_data(member),
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="my-data-{assembly.slug}.json"'
    response["Cache-Control"] = "no-store"
    return response


# --- the facilitator's home ---------------------------------------------------------------
# Phone screens other parts of deliberation provide; a link shows only once its page exists.
FACILITATOR_SCREENS = [
    ("portal:deliberation_checkin", gettext_lazy("Check members in")),
    ("portal:deliberation_facilitate_tables", gettext_lazy("Tables and their outputs")),
    ("portal:deliberation_facilitate_questions", gettext_lazy("Members' questions")),
]


SESSION_KWARGS = ("session_pk", "session_id", "session", "pk")


def _screen_url(name: str, slug: str, session: Session | None = None) -> str | None:
    """The URL of a facilitator screen for one session (``session``) or for
    the whole assembly (None), or None while that screen does not exist."""
    shapes: list[dict[str, Any]] = (
        [{"slug": slug, key: session.pk} for key in SESSION_KWARGS]
        if session is not None
        else [{"slug": slug}]
    )
    for kwargs in shapes:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


@login_required
def facilitate(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = facilitator_assembly(request, slug)
    now = timezone.now()
    sessions = list(
        Session.objects.filter(assembly=assembly).exclude(status="cancelled").order_by("starts_at", "id")
    )
    mine = set(
        Session.objects.filter(assembly=assembly, items__facilitators=request.user.pk).values_list(
            "pk", flat=True
        )
    )
    general = [
        (label, url) for name, label in FACILITATOR_SCREENS if (url := _screen_url(name, slug)) is not None
    ]
    rows: list[dict[str, Any]] = []
    for session in sessions:
        links = [
            (label, url)
            for name, label in FACILITATOR_SCREENS
            if (url := _screen_url(name, slug, session)) is not None
        ]
        rows.append({"session": session, "links": links, "mine": session.pk in mine})
    upcoming = [row for row in rows if row["session"].ends_at >= now]
    past = [row for row in rows if row["session"].ends_at < now]
    return render(
        request,
        "deliberation/voice/facilitate.html",
        {"assembly": assembly, "general": general, "upcoming": upcoming, "past": list(reversed(past))},
    )
