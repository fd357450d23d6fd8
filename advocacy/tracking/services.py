"""The one write path for the tracker: responses, milestones, tracking notes
and implementation status. Every change writes a ``StatusChange`` row (who,
what, when, with which evidence) and an audit event; status changes are
announced to followers once the transaction commits.

Values in ``data`` may be Python values (dates, model instances) or the
strings of a form or a file ("2026-03-01", "accepted_in_principle", "" for
none). A bad value raises ``ValidationError`` with a message per field
(the keys of ``RESPONSE_FIELDS`` / ``MILESTONE_FIELDS``) and changes nothing.

Each write returns a ``Written``: the object, and the ``StatusChange`` rows it
created (an empty list means nothing changed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, acting_user, authorise, require_actor
from assemblies.audit import audit_record
from assemblies.models import Assembly, Member
from assemblies.selectors import membership_of
from recommendations.models import Recommendation
from recommendations.models.drafting import RecommendationStatus

from ..models import (
    ImpactArea,
    ImpactTag,
    ImpactType,
    ImplementationStatus,
    Institution,
    InstitutionLink,
    Milestone,
    MilestoneKind,
    Rating,
    Response,
    ResponseStatus,
    StatusChange,
    Tracking,
)
from ..rules import CARRY_FORWARD, MANAGE_ADVOCACY

T = TypeVar("T")

#: data key → (StatusChange.field, Response attribute)
RESPONSE_FIELDS = {
    "status": ("response_status", "status"),
    "responded_on": ("response_date", "responded_on"),
    "due_on": ("response_due", "due_on"),
    "justification": ("justification", "justification"),
    "source_url": ("source_url", "source_url"),
    "institution": ("institution", "institution"),
    "is_published": ("response_published", "is_published"),
}
MILESTONE_FIELDS = ("date", "title", "kind", "status", "evidence_url", "enacted_text")
SOURCES = ("admin", "import", "institution", "system")
#: How long an institution's private link stays valid.
LINK_DAYS = 30
#: A response is due this many months after the assembly reports.
DUE_MONTHS = 3


@dataclass
class Written(Generic[T]):
    object: T
    changes: list[StatusChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


# --- checks and parsing ----------------------------------------------------------------
def check_manage(by: Actor, assembly: Assembly) -> None:
    authorise(by, MANAGE_ADVOCACY, assembly, _("Only the organisers can change the tracker."))


def check_tracked(recommendation: Recommendation) -> None:
    if recommendation.status != RecommendationStatus.ADOPTED:
        raise ValidationError(_("Only adopted recommendations are tracked."))


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")


def parse_day(value: Any, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        parsed = parse_date(str(value).strip())
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError(
            _("%(field)s: “%(value)s” is not a date (write it as YYYY-MM-DD).")
            % {"field": label, "value": value}
        )
    return parsed


def _choice(value: Any, choices: type[Any], label: str) -> str:
    text = str(value or "").strip().lower()
    if text not in choices.values:
        raise ValidationError(
            _("%(field)s: “%(value)s” is not one of: %(choices)s.")
            % {"field": label, "value": value, "choices": ", ".join(choices.values)}
        )
    return text


def _url(value: Any, label: str) -> str:
    text = str(value or "").strip()
    if text:
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise ValidationError(
                _("%(field)s: “%(value)s” is not a web address (https://…).")
                % {"field": label, "value": text}
            ) from None
    return text


def _text(value: Any) -> str:
    return str(value or "").replace("\r\n", "\n").strip()


def _as_text(value: Any) -> str:
    """How a value is kept in StatusChange.old/new."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Institution):
        return value.name
    return str(value)


