from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from assemblies.actors import SYSTEM
from assemblies.models import AuditEvent, Member
from notifications.models import OutboxMessage
from recommendations.drafting import services
from recommendations.drafting.tasks import send_comment_digests
from recommendations.models import AmendmentState, AmendmentSupport, Comment, Recommendation, Version
from tests.factories import make_draft

pytestmark = pytest.mark.django_db


def _save(d: Any, text: str, base: int, by: Any) -> Version | None:
    return services.recommendation_save(recommendation=d.draft, data={"text": text}, base_version=base, by=by)


# --- numbers and versions ---------------------------------------------------------
def test_drafts_are_numbered_per_assembly(drafting: Any, other_assembly: Any) -> None:
    second = make_draft(drafting.assembly, title="Second")
    elsewhere = make_draft(other_assembly)
    assert (drafting.draft.number, second.number, elsewhere.number) == (1, 2, 1)
    assert drafting.draft.versions.get().number == 1


def test_every_save_is_a_version_with_its_author(drafting: Any) -> None:
    version = _save(drafting, "New first.\n\nSecond.", 1, drafting.writer)
    assert version is not None and version.number == 2 and version.author == drafting.writer
    drafting.draft.refresh_from_db()
    assert drafting.draft.version == 2 and drafting.draft.text == "New first.\n\nSecond."
    assert list(drafting.draft.versions.values_list("number", flat=True)) == [1, 2]
    assert AuditEvent.objects.filter(action="recommendations.saved", actor=drafting.writer).count() == 1


def test_a_save_without_change_makes_no_version(drafting: Any) -> None:
    assert _save(drafting, drafting.draft.text, 1, drafting.writer) is None
    assert drafting.draft.versions.count() == 1


def test_a_save_based_on_an_older_version_is_refused(drafting: Any) -> None:
    _save(drafting, "Wendy's text.", 1, drafting.writer)
    with pytest.raises(services.EditConflict) as clash:
        _save(drafting, "Walter's text.", 1, drafting.writer2)
    assert clash.value.current.number == 2 and clash.value.current.text == "Wendy's text."
    drafting.draft.refresh_from_db()
    assert drafting.draft.text == "Wendy's text." and drafting.draft.version == 2


def test_only_the_working_group_edits(drafting: Any) -> None:
    for outsider in (drafting.reader, drafting.organiser):
        with pytest.raises(PermissionDenied):
            _save(drafting, "Mine.", 1, outsider)
    assert _save(drafting, "The facilitator's.", 1, drafting.facilitator) is not None


