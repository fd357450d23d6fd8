"""Table plans through the services: the rules hold in the stored plan, the
job computes it, swaps update the figures, re-planning keeps held rounds."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assemblies.actors import SYSTEM
from assemblies.models import Member
from deliberation.models import (
    AccessNeed,
    MinutesDecision,
    MinutesStatus,
    Participant,
    PlanStatus,
    Seat,
    TablePlan,
)
from deliberation.tables import selectors, services
from jobs.models import JobStatus
from notifications.models import OutboxMessage

from .conftest import compute
from .helpers import check_in

pytestmark = pytest.mark.django_db


def seats_by_round(plan: TablePlan) -> dict[int, dict[int, int]]:
    """round -> member id -> table number."""
    result: dict[int, dict[int, int]] = {}
    for r, table, member in Seat.objects.filter(plan=plan).values_list("round", "table__number", "member_id"):
        result.setdefault(r, {})[member] = table
    return result


def test_the_job_computes_a_plan_seating_everyone_once_per_round(
    computed: TablePlan, room: list[Any]
) -> None:
    assert computed.status == PlanStatus.READY
    assert computed.job is not None and computed.job.status == JobStatus.DONE
    seats = seats_by_round(computed)
    assert sorted(seats) == [1, 2, 3]
    everyone = set(selectors.seated_members(computed.session.assembly).values_list("pk", flat=True))
    assert len(everyone) == 17  # the room and the persona member
    for r in (1, 2, 3):
        assert set(seats[r]) == everyone
        sizes = Counter(seats[r].values())
        assert sorted(sizes.values()) == [4, 4, 4, 5]
    # The stored figures are the engine's explanation of the stored seats.
    explanation = selectors.explain_plan(computed)
    assert computed.repeated_pairs == explanation.repeated_pairs
    assert computed.out_of_band == explanation.out_of_band
    assert computed.met_mean == pytest.approx(explanation.distinct_met_mean)


def test_pins_keep_apart_and_step_free_hold_in_the_stored_plan(
    plan: TablePlan, room: list[Any], tenant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    by = tenant.organiser
    services.table_update(
        plan=plan, number=2, name="By the door", facilitator_id="", step_free=True, language="", by=by
    )
    services.table_update(
        plan=plan, number=3, name="", facilitator_id="", step_free=False, language="Polish", by=by
    )
    wheel, polish, pinned, pinned_once, a, b = room[:6]
    Participant.objects.create(member=wheel, access_needs=[AccessNeed.STEP_FREE])
    Participant.objects.create(
        member=polish, access_needs=[AccessNeed.INTERPRETER], interpreter_language="polish"
    )
    services.pin_add(plan=plan, member_id=pinned.pk, table_number=4, by=by)
    services.pin_add(plan=plan, member_id=pinned_once.pk, table_number=1, round=2, by=by)
    services.apart_add(plan=plan, member_a=a.pk, member_b=b.pk, by=by)
    plan = compute(plan, by, django_capture_on_commit_callbacks)
    assert plan.status == PlanStatus.READY, plan.message
    seats = seats_by_round(plan)
    for r in (1, 2, 3):
        assert seats[r][wheel.pk] == 2
        assert seats[r][polish.pk] == 3
        assert seats[r][pinned.pk] == 4
        assert seats[r][a.pk] != seats[r][b.pk]
    assert seats[2][pinned_once.pk] == 1


def test_an_access_need_no_table_meets_is_refused_before_computing(
    plan: TablePlan, room: list[Any], tenant: Any
) -> None:
    Participant.objects.create(member=room[0], access_needs=[AccessNeed.STEP_FREE])
    with pytest.raises(ValidationError, match="no table is step-free"):
        services.table_plan_compute(plan=plan, by=tenant.organiser)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.job is None


def test_conflicting_rules_fail_the_job_with_the_engines_reason(
    plan: TablePlan, room: list[Any], tenant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    by = tenant.organiser
    services.pin_add(plan=plan, member_id=room[0].pk, table_number=1, by=by)
    services.pin_add(plan=plan, member_id=room[1].pk, table_number=1, by=by)
    services.apart_add(plan=plan, member_a=room[0].pk, member_b=room[1].pk, by=by)
    plan = compute(plan, by, django_capture_on_commit_callbacks)
    assert plan.status == PlanStatus.FAILED
    assert plan.job is not None and plan.job.status == JobStatus.FAILED
    assert "could not be computed" in plan.message
    assert not plan.seats.exists()


def test_only_organisers_change_plans(plan: TablePlan, facilitator: Any, tenant: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.table_plan_compute(plan=plan, by=facilitator)
    with pytest.raises(PermissionDenied):
        services.pin_add(plan=plan, member_id=1, table_number=1, by=tenant.member)


def test_bad_settings_name_the_field_and_change_nothing(plan: TablePlan, tenant: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.table_plan_update(
            plan=plan, rounds="x", table_count=0, mix=["shoe-size"], seed=1, by=tenant.organiser
        )
    assert set(error.value.message_dict) == {"rounds", "table_count", "mix"}
    plan.refresh_from_db()
    assert (plan.rounds, plan.table_count) == (3, 4)


def test_a_swap_moves_two_members_and_recomputes_the_figures(computed: TablePlan, tenant: Any) -> None:
    seats = seats_by_round(computed)[2]
    a = next(iter(seats))
    b = next(m for m, t in seats.items() if t != seats[a])
    services.table_plan_swap(plan=computed, round=2, member_a=a, member_b=b, by=tenant.organiser)
    after = seats_by_round(computed)[2]
    assert (after[a], after[b]) == (seats[b], seats[a])
    computed.refresh_from_db()
    explanation = selectors.explain_plan(computed)
    assert (computed.repeated_pairs, computed.out_of_band) == (
        explanation.repeated_pairs,
        explanation.out_of_band,
    )


def test_a_swap_that_breaks_a_seat_rule_is_refused(
    plan: TablePlan, room: list[Any], tenant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    services.pin_add(plan=plan, member_id=room[0].pk, table_number=1, by=tenant.organiser)
    plan = compute(plan, tenant.organiser, django_capture_on_commit_callbacks)
    seats = seats_by_round(plan)[1]
    other = next(m for m, t in seats.items() if t != 1)
    with pytest.raises(ValidationError, match="may not sit at table"):
        services.table_plan_swap(plan=plan, round=1, member_a=room[0].pk, member_b=other, by=tenant.organiser)
    assert seats_by_round(plan)[1][room[0].pk] == 1


def test_replan_keeps_held_rounds_and_never_seats_an_absent_member(
    computed: TablePlan, room: list[Any], tenant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    before = seats_by_round(computed)
    absent = room[:3]
    check_in(computed.session, room[3:])
    with django_capture_on_commit_callbacks(execute=True):
        services.table_plan_replan(plan=computed, from_round=2, by=tenant.organiser)
    computed.refresh_from_db()
    assert computed.status == PlanStatus.READY, computed.message
    assert computed.held_rounds == 1
    after = seats_by_round(computed)
    assert after[1] == before[1]
    for r in (2, 3):
        assert not {m.pk for m in absent} & set(after[r])
        assert set(after[r]) == {m.pk for m in room[3:]}


def test_replan_needs_someone_checked_in(computed: TablePlan, tenant: Any) -> None:
    with pytest.raises(ValidationError, match="check members in"):
        services.table_plan_replan(plan=computed, from_round=2, by=tenant.organiser)


def test_facilitator_records_their_tables_output_only(
    computed: TablePlan, tenant: Any, facilitator: Any
) -> None:
    services.table_update(
        plan=computed,
        number=1,
        name="",
        facilitator_id=facilitator.pk,
        step_free=False,
        language="",
        by=tenant.organiser,
    )
    table1, table2 = computed.tables.get(number=1), computed.tables.get(number=2)
    output = services.table_output_save(
        table=table1, round=1, key_points="Buses first", questions="", proposals="Free buses", by=facilitator
    )
    assert output.recorded_by == facilitator
    again = services.table_output_save(
        table=table1, round=1, key_points="Buses, then trams", questions="", proposals="", by=facilitator
    )
    assert again.pk == output.pk and again.key_points == "Buses, then trams"
    with pytest.raises(ValidationError):
        services.table_output_save(
            table=table2, round=1, key_points="x", questions="", proposals="", by=facilitator
        )
    with pytest.raises(ValidationError):
        services.table_output_save(
            table=table1, round=1, key_points=" ", questions="", proposals="", by=facilitator
        )
    assert list(selectors.table_outputs(tenant.assembly)) == [again]


def test_a_facilitator_must_facilitate_in_this_assembly(
    plan: TablePlan, tenant: Any, other_tenant: Any
) -> None:
    with pytest.raises(ValidationError, match="facilitates in this assembly"):
        services.table_update(
            plan=plan,
            number=1,
            name="",
            facilitator_id=other_tenant.organiser.pk,
            step_free=False,
            language="",
            by=tenant.organiser,
        )


def test_minutes_are_circulated_answered_and_approved(
    session: Any, tenant: Any, room: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    by = tenant.organiser
    with pytest.raises(ValidationError):
        services.minutes_circulate(session=session, by=by)
    minutes = services.minutes_save(session=session, text="We heard three speakers.", by=by)
    with pytest.raises(ValidationError, match="not open"):
        services.minutes_respond(minutes=minutes, member=room[0], decision="approve", by=room[0].user)
    with django_capture_on_commit_callbacks(execute=False):
        services.minutes_circulate(session=session, by=by)
    minutes.refresh_from_db()
    emails = OutboxMessage.objects.filter(template="minutes_circulated")
    assert emails.count() == 17  # every seated member with an email
    first = emails.get(recipient=room[0].user.email)
    assert f"/portal/{session.assembly.slug}/minutes/{minutes.pk}/" in first.body_text
    assert "Weekend one" in first.subject
    services.minutes_respond(
        minutes=minutes, member=room[0], decision=MinutesDecision.APPROVE, by=room[0].user
    )
    with pytest.raises(ValidationError):
        services.minutes_respond(
            minutes=minutes, member=room[1], decision=MinutesDecision.CORRECT, by=room[1].user
        )
    services.minutes_respond(
        minutes=minutes,
        member=room[1],
        decision=MinutesDecision.CORRECT,
        correction="Four speakers.",
        by=room[1].user,
    )
    with pytest.raises(ValidationError, match="for yourself"):
        services.minutes_respond(minutes=minutes, member=room[2], decision="approve", by=room[1].user)
    # Changing one's answer keeps one response per member.
    services.minutes_respond(
        minutes=minutes, member=room[0], decision=MinutesDecision.APPROVE, by=room[0].user
    )
    tally = selectors.minutes_tally(minutes)
    assert (tally.approve, tally.correct, tally.members) == (1, 1, 17)
    assert [r.correction for r in selectors.corrections(minutes)] == ["Four speakers."]
    services.minutes_approve(session=session, by=by)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED
    with pytest.raises(ValidationError):
        services.minutes_save(session=session, text="Changed", by=by)


def test_organisers_attributes_can_be_mixed(
    plan: TablePlan, room: list[Any], tenant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    values = {m.pk: ("keen" if i % 2 else "doubtful") for i, m in enumerate(room)}
    values[Member.objects.get(user=tenant.member).pk] = "not sure"
    assert (
        services.member_attributes_set(
            assembly=tenant.assembly, name="Attitude", values=values, by=tenant.organiser
        )
        == 17
    )
    assert ("attitude", "attitude") in selectors.attribute_choices(tenant.assembly)
    services.table_plan_update(
        plan=plan, rounds=2, table_count=4, mix=["attitude"], seed=3, by=tenant.organiser
    )
    plan = compute(plan, tenant.organiser, django_capture_on_commit_callbacks)
    view = selectors.plan_view(plan)
    for table in view.rounds[0].tables:
        ((label, counts),) = table.counts
        assert label == "attitude"
        assert dict(counts)["doubtful"] == 2 and dict(counts)["keen"] == 2


def test_system_computes_for_the_demo(plan: TablePlan) -> None:
    job = services.table_plan_compute(plan=plan, by=SYSTEM)
    assert job.created_by is None
