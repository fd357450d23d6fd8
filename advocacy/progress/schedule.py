"""When progress reports are due: 3 months after the assembly published its
final report, then every 6 months.

The published date is, in this order: the first published final report
(``reports.Document``); the day the assembly moved to Published (its audit
event); ``stage_changed_at`` while it is still Published; its end date once
it is past Published.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assemblies.models import Assembly, AuditEvent, Stage

FIRST_MONTHS = 3
EVERY_MONTHS = 6
AFTER_PUBLISHED = (Stage.PUBLISHED, Stage.FOLLOW_UP, Stage.CLOSED)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _first_final_report(assembly: Assembly) -> dt.datetime | None:
    try:  # the reports pipeline (reports.models) may be absent from an older tree
        from reports.models import Document, DocumentKind, DocumentStatus
    except ImportError:  # pragma: no cover
        return None
    return (
        Document.objects.filter(
            assembly=assembly,
            kind=DocumentKind.FINAL,
            status=DocumentStatus.PUBLISHED,
            published_at__isnull=False,
        )
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def published_on(assembly: Assembly) -> dt.date | None:
    if assembly.stage not in AFTER_PUBLISHED:
        return None
    first = _first_final_report(assembly)
    if first is not None:
        return timezone.localdate(first)
    moved = (
        AuditEvent.objects.filter(
            assembly=assembly, action="assembly.stage_changed", data__to=Stage.PUBLISHED
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if moved is not None:
        return timezone.localdate(moved)
    if assembly.stage == Stage.PUBLISHED and assembly.stage_changed_at:
        return timezone.localdate(assembly.stage_changed_at)
    return assembly.ends_on


def due_dates(assembly: Assembly, *, until: dt.date) -> list[dt.date]:
    """Every progress report's due date up to ``until`` (inclusive)."""
    published = published_on(assembly)
    if published is None:
        return []
    dates = []
    months = FIRST_MONTHS
    while (due := add_months(published, months)) <= until:
        dates.append(due)
        months += EVERY_MONTHS
    return dates


def next_due(assembly: Assembly, *, today: dt.date | None = None) -> dt.date | None:
    """The first due date after ``today`` (None before the assembly has published)."""
    published = published_on(assembly)
    if published is None:
        return None
    today = today or timezone.localdate()
    months = FIRST_MONTHS
    while (due := add_months(published, months)) <= today:
        months += EVERY_MONTHS
    return due


def latest_due(assembly: Assembly, *, today: dt.date | None = None) -> dt.date | None:
    """The most recent due date on or before ``today``."""
    dates = due_dates(assembly, until=today or timezone.localdate())
    return dates[-1] if dates else None
