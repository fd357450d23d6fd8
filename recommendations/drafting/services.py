"""Writes of drafting: recommendations and their versions, comments and
their moderation, amendments and their support and decisions.

Every function is keyword-only, runs in one transaction, checks who acts and
records an audit event. ``ValidationError`` carries a message for the user;
``EditConflict`` says a save was based on an older version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, acting_user, authorise, require_actor
from assemblies.audit import audit_record
from assemblies.models import Assembly, Member
from assemblies.selectors import membership_of
from recommendations.models.drafting import (
    Amendment,
    AmendmentState,
    AmendmentSupport,
    Comment,
    Recommendation,
    RecommendationStatus,
    Version,
    WorkingGroup,
)
from recommendations.rules import MANAGE_RECOMMENDATIONS, TAKE_PART

from . import selectors
from .markdown import blocks, replace_paragraph

#: The fields a version keeps (the rest, such as topics, are the draft's current state).
VERSIONED = ("title", "text", "rationale", "impact")
#: The fields a working group edits.
EDITABLE = (*VERSIONED, "addressee", "level")
MAX_COMMENT = 4000


class EditConflict(Exception):
    """Someone saved a newer version since the editor opened the draft."""

    def __init__(self, current: Version) -> None:
        super().__init__(f"version {current.number} was saved in the meantime")
        self.current = current


# --- checks -----------------------------------------------------------------------
def check_editor(by: Actor, recommendation: Recommendation) -> None:
    require_actor(by)
    if by is SYSTEM or selectors.is_editor(by, recommendation):
        return
    raise PermissionDenied(_("Only the working group of this recommendation can change it."))


def _member(by: Actor, assembly: Assembly) -> Member:
    authorise(by, TAKE_PART, assembly, _("Only members of this assembly can do this."))
    member = membership_of(by, assembly)
    if member is None:  # pragma: no cover  (TAKE_PART means a membership)
        raise PermissionDenied(_("Only members of this assembly can do this."))
    return member


def _check_moderator(by: Actor, assembly: Assembly) -> None:
    require_actor(by)
    if by is not SYSTEM and not selectors.may_moderate(by, assembly):
        raise PermissionDenied(_("Only the facilitators and organisers can hide a comment."))


def check_draft(recommendation: Recommendation, by: Actor) -> None:
    """Only a draft changes; once put to the vote or decided, its text stays
    (the system may still merge an amendment a ballot adopted)."""
    if by is SYSTEM or recommendation.status == RecommendationStatus.DRAFT:
        return
    raise ValidationError(
        _("This recommendation is no longer a draft (%(status)s): its text cannot change.")
        % {"status": recommendation.get_status_display().lower()}
    )


# --- recommendations and versions ---------------------------------------------------
def next_number(assembly: Assembly) -> int:
    # Lock the assembly so that two new recommendations cannot take the same number.
    Assembly.objects.select_for_update().filter(pk=assembly.pk).first()
    highest = Recommendation.objects.filter(assembly=assembly).aggregate(n=Max("number"))["n"]
    return (highest or 0) + 1


def _record_version(
    recommendation: Recommendation, *, by: Actor, note: str = "", amendment: Amendment | None = None
) -> Version:
    return Version.objects.create(
        recommendation=recommendation,
        number=recommendation.version,
        title=recommendation.title,
        text=recommendation.text,
        rationale=recommendation.rationale,
        impact=recommendation.impact,
        author=acting_user(by),  # type: ignore[misc]
        note=note[:300],
        amendment=amendment,
    )


def _clean_data(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {key: data[key] for key in EDITABLE if key in data}
    for key in VERSIONED:
        if key in values:
            values[key] = str(values[key] or "").replace("\r\n", "\n").strip()
    errors = {}
    if "title" in values and not values["title"]:
        errors["title"] = _("Give the recommendation a title.")
    if "text" in values and not values["text"]:
        errors["text"] = _("Write the recommendation's text.")
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def recommendation_create(
    *,
    assembly: Assembly,
    data: Mapping[str, Any],
    by: Actor,
    working_group: WorkingGroup | None = None,
    from_amendment: Amendment | None = None,
    note: str = "",
) -> Recommendation:
    """A new draft with its first version, numbered after the assembly's last."""
    authorise(by, MANAGE_RECOMMENDATIONS, assembly)
    values = _clean_data(data)
    if working_group is not None and working_group.assembly_id != assembly.pk:
        raise ValidationError({"working_group": _("This working group belongs to another assembly.")})
    recommendation = Recommendation.objects.create(
        assembly=assembly,
        number=next_number(assembly),
        working_group=working_group,
        from_amendment=from_amendment,
        version=1,
        **values,
    )
    _record_version(recommendation, by=by, note=note)
    audit_record(
        action="recommendations.created",
        by=by,
        assembly=assembly,
        obj=recommendation,
        data={"number": recommendation.number, "from_amendment": getattr(from_amendment, "pk", None)},
    )
    return recommendation