def _collect(errors: dict[str, list[str]], key: str, fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except ValidationError as error:
        errors.setdefault(key, []).extend(error.messages)
        return None


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def default_due_on(assembly: Assembly) -> dt.date | None:
    """Three months after the assembly reported (its end date, or the day it was published)."""
    reported = assembly.ends_on or (
        timezone.localdate(assembly.stage_changed_at) if assembly.stage_changed_at else None
    )
    return add_months(reported, DUE_MONTHS) if reported else None


def _change(
    recommendation: Recommendation,
    *,
    name: str,
    old: Any,
    new: Any,
    effective_on: dt.date,
    by: Actor,
    source: str,
    evidence_url: str = "",
) -> StatusChange:
    return StatusChange.objects.create(
        recommendation=recommendation,
        field=name,
        old=_as_text(old),
        new=_as_text(new),
        effective_on=effective_on,
        evidence_url=evidence_url,
        source=source,
        by=acting_user(by),  # type: ignore[misc]
    )


def _announce(changes: list[StatusChange]) -> None:
    """Followers hear of status changes (response or implementation), once the work is committed."""
    ids = [c.pk for c in changes if c.field in ANNOUNCED]
    if ids:
        from .tasks import notify_followers

        transaction.on_commit(lambda: notify_followers.delay(ids))


#: The StatusChange fields followers hear about.
ANNOUNCED = ("response_status", "implementation_status", "response_published")


def response_for(recommendation: Recommendation) -> Response:
    """The recommendation's response row (created with no response yet and its default due date)."""
    response = Response.objects.filter(recommendation=recommendation).first()
    if response is None:
        response = Response.objects.create(
            recommendation=recommendation, due_on=default_due_on(recommendation.assembly)
        )
    return response


@transaction.atomic
def ensure_responses(*, assembly: Assembly) -> int:
    """Give every adopted recommendation its response row (no response yet,
    due three months after the report), so that an institution's silence is
    counted and flagged overdue. Idempotent; returns how many were created."""
    from .selectors import adopted

    missing = adopted(assembly).filter(response__isnull=True)
    due = default_due_on(assembly)
    created = Response.objects.bulk_create(
        [Response(recommendation=recommendation, due_on=due) for recommendation in missing]
    )
    if created:
        audit_record(
            action="advocacy.responses_awaited",
            by=SYSTEM,
            assembly=assembly,
            data={"count": len(created), "due_on": due.isoformat() if due else ""},
            object_repr=assembly.title,
        )
    return len(created)


def on_stage_change(assembly: Assembly, old: str, new: str, by: Any) -> None:
    """Stage hook: once the assembly reports, its adopted recommendations await their responses."""
    from .selectors import PUBLIC_STAGES

    if new in PUBLIC_STAGES:
        ensure_responses(assembly=assembly)


def tracking_for(recommendation: Recommendation) -> Tracking:
    tracking, _created = Tracking.objects.get_or_create(recommendation=recommendation)
    return tracking


# --- responses -------------------------------------------------------------------------
def clean_response_data(assembly: Assembly, data: Mapping[str, Any]) -> dict[str, Any]:
    """Parse and validate the response keys present in ``data``; raise one
    ValidationError naming every bad field."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    labels = {
        "status": _("Response"),
        "responded_on": _("Date of the response"),
        "due_on": _("Response due by"),
        "source_url": _("Source document"),
        "institution": _("Institution"),
    }
    for key in data:
        if key not in RESPONSE_FIELDS:
            continue
        value = data[key]
        if key == "status":
            values[key] = _collect(errors, key, _choice, value, ResponseStatus, labels[key])
        elif key in ("responded_on", "due_on"):
            values[key] = _collect(errors, key, parse_day, value, labels[key])
        elif key == "source_url":
            values[key] = _collect(errors, key, _url, value, labels[key])
        elif key == "justification":
            values[key] = _text(value)
        elif key == "is_published":
            values[key] = bool(value)
        elif key == "institution":
            if value in (None, ""):
                values[key] = None
            elif isinstance(value, Institution):
                if value.assembly_id != assembly.pk:
                    errors.setdefault(key, []).append(_("This institution belongs to another assembly."))
                values[key] = value
            else:
                found = Institution.objects.filter(assembly=assembly, name=str(value).strip()).first()
                if found is None:
                    errors.setdefault(key, []).append(
                        _("%(field)s: no institution called “%(value)s”.")
                        % {"field": labels[key], "value": value}
                    )
                values[key] = found
    status = values.get("status")
    if (
        status
        and status != ResponseStatus.NO_RESPONSE
        and "responded_on" in values
        and not values["responded_on"]
    ):
        errors.setdefault("responded_on", []).append(_("Give the date of the response."))
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def response_record(
    *, recommendation: Recommendation, data: Mapping[str, Any], by: Actor, source: str = "admin"
) -> Written[Response]:
    """Set the recommendation's response from the keys present in ``data``
    (status, responded_on, due_on, justification, source_url, institution,
    is_published); one StatusChange per field that actually changed."""
    require_actor(by)
    _check_source(source)
    assembly = recommendation.assembly
    check_manage(by, assembly)
    check_tracked(recommendation)
    values = clean_response_data(assembly, data)
    response = response_for(recommendation)
    Response.objects.select_for_update().filter(pk=response.pk).first()
    if (
        values.get("status")
        and values["status"] != ResponseStatus.NO_RESPONSE
        and "responded_on" not in values
    ) and response.responded_on is None:
        values["responded_on"] = timezone.localdate()
    effective = values.get("responded_on") or response.responded_on or timezone.localdate()
    changes: list[StatusChange] = []
    for key, value in values.items():
        name, attribute = RESPONSE_FIELDS[key]
        old = getattr(response, attribute)
        if old == value:
            continue
        setattr(response, attribute, value)
        changes.append(
            _change(
                recommendation,
                name=name,
                old=old,
                new=value,
                effective_on=effective if key in ("status", "responded_on") else timezone.localdate(),
                by=by,
                source=source,
                evidence_url=values.get("source_url") or response.source_url,
            )
        )
    if changes:
        response.save()
        audit_record(
            action="advocacy.response_recorded",
            by=by,
            assembly=assembly,
            obj=response,
            data={"fields": [c.field for c in changes], "source": source},
            object_repr=f"{recommendation.number}. {recommendation.title}",
        )
        _announce(changes)
    return Written(response, changes)


# --- milestones and tracking ------------------------------------------------------------
def clean_milestone_data(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    values["date"] = _collect(errors, "date", parse_day, data.get("date"), _("Date"))
    if values["date"] is None and "date" not in errors:
        errors["date"] = [_("Give the date of the milestone.")]
    values["title"] = _text(data.get("title"))[:300]
    if not values["title"]:
        errors["title"] = [_("Say what happened.")]
    values["kind"] = _collect(errors, "kind", _choice, data.get("kind") or "other", MilestoneKind, _("Kind"))
    values["status"] = _collect(
        errors, "status", _choice, data.get("status"), ImplementationStatus, _("Implementation status")
    )
    values["evidence_url"] = _collect(errors, "evidence_url", _url, data.get("evidence_url"), _("Evidence"))
    values["enacted_text"] = _text(data.get("enacted_text"))
    if values["enacted_text"] and values["status"] != ImplementationStatus.IMPLEMENTED_WEAKER:
        errors.setdefault("enacted_text", []).append(
            _("What was enacted is recorded only for a recommendation implemented in a weaker form.")
        )
    if errors:
        raise ValidationError(errors)
    return values


def _set_status(
    recommendation: Recommendation,
    tracking: Tracking,
    status: str,
    *,
    effective_on: dt.date,
    by: Actor,
    source: str,
    evidence_url: str = "",
) -> StatusChange | None:
    """Record an implementation status effective on a date. The current status
    only follows when the date is not earlier than the latest recorded one."""
    history = StatusChange.objects.filter(recommendation=recommendation, field="implementation_status")
    before = (
        history.filter(effective_on__lte=effective_on).order_by("effective_on", "recorded_at", "id").last()
    )
    old = before.new if before else ImplementationStatus.NOT_STARTED
    if old == status:
        return None
    change = _change(
        recommendation,
        name="implementation_status",
        old=old,
        new=status,
        effective_on=effective_on,
        by=by,
        source=source,
        evidence_url=evidence_url,
    )
    if not history.filter(effective_on__gt=effective_on).exists():
        tracking.implementation_status = status
        tracking.save(update_fields=["implementation_status", "updated_at"])
    return change


@transaction.atomic
def milestone_add(
    *, recommendation: Recommendation, data: Mapping[str, Any], by: Actor, source: str = "admin"
) -> Written[Milestone]:
    """Add a dated milestone (date, title, kind, status, evidence_url,
    enacted_text); it records a "milestone" history entry and, when its status
    differs, the change of implementation status effective on its date."""
    require_actor(by)
    _check_source(source)
    assembly = recommendation.assembly
    check_manage(by, assembly)
    check_tracked(recommendation)
    values = clean_milestone_data(data)
    tracking = tracking_for(recommendation)
    Tracking.objects.select_for_update().filter(pk=tracking.pk).first()
    milestone = Milestone.objects.create(recommendation=recommendation, created_by=acting_user(by), **values)  # type: ignore[misc]
    changes = [
        _change(
            recommendation,
            name="milestone",
            old="",
            new=milestone.title,
            effective_on=milestone.date,
            by=by,
            source=source,
            evidence_url=milestone.evidence_url,
        )
    ]
    status_change = _set_status(
        recommendation,
        tracking,
        milestone.status,
        effective_on=milestone.date,
        by=by,
        source=source,
        evidence_url=milestone.evidence_url,
    )
    if status_change:
        changes.append(status_change)
    audit_record(
        action="advocacy.milestone_added",
        by=by,
        assembly=assembly,
        obj=milestone,
        data={"status": milestone.status, "source": source},
    )
    _announce(changes)
    return Written(milestone, changes)


@transaction.atomic
def tracking_update(
    *,
    recommendation: Recommendation,
    notes: str | None = None,
    implementation_status: str | None = None,
    by: Actor,
    source: str,
    effective_on: dt.date | None = None,
    evidence_url: str = "",
) -> Written[Tracking]:
    """Change the tracker's notes and/or implementation status (None leaves it as it is)."""
    require_actor(by)
    _check_source(source)
    assembly = recommendation.assembly
    check_manage(by, assembly)
    check_tracked(recommendation)
    status = None
    if implementation_status is not None:
        status = _choice(implementation_status, ImplementationStatus, _("Implementation status"))
    evidence_url = _url(evidence_url, _("Evidence"))
    tracking = tracking_for(recommendation)
    Tracking.objects.select_for_update().filter(pk=tracking.pk).first()
    tracking.refresh_from_db()
    today = timezone.localdate()
    changes: list[StatusChange] = []
    if notes is not None and _text(notes) != tracking.notes:
        changes.append(
            _change(
                recommendation, name="notes", old=tracking.notes, new=_text(notes), effective_on=today,
                by=by, source=source,
            )
        )  # fmt: skip
        tracking.notes = _text(notes)
        tracking.save(update_fields=["notes", "updated_at"])
    if status is not None:
        change = _set_status(
            recommendation,
            tracking,
            status,
            effective_on=effective_on or today,
            by=by,
            source=source,
            evidence_url=evidence_url,
        )
        if change:
            changes.append(change)
    if changes:
        audit_record(
            action="advocacy.tracking_updated",
            by=by,
            assembly=assembly,
            obj=tracking,
            data={"fields": [c.field for c in changes], "source": source},
            object_repr=f"{recommendation.number}. {recommendation.title}",
        )
        _announce(changes)
    return Written(tracking, changes)


# --- impact tags -----------------------------------------------------------------------
@transaction.atomic
def impact_tag_add(
    *,
    recommendation: Recommendation,
    area: str,
    kind: str,
    description: str = "",
    milestone: Milestone | None = None,
    by: Actor,
) -> ImpactTag:
    require_actor(by)
    check_manage(by, recommendation.assembly)
    errors: dict[str, list[str]] = {}
    area = _collect(errors, "area", _choice, area, ImpactArea, _("Area"))
    kind = _collect(errors, "kind", _choice, kind, ImpactType, _("Type"))
    if milestone is not None and milestone.recommendation_id != recommendation.pk:
        errors["milestone"] = [_("This milestone belongs to another recommendation.")]
    if errors:
        raise ValidationError(errors)
    tag = ImpactTag.objects.create(
        recommendation=recommendation,
        milestone=milestone,
        area=area,
        kind=kind,
        description=_text(description)[:300],
    )
    audit_record(action="advocacy.impact_tagged", by=by, assembly=recommendation.assembly, obj=tag)
    return tag


# --- members' ratings ----------------------------------------------------------------------
@transaction.atomic
def rating_set(*, response: Response, score: Any, by: Actor) -> Rating:
    """A member rates the institution's response, 0 to 10 (a second rating replaces the first)."""
    require_actor(by)
    assembly = response.recommendation.assembly
    authorise(by, CARRY_FORWARD, assembly, _("Only members of this assembly can rate a response."))
    member: Member | None = membership_of(by, assembly)
    if member is None:
        raise ValidationError(_("Only members of this assembly can rate a response."))
    if not response.is_published or response.status == ResponseStatus.NO_RESPONSE:
        raise ValidationError(_("There is no response to rate yet."))
    try:
        value = int(str(score).strip())
    except (TypeError, ValueError):
        value = -1
    if not 0 <= value <= 10:
        raise ValidationError({"score": [_("Choose a score from 0 to 10.")]})
    rating, _created = Rating.objects.update_or_create(
        response=response, member=member, defaults={"score": value}
    )
    audit_record(
        action="advocacy.response_rated", by=by, assembly=assembly, obj=response, data={"score": value}
    )
    return rating


# --- institutions' own entries ------------------------------------------------------------
@transaction.atomic
def institution_link_create(
    *, response: Response, email: str = "", by: Actor, days: int = LINK_DAYS, send: bool = True
) -> InstitutionLink:
    """A private link for the institution to enter its response; emailed through the outbox."""
    require_actor(by)
    assembly = response.recommendation.assembly
    check_manage(by, assembly)
    email = (email or (response.institution.contact_email if response.institution else "")).strip()
    if send and not email:
        raise ValidationError(
            {"email": [_("Give the institution's email address (or set its contact email).")]}
        )
    link = InstitutionLink.objects.create(
        response=response,
        email=email,
        expires_at=timezone.now() + dt.timedelta(days=days),
        created_by=acting_user(by),  # type: ignore[misc]
    )
    audit_record(
        action="advocacy.institution_link_sent", by=by, assembly=assembly, obj=response, data={"email": email}
    )
    if send:
        from django.conf import settings
        from django.urls import reverse

        from notifications.services import queue_email

        recommendation = response.recommendation
        queue_email(
            to=email,
            template="advocacy_institution_link",
            context={
                "assembly_title": assembly.title,
                "number": recommendation.number,
                "title": recommendation.title,
                "url": settings.SITE_URL + reverse("advocacy:respond", args=[link.token]),
                "expires": timezone.localtime(link.expires_at).date().isoformat(),
            },
            language=assembly.languages[0] if assembly.languages else "en",
            assembly=assembly,
        )
    return link


def link_state(link: InstitutionLink | None) -> str:
    if link is None:
        return "unknown"
    if link.used_at is not None:
        return "used"
    if link.expires_at <= timezone.now():
        return "expired"
    return "open"


@transaction.atomic
def institution_submit(*, token: str, data: Mapping[str, Any]) -> Response:
    """The institution's entry through its link: validated, kept as pending
    (nothing public changes), and the link is used up."""
    link = InstitutionLink.objects.select_for_update().filter(token=token).select_related("response").first()
    state = link_state(link)
    if state != "open" or link is None:
        raise ValidationError(
            _("This link has expired or has already been used. Ask the organisers for a new one."), code=state
        )
    response = link.response
    assembly = response.recommendation.assembly
    keys = ("status", "responded_on", "justification", "source_url")
    values = clean_response_data(assembly, {key: data.get(key, "") for key in keys})
    if values.get("status") == ResponseStatus.NO_RESPONSE:
        raise ValidationError({"status": [_("Choose your response.")]})
    response.pending = {key: _as_text(values.get(key)) for key in keys} | {
        "submitted_at": timezone.now().isoformat(),
        "link": link.pk,
    }
    response.save(update_fields=["pending", "updated_at"])
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    audit_record(action="advocacy.institution_submitted", by=SYSTEM, assembly=assembly, obj=response)
    return response


@transaction.atomic
def pending_accept(*, response: Response, by: Actor) -> Written[Response]:
    """Publish an institution's pending entry as the response (source "institution")."""
    require_actor(by)
    check_manage(by, response.recommendation.assembly)
    pending = dict(response.pending or {})
    if not pending:
        raise ValidationError(_("There is no entry from the institution to review."))
    data = {key: pending.get(key, "") for key in ("status", "responded_on", "justification", "source_url")}
    data["is_published"] = True
    written = response_record(recommendation=response.recommendation, data=data, by=by, source="institution")
    written.object.pending = {}
    written.object.save(update_fields=["pending", "updated_at"])
    return written


@transaction.atomic
def pending_discard(*, response: Response, by: Actor) -> None:
    require_actor(by)
    check_manage(by, response.recommendation.assembly)
    if not response.pending:
        raise ValidationError(_("There is no entry from the institution to review."))
    response.pending = {}
    response.save(update_fields=["pending", "updated_at"])
    audit_record(
        action="advocacy.institution_entry_discarded",
        by=by,
        assembly=response.recommendation.assembly,
        obj=response,
    )
