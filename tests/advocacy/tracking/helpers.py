"""Helpers: a tracked assembly: in Follow-up, public, five adopted recommendations with a
known history (dates in 2026), one institution."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from advocacy.tracking import services
from assemblies.models import Stage
from tests.factories import InstitutionFactory, make_adopted


@dataclass
class Tracked:
    assembly: Any
    organiser: Any
    institution: Any
    recs: list[Any]


def make_tracked(assembly: Any, organiser: Any) -> Tracked:
    """History (effective dates):
    - 1: accepted 2026-08-01; in progress 2026-09-01; implemented 2026-11-01
    - 2: rejected 2026-08-15
    - 3: accepted with changes 2026-09-10; weaker form 2026-10-01 (enacted text)
    - 4: no response (due 2026-09-30: overdue)
    - 5: accepted in principle 2026-10-20, not published
    """
    assembly.stage = Stage.FOLLOW_UP
    assembly.save()
    institution = InstitutionFactory(assembly=assembly, name="Riverside Council")
    recs = [
        make_adopted(
            assembly, title="Build social homes", text="Build 500 social homes a year for ten years."
        ),
        make_adopted(assembly, title="Rent caps", text="Cap rents at 30 % of local median income."),
        make_adopted(assembly, title="Empty homes", text="Tax empty homes at three times the usual rate."),
        make_adopted(assembly, title="Tenants' union", text="Fund a tenants' union."),
        make_adopted(assembly, title="Green retrofits", text="Retrofit every council home by 2035."),
    ]

    def respond(rec: Any, status: str, day: str, **more: Any) -> None:
        data = {"status": status, "responded_on": day, "institution": institution, **more}
        services.response_record(recommendation=rec, data=data, by=organiser)

    def step(rec: Any, status: str, day: str, title: str, **more: Any) -> None:
        data = {"date": day, "title": title, "status": status, "kind": "law", **more}
        services.milestone_add(recommendation=rec, data=data, by=organiser)

    respond(
        recs[0],
        "accepted",
        "2026-08-01",
        justification="We agree.",
        source_url="https://council.example.org/r1",
    )
    step(
        recs[0],
        "in_progress",
        "2026-09-01",
        "Housing bill introduced",
        evidence_url="https://council.example.org/bill",
    )
    step(recs[0], "implemented", "2026-11-01", "Housing act passed")
    respond(recs[1], "rejected", "2026-08-15", justification="Not within our powers.")
    respond(recs[2], "accepted_with_changes", "2026-09-10")
    step(
        recs[2], "implemented_weaker", "2026-10-01", "Empty homes levy",
        enacted_text="Tax empty homes at twice the usual rate.",
    )  # fmt: skip
    services.response_record(recommendation=recs[3], data={"institution": institution}, by=organiser)
    respond(recs[4], "accepted_in_principle", "2026-10-20", is_published=False, justification="SECRET DRAFT")
    assert all(r.response.due_on == dt.date(2026, 9, 30) for r in recs)
    return Tracked(assembly, organiser, institution, recs)
