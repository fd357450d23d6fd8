"""The demo's calendar: every date relative to the day the demo is loaded.

A lottery's story has an order that a visitor can check: people register,
the run is computed, its commitment is published (naming where the public
randomness will come from), the dice are thrown and the panel drawn, then the
selected answer; sessions follow. ``redate`` puts an assembly's lottery on
that calendar again at every load, so that "next session" and "registration
closed" stay true whenever someone runs the demo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from assemblies.models import Assembly, AuditEvent
from lottery.models import RecruitmentSettings, Respondent, RunKind, SelectionRun


def at(days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment ``days`` from the day the demo is loaded (negative: before)."""
    today = timezone.localdate()
    moment = dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour, minute))
    return timezone.make_aware(moment)


def day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@dataclass(frozen=True)
class Timeline:
    """One assembly's lottery, in days from the day the demo is loaded: who
    registered, then the computation, the commitment, the public randomness
    and the draw, then the answers; the sessions follow."""

    registered: tuple[int, int]  # first and last day people registered
    computed: int
    committed: int
    drawn: int
    answers: tuple[int, int]
    sessions: tuple[int, ...]
    final: int | None = None  # the day the panel was made final

    @property
    def session_dates(self) -> list[str]:
        return [day(d).isoformat() for d in self.sessions]


# When each audited step of a lottery happened, as a field of the timeline.
STEP_DAYS = {
    "lottery.run_started": "computed",
    "lottery.run_computed": "computed",
    "lottery.commitment_published": "committed",
    "lottery.panel_drawn": "drawn",
    "lottery.drawn": "drawn",
    "lottery.panel_finalised": "final",
}


def redate(assembly: Assembly, timeline: Timeline) -> None:
    """Put the lottery's story on the calendar, relative to today (again at
    every load, so "next session" and "registration closed" stay true):
    registrations, then the computation, the commitment, the public dice and
    the draw, then the answers. Only timestamps move: the commitment's hash
    covers no date."""
    runs = SelectionRun.objects.filter(assembly=assembly, kind=RunKind.SELECTION)
    runs.update(created_at=at(timeline.computed, 9), committed_at=at(timeline.committed, 11),
                drawn_at=at(timeline.drawn, 19, 40))  # fmt: skip
    # A replacement draw: computed after the declines, committed, drawn a week later.
    first, last = timeline.answers
    SelectionRun.objects.filter(assembly=assembly, kind=RunKind.REPLACEMENT).update(
        created_at=at(first + 1, 9), committed_at=at(first + 1, 11), drawn_at=at(first + 8, 18, 30)
    )
    if timeline.final is not None:
        RecruitmentSettings.objects.filter(assembly=assembly).update(panel_final_at=at(timeline.final, 12))
    Assembly.objects.filter(pk=assembly.pk).update(
        starts_on=day(timeline.sessions[0]), ends_on=day(timeline.sessions[-1])
    )
    events = list(AuditEvent.objects.filter(assembly=assembly, action__startswith="lottery.").order_by("pk"))
    drawn = next((e.pk for e in events if e.action == "lottery.panel_drawn"), 0)
    answers = [e for e in events if e.pk > drawn]
    for event in events:
        step = STEP_DAYS.get(event.action)
        if (
            event.pk > drawn
        ):  # answers, reserves called, a replacement: over the days after the draw, in order
            i = answers.index(event)
            when = at(first + i * (last - first) // max(1, len(answers) - 1), 9 + i % 10, (i * 13) % 60)
        elif step == "drawn":
            when = at(timeline.drawn, 19, 40)
        elif step is not None and getattr(timeline, step) is not None:
            when = at(getattr(timeline, step), 9 if event.action == "lottery.run_started" else 11)
        else:
            continue
        AuditEvent.objects.filter(pk=event.pk).update(created_at=when)
    _move_availability(assembly, timeline)


def _move_availability(assembly: Assembly, timeline: Timeline) -> None:
    """Respondents' available dates follow the sessions when they move."""
    recruitment = RecruitmentSettings.objects.filter(assembly=assembly).first()
    if recruitment is None:
        return
    old, new = [str(d) for d in recruitment.session_dates or []], timeline.session_dates
    if old == new:
        return
    moved = dict(zip(old, new, strict=False))
    changed = []
    for respondent in Respondent.objects.filter(assembly=assembly).only("pk", "availability"):
        dates = [moved.get(str(d), str(d)) for d in respondent.availability or []]
        if dates != respondent.availability:
            respondent.availability = dates
            changed.append(respondent)
    Respondent.objects.bulk_update(changed, ["availability"], batch_size=500)
    recruitment.session_dates = new
    recruitment.save(update_fields=["session_dates"])