@transaction.atomic
def recommendation_save(
    *,
    recommendation: Recommendation,
    data: Mapping[str, Any],
    base_version: int,
    by: Actor,
    note: str = "",
    amendment: Amendment | None = None,
) -> Version | None:
    """Save the working group's edit as a new version.

    Refuses (``EditConflict``) when ``base_version``, the version the editor
    started from, is no longer the current one: nothing is overwritten
    silently. Returns the new version, or None when nothing changed.
    """
    check_editor(by, recommendation)
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    check_draft(locked, by)
    if locked.version != base_version:
        raise EditConflict(locked.versions.select_related("author").get(number=locked.version))
    values = _clean_data(data)
    changed = [key for key, value in values.items() if getattr(locked, key) != value]
    if not changed:
        return None
    for key in changed:
        setattr(locked, key, values[key])
    versioned_change = any(key in VERSIONED for key in changed)
    if versioned_change:
        locked.version += 1
    locked.save()
    version = _record_version(locked, by=by, note=note, amendment=amendment) if versioned_change else None
    audit_record(
        action="recommendations.saved",
        by=by,
        assembly=locked.assembly,
        obj=locked,
        data={"version": locked.version, "fields": changed, "amendment": getattr(amendment, "pk", None)},
    )
    for key in (*EDITABLE, "version", "updated_at"):
        setattr(recommendation, key, getattr(locked, key))
    return version


# --- comments -------------------------------------------------------------------------
@transaction.atomic
def comment_add(*, recommendation: Recommendation, text: str, paragraph: int | None, by: Actor) -> Comment:
    member = _member(by, recommendation.assembly)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your comment.")})
    if len(text) > MAX_COMMENT:
        raise ValidationError({"text": _("Keep your comment under %(n)s characters.") % {"n": MAX_COMMENT}})
    if paragraph is not None and not 1 <= paragraph <= len(blocks(recommendation.text)):
        raise ValidationError({"paragraph": _("This paragraph does not exist.")})
    comment = Comment.objects.create(
        recommendation=recommendation,
        paragraph=paragraph,
        version=recommendation.version,
        member=member,
        text=text,
    )
    audit_record(
        action="recommendations.commented",
        by=by,
        assembly=recommendation.assembly,
        obj=comment,
        data={"recommendation": recommendation.number, "paragraph": paragraph},
    )
    return comment


@transaction.atomic
def comment_hide(*, comment: Comment, reason: str, by: Actor) -> Comment:
    assembly = comment.recommendation.assembly
    _check_moderator(by, assembly)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the comment is hidden; members will see the reason.")})
    if comment.hidden_at is not None:
        raise ValidationError(_("This comment is already hidden."))
    comment.hidden_at = timezone.now()
    comment.hidden_by = acting_user(by)  # type: ignore[assignment]
    comment.hidden_reason = reason[:300]
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit_record(
        action="recommendations.comment_hidden",
        by=by,
        assembly=assembly,
        obj=comment,
        data={"reason": comment.hidden_reason, "recommendation": comment.recommendation.number},
    )
    return comment


