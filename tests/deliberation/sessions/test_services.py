"""Services: the agenda's times and its check against the session, reorder,
a change of time or place told once, and who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assemblies.actors import SYSTEM
from assemblies.models import AuditEvent, MemberStatus
from deliberation.models import AgendaItem, Session, SessionMode, SessionStatus
from deliberation.sessions import services
from deliberation.sessions.selectors import agenda_timeline
from notifications.models import OutboxMessage
from tests.factories import AgendaItemFactory, MemberFactory, RespondentFactory, SessionFactory

from .conftest import london

pytestmark = pytest.mark.django_db


def test_each_item_starts_when_the_one_before_ends(session: Any) -> None:
    timed = agenda_timeline(session)
    assert [(t.item.title, t.starts_at, t.ends_at) for t in timed] == [
        ("Welcome", london(2030, 6, 8, 10, 0), london(2030, 6, 8, 10, 30)),
        ("Buses and trams", london(2030, 6, 8, 10, 30), london(2030, 6, 8, 11, 30)),
    ]
    assert services.agenda_overrun(session) == 0
    assert services.agenda_warning(session) == ""


def test_an_agenda_longer_than_its_session_is_flagged(session: Any) -> None:
    AgendaItemFactory(session=session, title="Tables", position=3, minutes=300)
    timed = agenda_timeline(session)
    assert [t.over for t in timed] == [False, False, True]
    assert services.agenda_overrun(session) == 30
    warning = services.agenda_warning(session)
    assert "390 minutes" in warning and "360" in warning and "30 minutes over" in warning


def test_move_up_and_down_renumbers(session: Any, organiser: Any) -> None:
    third = AgendaItemFactory(session=session, title="Lunch", position=7, minutes=30, kind="break")
    services.agenda_move(item=third, direction="up", by=organiser)
    assert list(session.items.order_by("position").values_list("title", "position")) == [
        ("Welcome", 1),
        ("Lunch", 2),
        ("Buses and trams", 3),
    ]
    with pytest.raises(ValidationError, match="already first"):
        services.agenda_move(item=AgendaItem.objects.get(title="Welcome"), direction="up", by=organiser)
    assert AuditEvent.objects.filter(action="deliberation.agenda_reordered").count() == 1


def test_reorder_takes_every_item_once(session: Any, organiser: Any) -> None:
    ids = list(session.items.order_by("position").values_list("pk", flat=True))
    services.agenda_reorder(session=session, order=ids[::-1], by=organiser)
    assert list(session.items.order_by("position").values_list("title", flat=True)) == [
        "Buses and trams",
        "Welcome",
    ]
    with pytest.raises(ValidationError):
        services.agenda_reorder(session=session, order=ids[:1], by=organiser)


def test_other_tenants_organiser_and_members_may_not_plan(
    session: Any, other_organiser: Any, member: Any
) -> None:
    for person in (other_organiser, member):
        with pytest.raises(PermissionDenied):
            services.session_update(session=session, data={"title": "Hacked"}, by=person)
        with pytest.raises(PermissionDenied):
            services.agenda_move(item=session.items.last(), direction="up", by=person)
    assert Session.objects.get(pk=session.pk).title == "Weekend one"


def test_a_change_of_time_and_place_is_told_once_per_member(
    session: Any, organiser: Any, tenant: Any
) -> None:
    MemberFactory(assembly=tenant.assembly, display_name="Second")
    MemberFactory(assembly=tenant.assembly, display_name="Gone", status=MemberStatus.WITHDRAWN)
    MemberFactory(assembly=tenant.assembly, display_name="Reserve", role="reserve")
    new_start = session.starts_at + dt.timedelta(hours=1)
    services.session_update(
        session=session,
        data={
            "starts_at": new_start,
            "ends_at": new_start + dt.timedelta(hours=6),
            "venue_name": "Library",
            "venue_address": "2 Church Street",
        },
        by=organiser,
    )
    messages = OutboxMessage.objects.filter(template="session_changed")
    assert messages.count() == 2  # the two active members, once each; not the withdrawn or the reserve
    assert "Library" in messages.first().body_text and "11:00" in messages.first().body_text
    session.refresh_from_db()
    assert session.sequence == 1 and session.venue_name == "Library"
    event = AuditEvent.objects.get(action="deliberation.session_changed")
    assert set(event.data["fields"]) == {"starts_at", "ends_at", "venue_name", "venue_address"}


def test_a_change_of_title_only_tells_no_one(session: Any, organiser: Any) -> None:
    services.session_update(
        session=session, data={"title": "Weekend 1", "starts_at": session.starts_at}, by=organiser
    )
    assert not OutboxMessage.objects.filter(template="session_changed").exists()
    session.refresh_from_db()
    assert session.sequence == 0 and session.title == "Weekend 1"


def test_a_cancellation_is_told_and_bumps_the_sequence(session: Any, organiser: Any) -> None:
    services.session_update(session=session, data={"status": SessionStatus.CANCELLED}, by=organiser)
    message = OutboxMessage.objects.get(template="session_changed")
    assert message.subject.startswith("Cancelled")


def test_the_change_email_is_in_the_members_language(
    session: Any, organiser: Any, tenant: Any, membership: Any
) -> None:
    tenant.assembly.languages = ["en", "fr"]
    tenant.assembly.save()
    RespondentFactory(assembly=tenant.assembly, member=membership, language="fr")
    services.session_update(session=session, data={"venue_name": "Bibliothèque"}, by=organiser)
    message = OutboxMessage.objects.get(template="session_changed")
    assert message.language == "fr"


def test_online_sessions_need_a_link_and_sessions_end_after_they_start(tenant: Any, organiser: Any) -> None:
    start = london(2030, 1, 5, 10)
    with pytest.raises(ValidationError) as error:
        services.session_create(
            assembly=tenant.assembly,
            data={"title": "Online", "starts_at": start, "ends_at": start, "mode": SessionMode.ONLINE},
            by=organiser,
        )
    assert set(error.value.message_dict) == {"ends_at", "online_url"}
    assert not Session.objects.filter(title="Online").exists()


def test_calendar_token_reset_only_by_the_member(membership: Any, organiser: Any) -> None:
    old = services.participant_for(membership).calendar_token
    with pytest.raises(PermissionDenied):
        services.calendar_token_reset(member=membership, by=organiser)
    new = services.calendar_token_reset(member=membership, by=membership.user).calendar_token
    assert new != old
    assert services.calendar_token_reset(member=membership, by=SYSTEM).calendar_token != new


def test_moving_a_session_later_rearms_its_reminders(session: Any, organiser: Any) -> None:
    Session.objects.filter(pk=session.pk).update(
        week_reminder_sent_at=london(2030, 6, 1, 9), day_reminder_sent_at=london(2030, 6, 7, 9)
    )
    session.refresh_from_db()
    later = session.starts_at + dt.timedelta(days=14)
    services.session_update(
        session=session, data={"starts_at": later, "ends_at": later + dt.timedelta(hours=6)}, by=organiser
    )
    session.refresh_from_db()
    assert session.week_reminder_sent_at is None and session.day_reminder_sent_at is None


def test_new_session_without_sessions_factory(tenant: Any, organiser: Any) -> None:
    start = london(2030, 2, 1, 9)
    session = services.session_create(
        assembly=tenant.assembly,
        data={
            "title": "Hybrid",
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=3),
            "mode": SessionMode.HYBRID,
            "venue_name": "Hall",
            "online_url": "https://meet.example.org/x",
        },
        by=organiser,
    )
    assert session.pk and AuditEvent.objects.filter(action="deliberation.session_added").exists()
    assert SessionFactory._meta.model is Session


def test_marking_a_session_held_tells_no_one(session: Any, organiser: Any) -> None:
    services.session_update(session=session, data={"status": SessionStatus.HELD}, by=organiser)
    assert not OutboxMessage.objects.filter(template="session_changed").exists()
    session.refresh_from_db()
    assert session.sequence == 0 and session.status == SessionStatus.HELD
