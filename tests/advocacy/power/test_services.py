"""Power literacy: stakeholders, stances, tactics and the pressure per recommendation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from advocacy.models import StakeholderStance, TacticKind
from advocacy.power import selectors, services
from assemblies.models import AuditEvent
from tests.factories import StakeholderFactory, TacticFactory, make_adopted

pytestmark = pytest.mark.django_db


def test_stakeholder_save_checks_influence_and_audits(assembly: Any, organiser: Any) -> None:
    s = services.stakeholder_save(
        assembly=assembly, name="Housing committee", influence=5, space="invited", form="hidden", by=organiser
    )
    assert (s.influence, s.space, s.form) == (5, "invited", "hidden")
    assert AuditEvent.objects.filter(action="advocacy.stakeholder_added", object_id=str(s.pk)).exists()
    with pytest.raises(ValidationError) as exc:
        services.stakeholder_save(assembly=assembly, name="Too much", influence=6, by=organiser)
    assert "influence" in exc.value.message_dict


def test_members_may_not_manage_stakeholders(assembly: Any, tenant: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.stakeholder_save(assembly=assembly, name="X", by=tenant.member)


def test_stance_set_records_and_changes(assembly: Any, organiser: Any) -> None:
    rec = make_adopted(assembly)
    s = StakeholderFactory(assembly=assembly)
    services.stance_set(stakeholder=s, recommendation=rec, stance="opponent", by=organiser)
    services.stance_set(stakeholder=s, recommendation=rec, stance="ally", by=organiser)
    assert StakeholderStance.objects.get(stakeholder=s, recommendation=rec).stance == "ally"
    events = AuditEvent.objects.filter(action="advocacy.stance_set").order_by("id")
    assert [(e.data["old"], e.data["new"]) for e in events] == [("", "opponent"), ("opponent", "ally")]


def test_stance_on_another_assemblys_recommendation_is_refused(
    assembly: Any, other_assembly: Any, organiser: Any
) -> None:
    s = StakeholderFactory(assembly=assembly)
    with pytest.raises(ValidationError):
        services.stance_set(
            stakeholder=s, recommendation=make_adopted(other_assembly), stance="ally", by=organiser
        )


def test_tactic_kind_follows_its_method(assembly: Any, organiser: Any) -> None:
    rec = make_adopted(assembly)
    hearing = services.tactic_save(
        assembly=assembly, title="Hearing", method="committee_hearing", recommendations=[rec], by=organiser
    )
    petition = services.tactic_save(
        assembly=assembly, title="Petition", method="petition", recommendations=[rec], by=organiser
    )
    assert (hearing.kind, petition.kind) == (TacticKind.INSIDER, TacticKind.OUTSIDER)
    with pytest.raises(ValidationError) as exc:
        services.tactic_save(
            assembly=assembly,
            title="Backwards",
            method="media",
            starts_on=dt.date(2026, 5, 2),
            ends_on=dt.date(2026, 5, 1),
            by=organiser,
        )
    assert "ends_on" in exc.value.message_dict


def test_pressure_flags(assembly: Any) -> None:
    none, inside, outside, both = (make_adopted(assembly, title=t) for t in ("None", "In", "Out", "Both"))
    TacticFactory(assembly=assembly, method="briefing").recommendations.add(inside, both)
    TacticFactory(assembly=assembly, method="campaign").recommendations.add(outside, both)
    TacticFactory(assembly=assembly, method="media", status="dropped").recommendations.add(inside, none)

    assert selectors.pressure(none) == selectors.Pressure(0, 0)
    assert selectors.pressure(none).flag == "none"
    assert selectors.pressure(inside).flag == "only_insider"
    assert selectors.pressure(outside).flag == "only_outsider"
    assert (selectors.pressure(both).insider, selectors.pressure(both).outsider) == (1, 1)
    assert selectors.pressure(both).flag == "both"
    table = {row.recommendation.pk: row.pressure for row in selectors.pressure_table(assembly)}
    assert table == {r.pk: selectors.pressure(r) for r in (none, inside, outside, both)}


def test_power_map_places_by_stance_and_influence(assembly: Any, organiser: Any) -> None:
    one, two = make_adopted(assembly, title="One"), make_adopted(assembly, title="Two")
    mayor = StakeholderFactory(assembly=assembly, name="Mayor", influence=5, internal_notes="SECRET-NOTE")
    StakeholderFactory(assembly=assembly, name="Paper", influence=2, form="invisible", space="claimed")
    services.stance_set(stakeholder=mayor, recommendation=one, stance="opponent", by=organiser)
    services.stance_set(stakeholder=mayor, recommendation=two, stance="champion", by=organiser)

    chosen = selectors.power_map(assembly, recommendation=one)
    by_name = {p.name: p for p in chosen.points}
    assert by_name["Mayor"].stance == "opponent"
    assert by_name["Paper"].stance == "unknown"
    # Higher influence is higher on the map (smaller y); opponents left of unknowns.
    assert by_name["Mayor"].y < by_name["Paper"].y
    assert by_name["Mayor"].x < by_name["Paper"].x
    assert by_name["Paper"].shape == "diamond"
    assert by_name["Mayor"].internal_notes == ""  # not asked for
    assert selectors.power_map(assembly, internal=True).points[0].internal_notes == "SECRET-NOTE"
    # Without a recommendation: the most common stance, ties to the stronger.
    assert {p.name: p.stance for p in selectors.power_map(assembly).points}["Mayor"] == "champion"