# --- amendments -----------------------------------------------------------------------
@transaction.atomic
def amendment_propose(
    *, recommendation: Recommendation, paragraph: int, proposed: str, explanation: str, by: Actor
) -> Amendment:
    member = _member(by, recommendation.assembly)
    check_draft(recommendation, by)
    found = blocks(recommendation.text)
    if not 1 <= paragraph <= len(found):
        raise ValidationError({"paragraph": _("This paragraph does not exist.")})
    original = found[paragraph - 1].source
    proposed = (proposed or "").replace("\r\n", "\n").strip()
    if not proposed:
        raise ValidationError({"proposed": _("Write the text you propose for this paragraph.")})
    if proposed == original:
        raise ValidationError({"proposed": _("Your text is the same as the paragraph: change something.")})
    amendment = Amendment.objects.create(
        recommendation=recommendation,
        paragraph=paragraph,
        base_version=recommendation.version,
        original=original,
        proposed=proposed,
        explanation=(explanation or "").strip(),
        author=member,
    )
    audit_record(
        action="recommendations.amendment_proposed",
        by=by,
        assembly=recommendation.assembly,
        obj=amendment,
        data={"recommendation": recommendation.number, "paragraph": paragraph},
    )
    return amendment


def _locked(amendment: Amendment) -> Amendment:
    locked = (
        Amendment.objects.select_for_update(of=("self",))
        .select_related("recommendation__assembly", "author")
        .get(pk=amendment.pk)
    )
    return locked


def _require_state(amendment: Amendment, *states: str) -> None:
    if amendment.state not in states:
        raise ValidationError(
            _("This amendment is already %(state)s.") % {"state": amendment.get_state_display().lower()}
        )


@transaction.atomic
def amendment_support(*, amendment: Amendment, by: Actor) -> AmendmentSupport:
    member = _member(by, amendment.recommendation.assembly)
    locked = _locked(amendment)
    _require_state(locked, AmendmentState.PROPOSED)
    if locked.author_id == member.pk:
        raise ValidationError(_("You proposed this amendment: others can support it."))
    try:
        with transaction.atomic():
            support = AmendmentSupport.objects.create(amendment=locked, member=member)
    except IntegrityError:
        raise ValidationError(_("You already support this amendment.")) from None
    return support


@transaction.atomic
def amendment_withdraw(*, amendment: Amendment, by: Actor) -> Amendment:
    member = _member(by, amendment.recommendation.assembly)
    locked = _locked(amendment)
    if locked.author_id != member.pk:
        raise PermissionDenied(_("Only the member who proposed an amendment can withdraw it."))
    _require_state(locked, AmendmentState.PROPOSED)
    return _decide(locked, AmendmentState.WITHDRAWN, by=by, action="recommendations.amendment_withdrawn")


def _decidable(by: Actor) -> tuple[str, ...]:
    """The working group decides a proposed amendment; one put to the vote is
    the ballot's to decide (the system, when the ballot closes)."""
    if by is SYSTEM:
        return (AmendmentState.PROPOSED, AmendmentState.TO_VOTE)
    return (AmendmentState.PROPOSED,)


def _decide(amendment: Amendment, state: str, *, by: Actor, action: str, reason: str = "") -> Amendment:
    amendment.state = state
    amendment.reason = reason
    amendment.decided_by = acting_user(by)  # type: ignore[assignment]
    amendment.decided_at = timezone.now()
    amendment.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    audit_record(
        action=action,
        by=by,
        assembly=amendment.recommendation.assembly,
        obj=amendment,
        data={"recommendation": amendment.recommendation.number, "state": state, "reason": reason},
    )
    return amendment


def current_paragraph(amendment: Amendment, text: str) -> int | None:
    """Where the amended paragraph is now: its number if its text is unchanged
    (at the same place, or moved), None if it was changed since."""
    sources = [block.source for block in blocks(text)]
    if amendment.paragraph <= len(sources) and sources[amendment.paragraph - 1] == amendment.original:
        return amendment.paragraph
    if sources.count(amendment.original) == 1:
        return sources.index(amendment.original) + 1
    return None


