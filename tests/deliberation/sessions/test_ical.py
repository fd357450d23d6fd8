"""The iCal feeds parse with ``icalendar`` and carry the right times on both
sides of a clock change (Europe/London); UIDs stay, SEQUENCE goes up."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from django.urls import reverse

from deliberation.models import SessionStatus
from deliberation.sessions import services
from tests.factories import AgendaItemFactory, SessionFactory

from .conftest import london

pytestmark = pytest.mark.django_db


def _feed(client: Any, membership: Any) -> icalendar.Calendar:
    token = services.participant_for(membership).calendar_token
    response = client.get(reverse("deliberation:member_calendar", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    return icalendar.Calendar.from_ical(response.content)


@pytest.fixture
def dst_sessions(tenant: Any) -> tuple[Any, Any]:
    # 28 March 2027 is the last Sunday of March (clocks go forward at 01:00 UTC);
    # 31 October 2027 they go back: 7 November is on GMT again.
    spring = SessionFactory(
        assembly=tenant.assembly,
        title="Spring",
        starts_at=london(2027, 3, 28, 10),
        ends_at=london(2027, 3, 28, 16),
    )
    AgendaItemFactory(session=spring, title="Opening", minutes=45, position=1)
    autumn = SessionFactory(
        assembly=tenant.assembly,
        title="Autumn",
        starts_at=london(2027, 11, 7, 10),
        ends_at=london(2027, 11, 7, 16),
        mode="hybrid",
        online_url="https://meet.example.org/autumn",
    )
    return spring, autumn


def test_times_are_right_across_the_clock_changes(client: Any, membership: Any, dst_sessions: Any) -> None:
    calendar = _feed(client, membership)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    spring, autumn = events["Spring"], events["Autumn"]
    for event in (spring, autumn):
        start = event.decoded("DTSTART")
        assert (start.hour, start.minute) == (10, 0)  # 10:00 on the wall clock, both times
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert event["DTEND"].params["TZID"] == "Europe/London"
        assert event.decoded("DTEND").hour == 16
        assert event.decoded("DTSTAMP").tzinfo is not None
    assert spring.decoded("DTSTART").astimezone(dt.UTC).hour == 9  # BST, UTC+1
    assert autumn.decoded("DTSTART").astimezone(dt.UTC).hour == 10  # GMT
    # The VTIMEZONE describes Europe/London with both its summer and winter rules.
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/London"]
    assert zones[0].walk("DAYLIGHT") and zones[0].walk("STANDARD")
    assert calendar.get("VERSION") == "2.0" and calendar.get("PRODID")
    assert "Town Hall" in str(spring["LOCATION"])
    assert "https://meet.example.org/autumn" in str(autumn["LOCATION"])
    assert "10:00 Opening" in str(spring["DESCRIPTION"])
    assert str(spring["URL"]).endswith(
        reverse("portal:deliberation_schedule", args=[membership.assembly.slug])
    )


def test_uid_is_stable_and_sequence_goes_up_on_change(
    client: Any, membership: Any, organiser: Any, dst_sessions: Any
) -> None:
    spring, _autumn = dst_sessions
    before = {str(e["SUMMARY"]): e for e in _feed(client, membership).walk("VEVENT")}["Spring"]
    assert int(before["SEQUENCE"]) == 0
    services.session_update(session=spring, data={"venue_name": "Library"}, by=organiser)
    services.session_update(session=spring, data={"status": SessionStatus.CANCELLED}, by=organiser)
    after = {str(e["SUMMARY"]): e for e in _feed(client, membership).walk("VEVENT")}["Spring"]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == 2
    assert str(after["STATUS"]) == "CANCELLED"


def test_every_event_has_what_rfc_5545_requires(client: Any, tenant: Any, dst_sessions: Any) -> None:
    for session in dst_sessions:
        session.is_public = True
        session.save()
    response = client.get(reverse("deliberation:programme_calendar", args=[tenant.assembly.slug]))
    body = response.content
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.rstrip().endswith(b"END:VCALENDAR")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded lines
    calendar = icalendar.Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    for event in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "URL"):
            assert prop in event, prop
    assert len({str(e["UID"]) for e in events}) == 2


def test_calendar_feeds_answer_head_as_calendar_clients_probe_them(
    client: Any, tenant: Any, membership: Any, dst_sessions: Any
) -> None:
    for session in dst_sessions:
        session.is_public = True
        session.save()
    token = services.participant_for(membership).calendar_token
    for url in (
        reverse("deliberation:programme_calendar", args=[tenant.assembly.slug]),
        reverse("deliberation:member_calendar", args=[token]),
    ):
        response = client.head(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response.content == b""
    assert client.post(reverse("deliberation:member_calendar", args=[token])).status_code == 405
