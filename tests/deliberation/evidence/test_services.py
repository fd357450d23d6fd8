"""Evidence files (checked, stored privately, audited, published) and
members' questions (asked once per key, merged, ordered, answered)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assemblies.actors import SYSTEM
from assemblies.models import AuditEvent
from deliberation.evidence import selectors, services
from deliberation.models import Evidence, EvidenceKind, Question, QuestionStatus
from tests.factories import (
    AgendaItemFactory,
    MemberFactory,
    QuestionFactory,
    SessionFactory,
    SpeakerFactory,
)

from .conftest import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db


# --- evidence ----------------------------------------------------------------------------
def test_a_good_pdf_is_stored_privately_with_its_checked_details(tenant: Any) -> None:
    item = AgendaItemFactory(session=SessionFactory(assembly=tenant.assembly))
    evidence = Evidence(assembly=tenant.assembly, item=item, title="Traffic in Northshire", kind="document")

    services.evidence_save(evidence=evidence, upload=pdf("whatever.exe"), by=tenant.organiser)

    evidence.refresh_from_db()
    assert evidence.file_name == "Traffic_in_Northshire.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF_BYTES)
    assert evidence.created_by == tenant.organiser
    stored = Path(evidence.file.path)
    assert stored.read_bytes() == PDF_BYTES
    assert Path(settings.MEDIA_ROOT) in stored.parents  # never under the static files
    assert AuditEvent.objects.filter(
        action="deliberation.evidence_added", object_id=str(evidence.pk)
    ).exists()


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00", b"<html><script>alert(1)</script></html>"],
    ids=["exe", "html"],
)
def test_a_renamed_program_or_page_is_refused_and_nothing_is_stored(tenant: Any, content: bytes) -> None:
    evidence = Evidence(assembly=tenant.assembly, title="Slides", kind="slides")
    upload = SimpleUploadedFile("slides.pdf", content, content_type="application/pdf")

    with pytest.raises(ValidationError) as caught:
        services.evidence_save(evidence=evidence, upload=upload, by=tenant.organiser)

    assert "not one of the accepted kinds" in caught.value.message_dict["file"][0]
    assert not Evidence.objects.exists()


def test_a_file_over_the_setting_is_refused(tenant: Any, settings: Any) -> None:
    settings.EVIDENCE_MAX_MB = 1
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 1_200_000)
    with pytest.raises(ValidationError) as caught:
        services.evidence_save(
            evidence=Evidence(assembly=tenant.assembly, title="Big"), upload=upload, by=tenant.organiser
        )
    assert caught.value.message_dict["file"] == ["The file is 1.2 MB; the largest accepted is 1 MB."]


def test_publishing_sets_and_clears_the_date(tenant: Any) -> None:
    evidence = services.evidence_save(
        evidence=Evidence(assembly=tenant.assembly, title="Summary", kind=EvidenceKind.SUMMARY),
        by=tenant.organiser,
    )
    assert evidence.published_at is None
    services.evidence_publish(evidence=evidence, published=True, by=tenant.organiser)
    assert evidence.published_at is not None
    services.evidence_publish(evidence=evidence, published=False, by=tenant.organiser)
    evidence.refresh_from_db()
    assert (evidence.is_published, evidence.published_at) == (False, None)


def test_another_assemblys_speaker_or_item_cannot_be_attached(tenant: Any, other_tenant: Any) -> None:
    evidence = Evidence(
        assembly=tenant.assembly,
        title="Mixed up",
        speaker=SpeakerFactory(assembly=other_tenant.assembly),
        item=AgendaItemFactory(session=SessionFactory(assembly=other_tenant.assembly)),
    )
    with pytest.raises(ValidationError) as caught:
        services.evidence_save(evidence=evidence, by=tenant.organiser)
    assert set(caught.value.message_dict) == {"speaker", "item"}


def test_a_member_or_another_organiser_may_not_save_evidence(tenant: Any, other_tenant: Any) -> None:
    for who in (tenant.member, other_tenant.organiser):
        with pytest.raises(PermissionDenied):
            services.evidence_save(evidence=Evidence(assembly=tenant.assembly, title="x"), by=who)


def test_a_recording_needs_a_link(tenant: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.evidence_save(
            evidence=Evidence(assembly=tenant.assembly, title="Talk", kind=EvidenceKind.RECORDING), by=SYSTEM
        )
    assert "url" in caught.value.message_dict


# --- questions ---------------------------------------------------------------------------
def test_a_member_asks_once_per_client_key(tenant: Any, membership: Any) -> None:
    session = SessionFactory(assembly=tenant.assembly)
    ask = dict(member=membership, session=session, text=" Who pays? ", client_key="abc", by=tenant.member)

    first = services.question_ask(**ask)  # type: ignore[arg-type]
    again = services.question_ask(**ask)  # type: ignore[arg-type]

    assert first.pk == again.pk
    assert Question.objects.count() == 1
    assert first.text == "Who pays?"
    assert AuditEvent.objects.filter(action="deliberation.question_asked").count() == 1


def test_questions_are_refused_after_the_session_and_for_someone_else(
    tenant: Any, membership: Any, other_tenant: Any
) -> None:
    past = SessionFactory(
        assembly=tenant.assembly,
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2) + dt.timedelta(hours=6),
    )
    with pytest.raises(ValidationError, match="over"):
        services.question_ask(member=membership, session=past, text="Late?", by=tenant.member)
    session = SessionFactory(assembly=tenant.assembly)
    neighbour = MemberFactory(assembly=tenant.assembly).user
    with pytest.raises(ValidationError, match="own questions"):
        services.question_ask(member=membership, session=session, text="Mine?", by=neighbour)
    with pytest.raises(PermissionDenied):
        services.question_ask(member=membership, session=session, text="Mine?", by=tenant.organiser)
    with pytest.raises(PermissionDenied):
        services.question_ask(member=membership, session=session, text="Mine?", by=other_tenant.member)
    with pytest.raises(ValidationError) as caught:
        services.question_ask(member=membership, session=session, text="   ", by=tenant.member)
    assert caught.value.message_dict == {"text": ["Write your question."]}


def test_merging_counts_the_askers_and_follows_to_the_kept_question(tenant: Any, facilitator: Any) -> None:
    session = SessionFactory(assembly=tenant.assembly)
    kept, dup1, dup2 = (QuestionFactory(session=session) for _ in range(3))
    same_member_again = QuestionFactory(session=session, member=kept.member)

    services.question_merge(question=dup1, into=kept, by=facilitator)
    # Merging into a merged question merges into the one it was merged with.
    services.question_merge(question=dup2, into=dup1, by=facilitator)
    services.question_merge(question=same_member_again, into=kept, by=facilitator)

    queue = selectors.facilitator_queue(session)
    assert [q.pk for q in queue] == [kept.pk]
    assert queue[0].askers == 3  # kept's member asked twice: counted once
    assert {d.pk for d in queue[0].duplicates} == {dup1.pk, dup2.pk, same_member_again.pk}
    assert AuditEvent.objects.filter(action="deliberation.question_merged").count() == 3


def test_a_merged_question_brings_its_own_duplicates(tenant: Any, facilitator: Any) -> None:
    session = SessionFactory(assembly=tenant.assembly)
    a, b, c = (QuestionFactory(session=session) for _ in range(3))
    services.question_merge(question=c, into=b, by=facilitator)
    services.question_merge(question=b, into=a, by=facilitator)
    assert set(Question.objects.filter(merged_into=a).values_list("pk", flat=True)) == {b.pk, c.pk}
    with pytest.raises(ValidationError, match="itself"):
        services.question_merge(question=a, into=c, by=facilitator)


def test_merging_across_sessions_or_tenants_is_refused(
    tenant: Any, facilitator: Any, other_facilitator: Any
) -> None:
    a = QuestionFactory(session=SessionFactory(assembly=tenant.assembly))
    b = QuestionFactory(session=SessionFactory(assembly=tenant.assembly))
    with pytest.raises(ValidationError, match="same session"):
        services.question_merge(question=a, into=b, by=facilitator)
    with pytest.raises(PermissionDenied):
        services.question_set_status(question=a, status=QuestionStatus.HIDDEN, by=other_facilitator)
    with pytest.raises(PermissionDenied):
        services.question_move(question=a, direction="up", by=tenant.member)


def test_moving_up_and_down_renumbers_the_kept_questions(tenant: Any, facilitator: Any) -> None:
    session = SessionFactory(assembly=tenant.assembly)
    a, b, c = (QuestionFactory(session=session, order=n) for n in (5, 9, 12))

    services.question_move(question=c, direction="up", by=facilitator)
    assert [q.pk for q in selectors.facilitator_queue(session)] == [a.pk, c.pk, b.pk]
    services.question_move(question=a, direction="down", by=facilitator)
    assert [q.pk for q in selectors.facilitator_queue(session)] == [c.pk, a.pk, b.pk]
    services.question_move(question=c, direction="up", by=facilitator)  # already first: stays
    assert list(Question.objects.order_by("order").values_list("order", flat=True)) == [1, 2, 3]


def test_answered_questions_go_after_the_ones_to_ask(tenant: Any, facilitator: Any) -> None:
    session = SessionFactory(assembly=tenant.assembly)
    a, b = QuestionFactory(session=session, order=1), QuestionFactory(session=session, order=2)
    services.question_set_status(question=a, status=QuestionStatus.ANSWERED, by=facilitator)
    queue = selectors.facilitator_queue(session)
    assert [(q.pk, q.closed) for q in queue] == [(b.pk, 0), (a.pk, 1)]
    a.refresh_from_db()
    assert a.answered_at is not None


def test_a_member_sees_the_status_of_the_question_theirs_was_merged_into(
    tenant: Any, facilitator: Any, membership: Any
) -> None:
    session = SessionFactory(assembly=tenant.assembly)
    mine = QuestionFactory(session=session, member=membership)
    kept = QuestionFactory(session=session, member=MemberFactory(assembly=tenant.assembly))
    services.question_merge(question=mine, into=kept, by=facilitator)
    services.question_set_status(question=kept, status=QuestionStatus.ANSWERED, by=facilitator)
    (row,) = selectors.member_questions(membership)
    assert row.merged_into.get_status_display() == "Answered"


def test_a_new_file_replaces_the_old_one_and_deleting_removes_it(
    tenant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    evidence = services.evidence_save(
        evidence=Evidence(assembly=tenant.assembly, title="Slides", kind=EvidenceKind.SLIDES),
        upload=pdf(),
        by=tenant.organiser,
    )
    first = Path(evidence.file.path)
    evidence.title = "Slides, revised"
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_save(evidence=evidence, upload=pdf(), by=tenant.organiser)
    second = Path(evidence.file.path)
    assert evidence.file_name == "Slides_revised.pdf"
    assert second.exists() and not first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(evidence=evidence, by=tenant.organiser)
    assert not second.exists()
    assert AuditEvent.objects.filter(action="deliberation.evidence_deleted").exists()
