"""Writes of the speakers-and-evidence part: evidence files (checked by
content, stored privately, audited) and members' questions (asked by members,
merged, ordered and answered by facilitators)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, acting_user, authorise
from assemblies.audit import audit_record
from assemblies.models import Member
from assemblies.rules import USE_PORTAL
from deliberation.models import (
    AgendaItem,
    Evidence,
    EvidenceKind,
    Question,
    QuestionStatus,
    Session,
    SessionStatus,
    Speaker,
)
from deliberation.rules import FACILITATE, MANAGE_PROGRAMME
from reports.files import DOCUMENTS, check_upload, stored_name

#: The longest question a member may send (characters).
QUESTION_MAX_LENGTH = 1000


def evidence_max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_MB", 20)) * 1_000_000


# --- evidence ------------------------------------------------------------------------
def check_evidence_file(upload: Any) -> None:
    """A ValidationError in plain words for a file we would refuse (for forms)."""
    check_upload(upload, allowed=DOCUMENTS, max_bytes=evidence_max_bytes())


def _check_links(evidence: Evidence) -> None:
    """The agenda item, topic and speaker belong to the evidence's assembly."""
    errors: dict[str, str] = {}
    if (
        evidence.item_id
        and not AgendaItem.objects.filter(
            pk=evidence.item_id, session__assembly_id=evidence.assembly_id
        ).exists()
    ):
        errors["item"] = _("This agenda item is not in the evidence's assembly.")
    if evidence.topic_id and evidence.topic.assembly_id != evidence.assembly_id:  # type: ignore[union-attr]
        errors["topic"] = _("This topic is not in the evidence's assembly.")
    if evidence.speaker_id and evidence.speaker.assembly_id != evidence.assembly_id:  # type: ignore[union-attr]
        errors["speaker"] = _("This speaker is not in the evidence's assembly.")
    if evidence.kind == EvidenceKind.RECORDING and not evidence.url:
        errors["url"] = _("A recording needs a link.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def evidence_save(*, evidence: Evidence, upload: Any = None, by: Actor) -> Evidence:
    """Create or change an evidence item. A new file (``upload``) is checked by
    its content and size, stored in private storage under a safe name, and its
    name, type and size recorded; publishing sets ``published_at`` once."""
    authorise(by, MANAGE_PROGRAMME, evidence.assembly, _("You may not change this assembly's evidence."))
    _check_links(evidence)
    created = evidence.pk is None
    changes: dict[str, Any] = {}
    if upload is not None:
        try:
            kind = check_upload(upload, allowed=DOCUMENTS, max_bytes=evidence_max_bytes())
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        name = stored_name(evidence.title or getattr(upload, "name", "") or "evidence", kind)
        old = evidence.file.name if evidence.file else ""
        evidence.file.save(name, upload, save=False)
        evidence.file_name = name
        evidence.content_type = kind.content_type
        evidence.size = upload.size
        changes["file"] = {"type": kind.key, "size": upload.size}
        if old and old != evidence.file.name:
            storage, old_name = evidence.file.storage, old
            transaction.on_commit(lambda: storage.delete(old_name))
    elif not evidence.file:
        evidence.file_name, evidence.content_type, evidence.size = "", "", 0
    if evidence.is_published and evidence.published_at is None:
        evidence.published_at = timezone.now()
        changes["published"] = True
    elif not evidence.is_published and evidence.published_at is not None:
        evidence.published_at = None
        changes["published"] = False
    if created:
        evidence.created_by = acting_user(by)  # type: ignore[assignment]
    evidence.save()
    audit_record(
        action="deliberation.evidence_added" if created else "deliberation.evidence_changed",
        by=by,
        assembly=evidence.assembly,
        obj=evidence,
        data=changes,
    )
    return evidence


@transaction.atomic
def evidence_publish(*, evidence: Evidence, published: bool, by: Actor) -> Evidence:
    """Put an item in the public evidence library, or take it out."""
    evidence.is_published = published
    return evidence_save(evidence=evidence, by=by)


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by: Actor) -> None:
    authorise(by, MANAGE_PROGRAMME, evidence.assembly, _("You may not change this assembly's evidence."))
    audit_record(action="deliberation.evidence_deleted", by=by, assembly=evidence.assembly, obj=evidence)
    if evidence.file:
        storage, name = evidence.file.storage, evidence.file.name
        transaction.on_commit(lambda: storage.delete(name))
    evidence.delete()


# --- members' questions ----------------------------------------------------------------
def sessions_open_for_questions(assembly_id: int) -> Any:
    """Sessions a member may still send questions to: not over, not cancelled."""
    return (
        Session.objects.filter(assembly_id=assembly_id, ends_at__gte=timezone.now())
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at", "id")
    )