@transaction.atomic
def amendment_accept(*, amendment: Amendment, by: Actor) -> Version:
    """Merge the amendment into the text as a new version crediting its author.

    Refused when the paragraph was changed since the amendment was proposed
    (the working group then edits the text by hand or rejects the amendment)."""
    check_editor(by, amendment.recommendation)
    locked = _locked(amendment)
    _require_state(locked, *_decidable(by))
    recommendation = Recommendation.objects.select_for_update().get(pk=locked.recommendation_id)
    number = current_paragraph(locked, recommendation.text)
    if number is None:
        raise ValidationError(
            _(
                "Paragraph %(n)s has changed since this amendment was proposed (on version %(v)s): "
                "it can no longer be merged as it is. Edit the text, or reject the amendment with a reason."
            )
            % {"n": locked.paragraph, "v": locked.base_version}
        )
    author = str(locked.author) if locked.author else _("a former member")
    version = recommendation_save(
        recommendation=recommendation,
        data={"text": replace_paragraph(recommendation.text, number, locked.proposed)},
        base_version=recommendation.version,
        by=by,
        note=_("Amendment by %(name)s") % {"name": author},
        amendment=locked,
    )
    _decide(locked, AmendmentState.ACCEPTED, by=by, action="recommendations.amendment_accepted")
    assert version is not None  # the proposed text differs from the paragraph
    return version


@transaction.atomic
def amendment_reject(*, amendment: Amendment, reason: str, by: Actor) -> Amendment:
    check_editor(by, amendment.recommendation)
    locked = _locked(amendment)
    _require_state(locked, *_decidable(by))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the amendment is rejected; its author will read it.")})
    return _decide(
        locked, AmendmentState.REJECTED, by=by, action="recommendations.amendment_rejected", reason=reason
    )


@transaction.atomic
def amendment_to_vote(*, amendment: Amendment, by: Actor) -> Amendment:
    """The working group leaves the decision to the assembly (a ballot picks it up)."""
    check_editor(by, amendment.recommendation)
    locked = _locked(amendment)
    _require_state(locked, AmendmentState.PROPOSED)
    return _decide(locked, AmendmentState.TO_VOTE, by=by, action="recommendations.amendment_to_vote")


@transaction.atomic
def amendment_to_recommendation(*, amendment: Amendment, by: Actor) -> Recommendation:
    """A rejected amendment becomes a recommendation of its own (a draft of
    the same working group, its text the amendment's)."""
    recommendation = amendment.recommendation
    require_actor(by)
    if not (
        by is SYSTEM
        or selectors.is_editor(by, recommendation)
        or selectors.may_manage(by, recommendation.assembly)
    ):
        raise PermissionDenied(_("Only the working group or the organisers can do this."))
    locked = _locked(amendment)
    if locked.state != AmendmentState.REJECTED:
        raise ValidationError(_("Only a rejected amendment can become a recommendation of its own."))
    if Recommendation.objects.filter(from_amendment=locked).exists():
        raise ValidationError(_("This amendment is already a recommendation of its own."))
    author = str(locked.author) if locked.author else _("a former member")
    created = recommendation_create(
        assembly=recommendation.assembly,
        data={
            "title": _("%(title)s (amendment by %(name)s)") % {"title": recommendation.title, "name": author},
            "text": locked.proposed,
            "rationale": locked.explanation,
            "addressee": recommendation.addressee,
            "level": recommendation.level,
        },
        working_group=recommendation.working_group,
        from_amendment=locked,
        by=SYSTEM,  # authorised above: the working group may, without managing recommendations
        note=_("From amendment %(id)s to recommendation %(n)s")
        % {"id": locked.pk, "n": recommendation.number},
    )
    audit_record(
        action="recommendations.amendment_became_recommendation",
        by=by,
        assembly=recommendation.assembly,
        obj=locked,
        data={"recommendation": recommendation.number, "new_number": created.number},
    )
    return created


# --- erasure ------------------------------------------------------------------------------
def erase_member(member: Member) -> dict[str, int]:
    """What drafting holds about a member whose data is erased (a registry
    erasure hook, called inside the erasure's transaction): their comments
    and supports go, they leave their working groups, and their amendments
    stay as part of the drafts' record, credited to "a former member"."""
    counts = {
        "comments": Comment.objects.filter(member=member).delete()[0],
        "supports": AmendmentSupport.objects.filter(member=member).delete()[0],
        "amendments": Amendment.objects.filter(author=member).update(author=None),
    }
    for group in member.working_groups.all():
        group.members.remove(member)
    return counts