def test_empty_title_or_text_is_refused_naming_the_field(drafting: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.recommendation_save(
            recommendation=drafting.draft, data={"title": " ", "text": ""}, base_version=1, by=drafting.writer
        )
    assert set(error.value.message_dict) == {"title", "text"}


# --- comments ---------------------------------------------------------------------
def test_a_member_comments_on_a_paragraph_or_the_whole_draft(drafting: Any) -> None:
    on_two = services.comment_add(recommendation=drafting.draft, text="Yes!", paragraph=2, by=drafting.reader)
    whole = services.comment_add(
        recommendation=drafting.draft, text="Good.", paragraph=None, by=drafting.reader
    )
    assert (on_two.paragraph, whole.paragraph, on_two.member.user) == (2, None, drafting.reader)
    with pytest.raises(ValidationError):
        services.comment_add(recommendation=drafting.draft, text="?", paragraph=9, by=drafting.reader)
    with pytest.raises(ValidationError):
        services.comment_add(recommendation=drafting.draft, text="  ", paragraph=None, by=drafting.reader)


def test_a_member_of_another_assembly_cannot_comment(drafting: Any, other_member: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.comment_add(recommendation=drafting.draft, text="Hi", paragraph=None, by=other_member)


def test_facilitators_hide_a_comment_with_a_reason_audited(drafting: Any) -> None:
    comment = services.comment_add(
        recommendation=drafting.draft, text="Rude", paragraph=1, by=drafting.reader
    )
    with pytest.raises(PermissionDenied):
        services.comment_hide(comment=comment, reason="no", by=drafting.writer)
    with pytest.raises(ValidationError):
        services.comment_hide(comment=comment, reason=" ", by=drafting.facilitator)
    services.comment_hide(comment=comment, reason="Personal attack", by=drafting.facilitator)
    comment.refresh_from_db()
    assert comment.hidden_reason == "Personal attack" and comment.hidden_by == drafting.facilitator
    event = AuditEvent.objects.get(action="recommendations.comment_hidden")
    assert event.actor == drafting.facilitator and event.object_id == str(comment.pk)
    services.comment_hide(comment=services.comment_add(
        recommendation=drafting.draft, text="Also", paragraph=None, by=drafting.reader
    ), reason="Off topic", by=drafting.organiser)  # fmt: skip


def test_the_digest_sends_one_email_per_member_never_one_per_comment(drafting: Any) -> None:
    for text in ("One", "Two", "Three"):
        services.comment_add(recommendation=drafting.draft, text=text, paragraph=1, by=drafting.reader)
    services.comment_add(recommendation=drafting.draft, text="Mine", paragraph=None, by=drafting.writer)
    hidden = services.comment_add(
        recommendation=drafting.draft, text="Spam", paragraph=None, by=drafting.reader2
    )
    services.comment_hide(comment=hidden, reason="Spam", by=drafting.facilitator)

    assert send_comment_digests() == 3  # two members of the group and its facilitator

    messages = {m.recipient: m for m in OutboxMessage.objects.filter(template="comment_digest")}
    assert set(messages) == {"wendy@example.org", "walter@example.org", "fiona@example.org"}
    walter = messages["walter@example.org"]
    for text in ("One", "Two", "Three", "Mine", "paragraph 1"):
        assert text in walter.body_text
    assert "Spam" not in walter.body_text
    assert "4 new comments" in walter.subject
    assert "Mine" not in messages["wendy@example.org"].body_text  # not told of her own comment
    # Nothing new: nothing sent.
    assert send_comment_digests() == 0
    assert OutboxMessage.objects.filter(template="comment_digest").count() == 3


def test_the_digest_is_in_each_members_language(drafting: Any) -> None:
    drafting.assembly.languages = ["fr", "en"]
    drafting.assembly.save(update_fields=["languages"])
    services.comment_add(recommendation=drafting.draft, text="Oui", paragraph=1, by=drafting.reader)
    send_comment_digests()
    assert set(
        OutboxMessage.objects.filter(template="comment_digest").values_list("language", flat=True)
    ) == {"fr"}


# --- amendments --------------------------------------------------------------------
def _propose(d: Any, by: Any = None, paragraph: int = 2, text: str = "Second paragraph, amended.") -> Any:
    return services.amendment_propose(
        recommendation=d.draft, paragraph=paragraph, proposed=text, explanation="Better", by=by or d.reader
    )


def test_a_member_proposes_an_amendment_to_a_paragraph(drafting: Any) -> None:
    amendment = _propose(drafting)
    assert (amendment.original, amendment.base_version, amendment.state) == (
        "Second paragraph.",
        1,
        "proposed",
    )
    with pytest.raises(ValidationError):
        _propose(drafting, text="Second paragraph.")  # no change
    with pytest.raises(ValidationError):
        _propose(drafting, paragraph=4)


def test_others_support_once_each_enforced_by_the_database(drafting: Any) -> None:
    amendment = _propose(drafting)
    services.amendment_support(amendment=amendment, by=drafting.reader2)
    with pytest.raises(ValidationError, match="already"):
        services.amendment_support(amendment=amendment, by=drafting.reader2)
    with pytest.raises(ValidationError):
        services.amendment_support(amendment=amendment, by=drafting.reader)  # the author
    member = Member.objects.get(user=drafting.reader2)
    with pytest.raises(IntegrityError), transaction.atomic():
        AmendmentSupport.objects.create(amendment=amendment, member=member)
    assert amendment.supports.count() == 1


def test_the_author_withdraws(drafting: Any) -> None:
    amendment = _propose(drafting)
    with pytest.raises(PermissionDenied):
        services.amendment_withdraw(amendment=amendment, by=drafting.reader2)
    services.amendment_withdraw(amendment=amendment, by=drafting.reader)
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.WITHDRAWN
    with pytest.raises(ValidationError):
        services.amendment_support(amendment=amendment, by=drafting.reader2)


def test_accepting_merges_a_new_version_crediting_the_author(drafting: Any) -> None:
    amendment = _propose(drafting)
    with pytest.raises(PermissionDenied):
        services.amendment_accept(amendment=amendment, by=drafting.reader2)
    version = services.amendment_accept(amendment=amendment, by=drafting.writer)
    drafting.draft.refresh_from_db()
    assert drafting.draft.text == "First paragraph.\n\nSecond paragraph, amended.\n\nThird paragraph."
    assert (version.number, version.amendment, version.note) == (2, amendment, "Amendment by Alpha Member")
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.ACCEPTED and amendment.decided_by == drafting.writer
    assert AuditEvent.objects.filter(action="recommendations.amendment_accepted").exists()
    with pytest.raises(ValidationError):
        services.amendment_reject(amendment=amendment, reason="late", by=drafting.writer)


def test_an_amendment_on_an_older_version_merges_if_its_paragraph_is_unchanged(drafting: Any) -> None:
    amendment = _propose(drafting)
    _save(
        drafting,
        "New first.\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.",
        1,
        drafting.writer,
    )
    services.amendment_accept(amendment=amendment, by=drafting.writer)
    drafting.draft.refresh_from_db()
    assert drafting.draft.text.split("\n\n")[2] == "Second paragraph, amended."


def test_an_amendment_whose_paragraph_changed_since_is_refused(drafting: Any) -> None:
    amendment = _propose(drafting)
    _save(drafting, "First paragraph.\n\nSecond paragraph, reworded.\n\nThird paragraph.", 1, drafting.writer)
    with pytest.raises(ValidationError, match="Paragraph 2 has changed since"):
        services.amendment_accept(amendment=amendment, by=drafting.writer)
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.PROPOSED


def test_reject_needs_a_reason_and_a_rejected_amendment_can_become_a_recommendation(drafting: Any) -> None:
    amendment = _propose(drafting)
    with pytest.raises(ValidationError):
        services.amendment_reject(amendment=amendment, reason="", by=drafting.writer)
    services.amendment_reject(amendment=amendment, reason="Out of scope", by=drafting.writer)
    new = services.amendment_to_recommendation(amendment=amendment, by=drafting.writer)
    assert (new.number, new.text, new.from_amendment, new.working_group) == (
        2, "Second paragraph, amended.", amendment, drafting.group
    )  # fmt: skip
    assert new.versions.count() == 1
    with pytest.raises(ValidationError):
        services.amendment_to_recommendation(amendment=amendment, by=drafting.writer)
    assert AuditEvent.objects.filter(
        action="recommendations.amendment_became_recommendation", actor=drafting.writer
    ).exists()


def test_to_vote_then_the_ballot_can_accept_it(drafting: Any) -> None:
    amendment = _propose(drafting)
    services.amendment_to_vote(amendment=amendment, by=drafting.writer)
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.TO_VOTE
    with pytest.raises(ValidationError):
        services.amendment_support(amendment=amendment, by=drafting.reader2)
    with pytest.raises(ValidationError):  # the ballot decides now, not the working group
        services.amendment_accept(amendment=amendment, by=drafting.writer)
    services.amendment_accept(amendment=amendment, by=SYSTEM)
    assert Recommendation.objects.get(pk=drafting.draft.pk).version == 2


def test_erasing_a_member_removes_their_comments_and_supports_and_keeps_amendments(drafting: Any) -> None:
    from assemblies.registry import registry

    reader = Member.objects.get(user=drafting.reader)
    writer = Member.objects.get(user=drafting.writer)
    services.comment_add(recommendation=drafting.draft, text="Mine", paragraph=1, by=drafting.reader)
    amendment = _propose(drafting)
    services.amendment_support(
        amendment=_propose(drafting, by=drafting.reader2, paragraph=1), by=drafting.reader
    )
    registry.erase_member(reader)
    registry.erase_member(writer)
    assert not Comment.objects.filter(member=reader).exists()
    assert not AmendmentSupport.objects.filter(member=reader).exists()
    amendment.refresh_from_db()
    assert amendment.author is None and amendment.proposed == "Second paragraph, amended."
    assert list(drafting.group.members.all()) == [Member.objects.get(user=drafting.writer2)]