@transaction.atomic
def question_ask(
    *,
    member: Member,
    session: Session,
    text: str,
    speaker: Speaker | None = None,
    item: AgendaItem | None = None,
    client_key: str = "",
    by: Actor,
) -> Question:
    """A member sends a question before or during a session. The same
    ``client_key`` sent twice (a double press, a retry) gives the one question."""
    authorise(by, USE_PORTAL, session.assembly, _("You may not ask questions in this assembly."))
    if by is not SYSTEM and member.user_id != getattr(by, "pk", None):
        raise ValidationError(_("You can only send your own questions."))
    if member.assembly_id != session.assembly_id:
        raise ValidationError({"session": _("This session is not in your assembly.")})
    client_key = (client_key or "").strip()[:64]
    if client_key:
        existing = Question.objects.filter(member=member, client_key=client_key).first()
        if existing is not None:
            return existing
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your question.")})
    if len(text) > QUESTION_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("Your question is too long: %(max)s characters at most.")
                % {"max": QUESTION_MAX_LENGTH}
            }
        )
    if not sessions_open_for_questions(session.assembly_id).filter(pk=session.pk).exists():
        raise ValidationError({"session": _("This session is over: questions are closed.")})
    if speaker is not None and speaker.assembly_id != session.assembly_id:
        raise ValidationError({"speaker": _("This speaker is not in your assembly.")})
    if item is not None and item.session_id != session.pk:
        raise ValidationError({"item": _("This agenda item is not in this session.")})
    last = Question.objects.filter(session=session).aggregate(m=Max("order"))["m"] or 0
    question = Question(
        session=session,
        member=member,
        text=text,
        speaker=speaker,
        item=item,
        client_key=client_key,
        order=last + 1,
    )
    try:
        with transaction.atomic():
            question.save()
    except IntegrityError:
        # The same key, sent at the same moment by a retry: the first one won.
        return Question.objects.get(member=member, client_key=client_key)
    audit_record(action="deliberation.question_asked", by=by, assembly=session.assembly, obj=question)
    return question


def _check_facilitates(question: Question, by: Actor) -> None:
    authorise(by, FACILITATE, question.session.assembly, _("You may not handle this assembly's questions."))


def _root(question: Question) -> Question:
    seen = {question.pk}
    while question.merged_into_id is not None:
        question = Question.objects.select_related("session__assembly").get(pk=question.merged_into_id)
        if question.pk in seen:  # never expected; a loop must not hang a request
            break
        seen.add(question.pk)
    return question


@transaction.atomic
def question_merge(*, question: Question, into: Question, by: Actor) -> Question:
    """``question`` is a duplicate of ``into``: it (and whatever was merged into
    it) now points to the kept question, which counts one more asker."""
    _check_facilitates(question, by)
    into = _root(into)
    if into.session_id != question.session_id:
        raise ValidationError(_("Only questions of the same session can be merged."))
    if into.pk == question.pk:
        raise ValidationError(_("A question cannot be merged with itself."))
    Question.objects.filter(merged_into=question).update(merged_into=into)
    question.merged_into = into
    question.updated_by = acting_user(by)  # type: ignore[assignment]
    question.save(update_fields=["merged_into", "updated_by"])
    if into.status == QuestionStatus.HIDDEN and question.status != QuestionStatus.HIDDEN:
        into.status = question.status
        into.save(update_fields=["status"])
    audit_record(
        action="deliberation.question_merged",
        by=by,
        assembly=question.session.assembly,
        obj=question,
        data={"into": into.pk},
    )
    return into


@transaction.atomic
def question_unmerge(*, question: Question, by: Actor) -> Question:
    """Undo a merge: the question stands on its own again, at the end of the list."""
    _check_facilitates(question, by)
    if question.merged_into_id is None:
        return question
    last = Question.objects.filter(session_id=question.session_id).aggregate(m=Max("order"))["m"] or 0
    question.merged_into = None
    question.order = last + 1
    question.updated_by = acting_user(by)  # type: ignore[assignment]
    question.save(update_fields=["merged_into", "order", "updated_by"])
    audit_record(
        action="deliberation.question_unmerged", by=by, assembly=question.session.assembly, obj=question
    )
    return question


@transaction.atomic
def question_move(*, question: Question, direction: str, by: Actor) -> None:
    """Move a kept question one place up or down among its session's kept
    questions (the others are renumbered 1, 2, 3… in the same go)."""
    _check_facilitates(question, by)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a question up or down."))
    if question.merged_into_id is not None:
        raise ValidationError(_("This question is merged with another: move that one."))
    kept = list(
        Question.objects.select_for_update()
        .filter(session_id=question.session_id, merged_into__isnull=True)
        .order_by("order", "created_at", "id")
    )
    index = next(i for i, q in enumerate(kept) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(kept):
        kept[index], kept[other] = kept[other], kept[index]
    for number, row in enumerate(kept, start=1):
        if row.order != number:
            row.order = number
            row.save(update_fields=["order"])
    audit_record(
        action="deliberation.question_moved",
        by=by,
        assembly=question.session.assembly,
        obj=question,
        data={"direction": direction},
    )


@transaction.atomic
def question_set_status(*, question: Question, status: str, by: Actor) -> Question:
    """Choose a question to be asked, mark it answered, hide it, or put it back."""
    _check_facilitates(question, by)
    if status not in QuestionStatus.values:
        raise ValidationError(_("Unknown status."))
    if question.merged_into_id is not None:
        raise ValidationError(_("This question is merged with another: change that one."))
    question.status = status
    question.answered_at = timezone.now() if status == QuestionStatus.ANSWERED else None
    question.updated_by = acting_user(by)  # type: ignore[assignment]
    question.save(update_fields=["status", "answered_at", "updated_by"])
    audit_record(
        action="deliberation.question_status",
        by=by,
        assembly=question.session.assembly,
        obj=question,
        data={"status": status},
    )
    return question
