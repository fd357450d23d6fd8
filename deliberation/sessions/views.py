"""Members' schedule (portal), the calendar feeds and the public programme."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assemblies.access import member_assembly, public_assembly
from assemblies.fragments import fragment
from assemblies.models import MemberStatus
from assemblies.translations import translated

from ..models import Evidence, Participant, Session
from . import ical, selectors, services
from .selectors import Agenda


def _evidence_links(agendas: list[Agenda], url_name: str, slug: str) -> None:
    """Each evidence gets ``link``: its file page (guarded) or its own link."""
    for agenda in agendas:
        for evidence in agenda.reading:
            evidence.link = _link(evidence, url_name, slug)  # type: ignore[attr-defined]


def _link(evidence: Evidence, url_name: str, slug: str) -> str:
    if evidence.file:
        return selectors.evidence_url(url_name, slug, evidence.pk)
    return evidence.url


@login_required
@require_safe
def portal_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    assembly, membership = member_assembly(request, slug)
    schedule = selectors.member_schedule(assembly)
    agendas = ([schedule.next] if schedule.next else []) + schedule.upcoming + schedule.past
    _evidence_links(agendas, "portal:deliberation_evidence_file", slug)
    participant = services.participant_for(membership)
    feed = request.build_absolute_uri(
        reverse("deliberation:member_calendar", args=[participant.calendar_token])
    )
    return render(
        request,
        "deliberation/sessions/schedule.html",
        {
            "assembly": assembly,
            "membership": membership,
            "schedule": schedule,
            "feed_url": feed,
            "webcal_url": "webcal://" + feed.split("://", 1)[-1],
        },
    )


@login_required
def portal_calendar_reset(request: HttpRequest, slug: str) -> HttpResponse:
    assembly, membership = member_assembly(request, slug)  # 404 first, then the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.calendar_token_reset(member=membership, by=request.user)
    messages.success(
        request,
        _("Your calendar has a new address. Add it to your calendar again: the old one no longer works."),
    )
    return HttpResponseRedirect(reverse("portal:deliberation_schedule", args=[assembly.slug]) + "#calendar")


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def member_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """A member's private feed: every session of their assembly (a cancelled
    one stays, marked cancelled, so calendars drop it). The token is the key."""
    participant = get_object_or_404(
        Participant.objects.select_related("member__assembly").exclude(member__status=MemberStatus.WITHDRAWN),
        calendar_token=token,
    )
    assembly = participant.member.assembly
    sessions = selectors.member_sessions(assembly)
    url = request.build_absolute_uri(reverse("portal:deliberation_schedule", args=[assembly.slug]))
    body = ical.build_calendar(
        sessions, name=assembly.title, url_of={s.pk: url for s in sessions}, with_private=True
    )
    response = _ics(body, f"{assembly.slug}.ics")
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def public_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = public_assembly(slug)
    sessions = selectors.public_sessions(assembly)
    url = request.build_absolute_uri(reverse("deliberation:programme", args=[assembly.slug]))
    urls = {s.pk: f"{url}#session-{s.pk}" for s in sessions}
    return _ics(
        ical.build_calendar(sessions, name=assembly.title, url_of=urls), f"{assembly.slug}-programme.ics"
    )


@require_safe
def public_programme(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = public_assembly(slug)
    # The sessions' agendas, rendered once per public version of the assembly
    # (the page cache's): a few hundred template nodes per session.
    has_sessions, sessions_html = fragment(assembly.pk, "programme", lambda: _programme_sessions(assembly))
    return render(
        request,
        "deliberation/sessions/programme.html",
        {
            "assembly": assembly,
            "has_sessions": has_sessions,
            "sessions_html": sessions_html,
        },
    )


def _programme_sessions(assembly: Any) -> tuple[bool, str]:
    agendas = [selectors.agenda_of(session) for session in selectors.programme_sessions(assembly)]
    _evidence_links(agendas, "deliberation:evidence_public_file", assembly.slug)
    html = render_to_string("deliberation/sessions/_programme_sessions.html", {"agendas": agendas})
    return bool(agendas), html


def next_session_section(assembly: Any, member: Any) -> Any:
    """ "Your next session" on the member's portal page (registry.portal_section)."""
    from django.utils import formats, timezone

    from assemblies.registry import Figure, Section

    session: Session | None = selectors.next_session(assembly)
    if session is None:
        return None
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    when = _("%(date)s, %(start)s to %(end)s") % {
        "date": formats.date_format(start, "l j F Y"),
        "start": formats.time_format(start, "H:i"),
        "end": formats.time_format(end, "H:i"),
    }
    where = session.venue_name or session.get_mode_display()
    if session.mode == "hybrid":
        where = _("%(venue)s or online") % {"venue": session.venue_name}
    return Section(
        "next-session",
        _("Your next session"),
        [Figure(translated(session.title, session.title_translations), when), Figure(_("Where"), where)],
        [
            (
                _("Your schedule and how to get there"),
                reverse("portal:deliberation_schedule", args=[assembly.slug]),
            )
        ],
    )
