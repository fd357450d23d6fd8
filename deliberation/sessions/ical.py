"""Sessions as an iCalendar feed (RFC 5545), built with ``icalendar``.

Times carry ``TZID=Europe/London`` (the site's time zone) with its VTIMEZONE,
so a calendar shows 10:00 on both sides of a clock change; each session keeps
one UID for ever and its SEQUENCE goes up with each change of time or place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from ..models import Session, SessionMode, SessionStatus
from .selectors import agenda_timeline

PRODID = "-//Plenary//Citizens' assembly programme//EN"


def uid_of(session: Session) -> str:
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "plenary"
    return f"session-{session.pk}@{domain}"


def location_of(session: Session, *, with_link: bool) -> str:
    """The venue and address; the link to join only for members (a public
    meeting link invites strangers into the room)."""
    place = ", ".join(part for part in (session.venue_name, " ".join(session.venue_address.split())) if part)
    link = session.online_url if with_link else ""
    if session.mode == SessionMode.ONLINE:
        return link or str(SessionMode(session.mode).label)
    if session.mode == SessionMode.HYBRID and link:
        return f"{place} / {link}" if place else link
    return place


def build_calendar(
    sessions: Iterable[Session],
    *,
    name: str,
    url_of: dict[int, str] | None = None,
    with_private: bool = False,
) -> bytes:
    """The feed of ``sessions`` (with ``items`` prefetched for the agenda in
    the description). ``with_private`` adds what only members read (the link
    to join, access information, notes for members)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    sessions = list(sessions)
    for session in sessions:
        event = icalendar.Event()
        event.add("uid", uid_of(session))
        event.add("dtstamp", stamp)
        event.add("last-modified", session.updated_at.astimezone(dt.UTC).replace(microsecond=0))
        event.add("created", session.created_at.astimezone(dt.UTC).replace(microsecond=0))
        event.add("sequence", session.sequence)
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
        event.add("summary", session.title)
        if location := location_of(session, with_link=with_private):
            event.add("location", location)
        if url_of and session.pk in url_of:
            event.add("url", url_of[session.pk])
        event.add("description", _description(session, zone, with_private=with_private))
        event.add("status", "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    if sessions:
        first = min(s.starts_at for s in sessions).astimezone(zone).date()
        last = max(s.ends_at for s in sessions).astimezone(zone).date()
        calendar.add_missing_timezones(
            first_date=first - dt.timedelta(days=366), last_date=last + dt.timedelta(days=366)
        )
    return bytes(calendar.to_ical())


def _description(session: Session, zone: ZoneInfo, *, with_private: bool) -> str:
    lines = []
    for timed in agenda_timeline(session, list(session.items.all())):
        start = timed.starts_at.astimezone(zone).strftime("%H:%M")
        lines.append(f"{start} {timed.item.title}")
    if with_private and session.online_url:
        lines += ["", session.online_url]
    if with_private:
        lines += [text for text in ("", session.access_info, session.notes_for_members) if text is not None]
    return "\n".join(lines).strip()
