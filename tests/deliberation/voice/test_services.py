"""Announcements, the code of conduct and concerns, through their services."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assemblies.actors import SYSTEM
from assemblies.models import AuditEvent, MemberStatus, Role
from deliberation.models import Announcement, AnnouncementRecipient, Concern, ConcernStatus
from deliberation.voice import services
from notifications.models import OutboxMessage
from tests.factories import MemberFactory, SessionFactory

from .conftest import role_user

pytestmark = pytest.mark.django_db

SUBJECTS = {"en": "Bring a packed lunch", "fr": "Apportez un repas"}
BODIES = {"en": "The café is closed on Saturday.", "fr": "La cafétéria est fermée samedi."}


def send(assembly: Any, by: Any, **kwargs: Any) -> Announcement:
    options: dict[str, Any] = {"audience": "all", "subjects": SUBJECTS, "bodies": BODIES, **kwargs}
    return services.announcement_send(assembly=assembly, by=by, **options)


def test_an_announcement_reaches_each_member_in_their_language(tenant: Any, bilingual: Any) -> None:
    announcement = send(tenant.assembly, tenant.organiser)

    french = OutboxMessage.objects.get(recipient="amelie@example.org")
    english = OutboxMessage.objects.get(recipient="alpha-member@example.org")
    assert french.language == "fr" and "Apportez un repas" in french.subject
    assert "La cafétéria est fermée samedi." in french.body_text
    assert english.language == "en" and "Bring a packed lunch" in english.subject
    assert "/portal/alpha-climate/announcements/" in english.body_text
    # Nobody without an address gets an email: they get a letter.
    assert (announcement.emails, announcement.letters) == (2, 1)
    letter = AnnouncementRecipient.objects.get(announcement=announcement, delivery="letter")
    assert letter.member == bilingual["no_email"]
    event = AuditEvent.objects.get(action="announcement.sent")
    assert event.data == {"audience": "all", "emails": 2, "letters": 1}


def test_an_untranslated_announcement_falls_back_to_the_first_language(tenant: Any, bilingual: Any) -> None:
    send(tenant.assembly, tenant.organiser, subjects={"en": "Hello"}, bodies={"en": "In English only."})

    french = OutboxMessage.objects.get(recipient="amelie@example.org")
    assert "Hello" in french.subject and "In English only." in french.body_text


def test_withdrawn_members_and_other_assemblies_are_not_reached(tenant: Any, other_tenant: Any) -> None:
    MemberFactory(assembly=tenant.assembly, status=MemberStatus.WITHDRAWN, user__username="gone@example.org")

    send(tenant.assembly, tenant.organiser)

    assert set(OutboxMessage.objects.values_list("recipient", flat=True)) == {"alpha-member@example.org"}


def test_a_session_audience_needs_a_session_of_this_assembly(tenant: Any, other_tenant: Any) -> None:
    foreign = SessionFactory(assembly=other_tenant.assembly)
    with pytest.raises(ValidationError) as error:
        send(tenant.assembly, tenant.organiser, audience="session", session=foreign)
    assert "session" in error.value.message_dict

    announcement = send(
        tenant.assembly,
        tenant.organiser,
        audience="session",
        session=SessionFactory(assembly=tenant.assembly),
    )
    assert announcement.emails == 1


def test_the_first_language_is_required(tenant: Any) -> None:
    with pytest.raises(ValidationError) as error:
        send(tenant.assembly, tenant.organiser, subjects={"en": " "}, bodies={"en": ""})
    assert set(error.value.message_dict) == {"subject_en", "body_en"}
    assert not Announcement.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.FACILITATOR])
def test_only_organisers_send(tenant: Any, role: str) -> None:
    with pytest.raises(PermissionDenied):
        send(tenant.assembly, role_user(tenant, role))
    with pytest.raises(PermissionDenied):
        send(tenant.assembly, tenant.member)
    assert not OutboxMessage.objects.exists()


def test_a_member_raises_a_concern_and_follows_it(tenant: Any, bilingual: Any) -> None:
    member = bilingual["member"]
    concern = services.concern_raise(member=member, text="  Someone shouted at me.  ", by=tenant.member)

    assert concern.text == "Someone shouted at me." and concern.status == ConcernStatus.OPEN
    raised = AuditEvent.objects.get(action="concern.raised")
    assert "shouted" not in str(raised.data) + raised.object_repr

    services.concern_update(concern=concern, status="closed", note="We spoke to them.", by=tenant.organiser)

    concern.refresh_from_db()
    assert (concern.status, concern.note, concern.handled_by) == (
        "closed",
        "We spoke to them.",
        tenant.organiser,
    )
    updated = AuditEvent.objects.get(action="concern.updated")
    assert updated.data == {"from": "open", "to": "closed"}
    assert "spoke" not in str(updated.data)


def test_nobody_raises_a_concern_for_someone_else(tenant: Any, bilingual: Any) -> None:
    with pytest.raises(ValidationError):
        services.concern_raise(member=bilingual["member"], text="x", by=tenant.organiser)
    with pytest.raises(ValidationError) as error:
        services.concern_raise(member=bilingual["member"], text="   ", by=tenant.member)
    assert "text" in error.value.message_dict
    assert not Concern.objects.exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.FACILITATOR])
def test_only_organisers_who_see_personal_data_handle_concerns(
    tenant: Any, bilingual: Any, role: str
) -> None:
    concern = services.concern_raise(member=bilingual["member"], text="Worry", by=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.concern_update(concern=concern, status="closed", note="", by=role_user(tenant, role))
    with pytest.raises(ValidationError):
        services.concern_update(concern=concern, status="lost", note="", by=tenant.organiser)


def test_the_code_of_conduct_is_kept_per_assembly(tenant: Any) -> None:
    care = services.care_update(
        assembly=tenant.assembly,
        code_of_conduct=" Be kind. ",
        safeguarding_contacts="Jo Price, safeguarding lead, 01632 960123\n\n",
        code_of_conduct_translations={"fr": "Soyez bienveillants.", "de": " "},
        by=tenant.organiser,
    )
    assert care.code_of_conduct == "Be kind." and care.contact_lines == [
        "Jo Price, safeguarding lead, 01632 960123"
    ]
    assert care.code_of_conduct_in("fr") == "Soyez bienveillants." and care.code_of_conduct_translations == {
        "fr": "Soyez bienveillants."
    }
    with pytest.raises(PermissionDenied):
        services.care_update(
            assembly=tenant.assembly,
            code_of_conduct="",
            safeguarding_contacts="",
            by=role_user(tenant, Role.VIEWER),
        )


def test_a_table_audience_reaches_the_members_seated_at_it(tenant: Any, other_tenant: Any) -> None:
    from deliberation.models import PlanTable, Seat, TablePlan
    from deliberation.voice.selectors import table_of, tables_of

    session = SessionFactory(assembly=tenant.assembly, title="Weekend 2")
    plan = TablePlan.objects.create(session=session, rounds=2, table_count=2)
    one, two = (PlanTable.objects.create(plan=plan, number=n) for n in (1, 2))
    seated = [MemberFactory(assembly=tenant.assembly) for _ in range(3)]
    Seat.objects.create(plan=plan, round=1, table=one, member=seated[0])
    Seat.objects.create(plan=plan, round=1, table=one, member=seated[1])
    Seat.objects.create(plan=plan, round=1, table=two, member=seated[2])
    Seat.objects.create(plan=plan, round=2, table=one, member=seated[2])  # a later round: not this group

    assert [label for _pk, label in tables_of(tenant.assembly)] == [
        "Weekend 2 · Table 1",
        "Weekend 2 · Table 2",
    ]
    assert table_of(other_tenant.assembly, one.pk) is None  # another assembly's table is not offered
    announcement = send(
        tenant.assembly, tenant.organiser, audience="table", table=table_of(tenant.assembly, one.pk)
    )

    reached = set(
        AnnouncementRecipient.objects.filter(announcement=announcement).values_list("member", flat=True)
    )
    assert reached == {seated[0].pk, seated[1].pk}
    assert announcement.group_label == "Weekend 2 · Table 1"


def test_organisers_who_may_read_concerns_are_told_without_the_text(tenant: Any, bilingual: Any) -> None:
    viewer = role_user(tenant, Role.VIEWER)
    facilitator = role_user(tenant, Role.FACILITATOR)

    concern = services.concern_raise(
        member=bilingual["member"], text="Someone shouted at me.", by=tenant.member
    )

    told = {m.recipient: m for m in OutboxMessage.objects.all()}
    assert set(told) == {tenant.organiser.email}
    assert viewer.email not in told and facilitator.email not in told
    message = told[tenant.organiser.email]
    assert f"/admin/deliberation/concern/{concern.pk}/" in message.body_text
    assert "shouted" not in message.body_text + message.subject


def test_a_flood_of_concerns_is_stopped_with_a_pointer_to_the_contacts(tenant: Any, bilingual: Any) -> None:
    for n in range(services.CONCERNS_PER_DAY):
        services.concern_raise(member=bilingual["member"], text=f"Worry {n}", by=tenant.member)
    with pytest.raises(ValidationError) as error:
        services.concern_raise(member=bilingual["member"], text="One more", by=tenant.member)
    assert "safeguarding contacts" in " ".join(error.value.messages)
    assert Concern.objects.count() == services.CONCERNS_PER_DAY
