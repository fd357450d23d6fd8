"""Progress reports: due 3 months after publication, then every 6 months;
organisers are reminded once per due date; the report gets advocacy's columns."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from advocacy.progress import schedule, services
from advocacy.progress.rows import implementation_rows, response_rows
from advocacy.tracking import services as tracking
from assemblies.actors import SYSTEM
from assemblies.audit import audit_record
from assemblies.models import Assembly, Stage
from notifications.models import OutboxMessage
from recommendations.models import Recommendation, RecommendationStatus
from tests.factories import make_draft


def _published(assembly: Assembly, on: dt.date, stage: str = Stage.FOLLOW_UP) -> None:
    Assembly.objects.filter(pk=assembly.pk).update(stage=stage, ends_on=None)
    assembly.refresh_from_db()
    event = audit_record(
        action="assembly.stage_changed", by=SYSTEM, assembly=assembly, obj=assembly,
        data={"from": "deciding", "to": "published"},
    )  # fmt: skip
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
    type(event).objects.filter(pk=event.pk).update(created_at=moment)


def test_due_three_months_after_publication_then_every_six(assembly: Assembly) -> None:
    assert schedule.due_dates(assembly, until=dt.date(2030, 1, 1)) == []  # a draft never
    _published(assembly, dt.date(2026, 1, 31))
    assert schedule.published_on(assembly) == dt.date(2026, 1, 31)
    assert schedule.due_dates(assembly, until=dt.date(2027, 5, 1)) == [
        dt.date(2026, 4, 30),
        dt.date(2026, 10, 31),
        dt.date(2027, 4, 30),
    ]
    assert schedule.next_due(assembly, today=dt.date(2026, 5, 1)) == dt.date(2026, 10, 31)
    assert schedule.latest_due(assembly, today=dt.date(2026, 5, 1)) == dt.date(2026, 4, 30)


@pytest.mark.django_db
def test_the_organisers_are_reminded_once_per_due_date(assembly: Assembly, organiser: Any) -> None:
    _published(assembly, dt.date(2026, 1, 10))
    assert services.send_due_reminders(today=dt.date(2026, 4, 9)) == 0  # not yet due
    assert services.send_due_reminders(today=dt.date(2026, 4, 10)) == 1
    assert services.send_due_reminders(today=dt.date(2026, 4, 11)) == 0  # once
    messages = OutboxMessage.objects.filter(template="advocacy_progress_report_due")
    assert [m.recipient for m in messages] == [organiser.email]
    assert "2026-04-10" in messages[0].context["due"]
    assert "a progress report is due" in messages[0].subject
    # The next one, six months later.
    assert services.send_due_reminders(today=dt.date(2026, 10, 12)) == 1
    assert OutboxMessage.objects.filter(template="advocacy_progress_report_due").count() == 2


@pytest.mark.django_db
def test_no_reminder_once_the_report_is_made(assembly: Assembly, organiser: Any) -> None:
    from reports.models import Document

    _published(assembly, dt.date(2026, 1, 10))
    Document.objects.create(
        assembly=assembly, kind="progress", language="en", version=1, as_of=dt.date(2026, 4, 10)
    )
    assert services.send_due_reminders(today=dt.date(2026, 4, 12)) == 0


@pytest.mark.django_db
def test_progress_columns_give_the_status_at_the_reports_date(assembly: Assembly) -> None:
    rec = make_draft(assembly, title="Cap rents")
    Recommendation.objects.filter(pk=rec.pk).update(status=RecommendationStatus.ADOPTED)
    rec.refresh_from_db()
    tracking.response_record(
        recommendation=rec, data={"status": "accepted", "responded_on": "2026-03-01"}, by=SYSTEM
    )
    tracking.milestone_add(
        recommendation=rec,
        data={"date": "2026-06-01", "title": "Bylaw", "status": "implemented"},
        by=SYSTEM,
    )
    before = dt.date(2026, 2, 1)
    between = dt.date(2026, 4, 1)
    after = dt.date(2026, 7, 1)
    assert response_rows(assembly, before, [rec]) == {rec.pk: "No response yet"}
    assert response_rows(assembly, between, [rec]) == {rec.pk: "Accepted"}
    assert implementation_rows(assembly, between, [rec]) == {rec.pk: "Not started"}
    assert implementation_rows(assembly, after, [rec]) == {rec.pk: "Implemented"}


def test_the_progress_report_builder_has_advocacys_columns() -> None:
    from recommendations.report.selectors import PROGRESS_COLUMNS

    assert {"response", "implementation"} <= {c.key for c in PROGRESS_COLUMNS}


@pytest.mark.django_db
def test_the_progress_report_shows_the_status_at_its_date(assembly: Assembly) -> None:
    from recommendations.models import Ballot, BallotStatus
    from recommendations.report.builders import build_progress

    rec = make_draft(assembly, title="Cap rents")
    Recommendation.objects.filter(pk=rec.pk).update(status=RecommendationStatus.ADOPTED)
    rec.refresh_from_db()
    closed = timezone.make_aware(dt.datetime(2026, 1, 5, 12))
    Ballot.objects.create(
        assembly=assembly, recommendation=rec, question="?", status=BallotStatus.CLOSED, closed_at=closed,
        results={"counts": {"yes": 9, "no": 1, "abstain": 0}, "votes": 10, "adopted": True, "share": 0.9},
    )  # fmt: skip
    tracking.response_record(
        recommendation=rec, data={"status": "rejected", "responded_on": "2026-03-01"}, by=SYSTEM
    )
    built = build_progress(assembly.pk, "en", dt.date(2026, 4, 1))
    row = dict(zip(built.csv_header, built.csv_rows[0], strict=True))
    assert (row["response"], row["implementation"]) == ("Rejected", "Not started")
    assert "Rejected" in built.html
    earlier = build_progress(assembly.pk, "en", dt.date(2026, 2, 1))
    assert dict(zip(earlier.csv_header, earlier.csv_rows[0], strict=True))["response"] == "No response yet"
