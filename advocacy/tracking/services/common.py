"""What every write of the tracker shares: the data keys, ``Written``, the
permission checks, parsing a form's or a file's values, the ``StatusChange``
row of a change and announcing status changes to followers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from assemblies.actors import Actor, acting_user, authorise
from assemblies.models import Assembly
from recommendations.models import Recommendation
from recommendations.models.drafting import RecommendationStatus

from ...models import Institution, StatusChange
from ...rules import MANAGE_ADVOCACY

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
        from ..tasks import notify_followers

        transaction.on_commit(lambda: notify_followers.delay(ids))


#: The StatusChange fields followers hear about.
ANNOUNCED = ("response_status", "implementation_status", "response_published")
