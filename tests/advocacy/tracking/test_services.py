"""The tracker's write path: every change is a history entry; bad input names its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from advocacy.models import Milestone, Response, StatusChange, Tracking
from advocacy.tracking import services
from assemblies.actors import SYSTEM
from assemblies.models import AuditEvent
from tests.factories import InstitutionFactory, make_adopted, make_draft

pytestmark = pytest.mark.django_db


def test_a_response_writes_one_history_entry_per_changed_field(assembly: Any, organiser: Any) -> None:
    recommendation = make_adopted(assembly)
    institution = InstitutionFactory(assembly=assembly, name="Riverside Council")
    written = services.response_record(
        recommendation=recommendation,
        data={
            "status": "accepted_in_principle",
            "responded_on": "2026-03-02",
            "justification": "We agree, subject to budget.",
            "source_url": "https://council.example.org/minutes/12",
            "institution": "Riverside Council",
        },
        by=organiser,
    )
    response = Response.objects.get(recommendation=recommendation)
    assert response.status == "accepted_in_principle"
    assert response.responded_on == dt.date(2026, 3, 2)
    assert response.institution == institution
    fields = {c.field: c for c in written.changes}
    assert set(fields) == {"response_status", "response_date", "justification", "source_url", "institution"}
    status = fields["response_status"]
    assert (status.old, status.new, status.effective_on) == (
        "no_response",
        "accepted_in_principle",
        dt.date(2026, 3, 2),
    )
    assert status.by == organiser and status.source == "admin"
    assert status.evidence_url == "https://council.example.org/minutes/12"
    assert AuditEvent.objects.filter(action="advocacy.response_recorded").count() == 1

    # The same data again changes nothing and writes nothing.
    again = services.response_record(
        recommendation=recommendation,
        data={"status": "accepted_in_principle", "responded_on": "2026-03-02"},
        by=organiser,
    )
    assert again.changes == []
    assert StatusChange.objects.filter(recommendation=recommendation).count() == 5


def test_bad_values_are_refused_by_field_and_nothing_changes(assembly: Any, organiser: Any) -> None:
    recommendation = make_adopted(assembly)
    with pytest.raises(ValidationError) as caught:
        services.response_record(
            recommendation=recommendation,
            data={"status": "maybe", "responded_on": "next week", "source_url": "javascript:alert(1)"},
            by=organiser,
        )
    errors = caught.value.message_dict
    assert set(errors) == {"status", "responded_on", "source_url"}
    assert "“maybe” is not one of" in errors["status"][0]
    assert "is not a date" in errors["responded_on"][0]
    assert not StatusChange.objects.exists()


def test_only_organisers_of_the_assembly_write(assembly: Any, other_organiser: Any, member: Any) -> None:
    recommendation = make_adopted(assembly)
    for user in (other_organiser, member):
        with pytest.raises(PermissionDenied):
            services.response_record(recommendation=recommendation, data={"status": "accepted"}, by=user)
    with pytest.raises(TypeError):
        services.response_record(recommendation=recommendation, data={"status": "accepted"}, by=None)  # type: ignore[arg-type]


def test_a_draft_is_not_tracked(assembly: Any, organiser: Any) -> None:
    draft = make_draft(assembly)
    with pytest.raises(ValidationError, match="Only adopted"):
        services.response_record(recommendation=draft, data={"status": "accepted"}, by=organiser)


def test_a_milestone_changes_the_implementation_status_on_its_date(assembly: Any, organiser: Any) -> None:
    recommendation = make_adopted(assembly)
    written = services.milestone_add(
        recommendation=recommendation,
        data={
            "date": "2026-05-01",
            "title": "Housing bill introduced",
            "kind": "law",
            "status": "in_progress",
            "evidence_url": "https://parliament.example.org/bill/7",
        },
        by=organiser,
    )
    assert [c.field for c in written.changes] == ["milestone", "implementation_status"]
    assert Tracking.objects.get(recommendation=recommendation).implementation_status == "in_progress"
    change = written.changes[1]
    assert (change.old, change.new, change.effective_on) == (
        "not_started",
        "in_progress",
        dt.date(2026, 5, 1),
    )
    assert change.evidence_url == "https://parliament.example.org/bill/7"

    # An earlier milestone, recorded later, goes into the history but does not set the current status.
    services.milestone_add(
        recommendation=recommendation,
        data={"date": "2026-04-01", "title": "Consultation", "status": "abandoned"},
        by=organiser,
    )
    assert Tracking.objects.get(recommendation=recommendation).implementation_status == "in_progress"
    assert Milestone.objects.filter(recommendation=recommendation).count() == 2


def test_a_weaker_form_keeps_what_was_enacted_and_only_then(assembly: Any, organiser: Any) -> None:
    recommendation = make_adopted(assembly)
    with pytest.raises(ValidationError) as caught:
        services.milestone_add(
            recommendation=recommendation,
            data={"date": "2026-05-01", "title": "Act", "status": "implemented", "enacted_text": "x"},
            by=organiser,
        )
    assert "enacted_text" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.milestone_add(
            recommendation=recommendation, data={"date": "", "title": "", "status": "x"}, by=organiser
        )
    assert set(caught.value.message_dict) == {"date", "title", "status"}
    written = services.milestone_add(
        recommendation=recommendation,
        data={
            "date": "2026-05-01",
            "title": "Act",
            "status": "implemented_weaker",
            "enacted_text": "Build 200 homes.",
        },
        by=organiser,
    )
    assert written.object.enacted_text == "Build 200 homes."


def test_tracking_update_records_notes_and_status(assembly: Any, organiser: Any) -> None:
    recommendation = make_adopted(assembly)
    written = services.tracking_update(
        recommendation=recommendation, notes="Waiting for the budget.", implementation_status="in_progress",
        by=organiser, source="import",
    )  # fmt: skip
    assert [c.field for c in written.changes] == ["notes", "implementation_status"]
    assert all(c.source == "import" for c in written.changes)
    assert (
        services.tracking_update(
            recommendation=recommendation, notes="Waiting for the budget.", by=organiser, source="import"
        ).changes
        == []
    )
    with pytest.raises(ValidationError):
        services.tracking_update(
            recommendation=recommendation, implementation_status="done", by=SYSTEM, source="admin"
        )


def test_the_default_due_date_is_three_months_after_the_report(assembly: Any, organiser: Any) -> None:
    assembly.ends_on = dt.date(2026, 11, 30)
    assembly.save()
    recommendation = make_adopted(assembly)
    services.response_record(recommendation=recommendation, data={"justification": "x"}, by=organiser)
    assert Response.objects.get(recommendation=recommendation).due_on == dt.date(2027, 2, 28)
