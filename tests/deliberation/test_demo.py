"""Deliberation's part of the demo: idempotent, on today's calendar, with
public sessions, a full schedule for the demo member and a facilitator."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from assemblies.demo import MEMBER_EMAIL, seed_demo
from assemblies.models import Member
from deliberation.demo import FACILITATOR_EMAIL, load, logins
from deliberation.models import (
    AgendaItem,
    Announcement,
    Attendance,
    Concern,
    Evidence,
    Session,
    SessionStatus,
    Speaker,
)

pytestmark = pytest.mark.django_db

MODELS = (Session, AgendaItem, Speaker, Evidence, Attendance, Announcement, Concern)


def _load(capture: Any) -> list[str]:
    with capture(execute=True):
        seed_demo()
        return load() + logins()


def test_the_demo_loads_twice_without_a_duplicate(django_capture_on_commit_callbacks: Any) -> None:
    lines = _load(django_capture_on_commit_callbacks)
    first = {model.__name__: model.objects.count() for model in MODELS}

    _load(django_capture_on_commit_callbacks)

    assert {model.__name__: model.objects.count() for model in MODELS} == first
    assert any(FACILITATOR_EMAIL in line for line in lines)


def test_the_climate_assembly_has_two_held_and_two_coming_weekends(
    django_capture_on_commit_callbacks: Any,
) -> None:
    _load(django_capture_on_commit_callbacks)
    sessions = list(Session.objects.filter(assembly__slug="northshire-climate"))
    today = timezone.localdate()

    assert len(sessions) == 4
    held = [s for s in sessions if s.status == SessionStatus.HELD]
    coming = [s for s in sessions if s.status == SessionStatus.PLANNED]
    assert len(held) == 2 and all(s.ends_at < timezone.now() for s in held)
    assert len(coming) == 2 and all(s.starts_at > timezone.now() for s in coming)
    assert all(abs((timezone.localtime(s.starts_at).date() - today).days) <= 60 for s in sessions)
    assert all(timezone.localtime(s.starts_at).weekday() == 5 for s in sessions)  # Saturdays
    assert sum(s.is_public for s in sessions) >= 2
    for session in sessions:
        length = (session.ends_at - session.starts_at).total_seconds() / 60
        assert sum(item.minutes for item in session.items.all()) <= length
    for session in held:
        assert Attendance.objects.filter(session=session, status="present").count() > 40
    for session in coming:
        assert session.items.filter(speakers__isnull=False).exists()
    assert Evidence.objects.filter(assembly__slug="northshire-climate", is_published=True).count() >= 2
    assert Evidence.objects.filter(assembly__slug="northshire-climate").exclude(file="").exists()
    assert (
        Speaker.objects.filter(assembly__slug="northshire-climate").values("stance").distinct().count() >= 3
    )


def test_the_demo_member_and_facilitator_have_something_to_see(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _load(django_capture_on_commit_callbacks)
    member = Member.objects.get(assembly__slug="northshire-climate", user__email=MEMBER_EMAIL)
    assert Attendance.objects.filter(member=member).count() == 2
    client.force_login(member.user)
    body = client.get("/portal/northshire-climate/announcements/").content.decode()
    assert "Weekend 3: bring a packed lunch" in body
    assert "Read by the organisers" in client.get("/portal/northshire-climate/concern/").content.decode()

    facilitator = Member.objects.get(assembly__slug="northshire-climate", user__email=FACILITATOR_EMAIL).user
    client.force_login(facilitator)
    page = client.get("/portal/northshire-climate/facilitate/").content.decode()
    assert "Weekend 3: Transport and land" in page


def test_riverside_has_its_four_held_sessions(django_capture_on_commit_callbacks: Any) -> None:
    _load(django_capture_on_commit_callbacks)
    sessions = Session.objects.filter(assembly__slug="riverside-housing")
    assert sessions.count() == 4
    assert all(
        s.status == SessionStatus.HELD and s.ends_at < timezone.now() - dt.timedelta(days=100)
        for s in sessions
    )


def test_seed_demo_prints_the_facilitator_and_gives_riverside_its_attendance(
    django_capture_on_commit_callbacks: Any,
) -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)

    printed = out.getvalue().splitlines()
    facilitator = next(
        i for i, line in enumerate(printed) if f"Facilitator (Northshire):   {FACILITATOR_EMAIL}" in line
    )
    assert "Member (login by code)" in printed[facilitator - 1]  # with the other logins
    register = next(i for i, line in enumerate(printed) if "Register as a respondent" in line)
    assert facilitator < register  # the lottery's registration link stays after the logins
    riverside = Session.objects.filter(assembly__slug="riverside-housing")
    assert Attendance.objects.filter(session__in=riverside, status="present").count() > 4 * 30
    assert Session.objects.filter(assembly__slug="northshire-climate").count() == 4
