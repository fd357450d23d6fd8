"""The power map and pressure screens (organisers), the members' map and
learning module (portal): tenancy, filters, no internal notes for members,
pinned query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advocacy.power import services
from assemblies.actors import SYSTEM
from tests.factories import StakeholderFactory, TacticFactory, make_adopted

pytestmark = pytest.mark.django_db

NOTE = "Councillor Q owes the developer a favour"


@pytest.fixture
def mapped(assembly: Any, organiser: Any) -> dict[str, Any]:
    assembly.stage = "follow_up"
    assembly.save(update_fields=["stage"])
    one, two = make_adopted(assembly, title="Rent cap"), make_adopted(assembly, title="Empty homes tax")
    council = StakeholderFactory(
        assembly=assembly, name="Riverside Council", influence=5, internal_notes=NOTE
    )
    tenants = StakeholderFactory(
        assembly=assembly, name="Tenants' Union", influence=3, space="claimed", form="visible"
    )
    services.stance_set(stakeholder=council, recommendation=one, stance="opponent", by=organiser)
    services.stance_set(stakeholder=tenants, recommendation=one, stance="champion", by=organiser)
    services.stance_set(stakeholder=council, recommendation=two, stance="ally", by=organiser)
    TacticFactory(
        assembly=assembly, method="briefing", title="Brief the leader", internal_notes=NOTE
    ).recommendations.add(one)
    return {"one": one, "two": two, "council": council}


def test_organiser_map_shows_svg_table_and_internal_notes(
    organiser_client: Any, assembly: Any, mapped: Any
) -> None:
    url = reverse("admin:advocacy_stakeholder_map", args=[assembly.pk])
    body = organiser_client.get(url, {"recommendation": mapped["one"].pk}).content.decode()
    assert "<svg" in body and 'role="img"' in body
    assert "Riverside Council" in body and NOTE in body
    assert 'data-stance="opponent"' in body and 'data-stance="champion"' in body
    # Filtered on the other recommendation, the council is an ally and the union unknown.
    body = organiser_client.get(url, {"recommendation": mapped["two"].pk}).content.decode()
    assert 'data-stance="ally"' in body and 'data-stance="unknown"' in body
    assert "opponent" not in body.split("<svg")[1].split("</svg>")[0].replace("Opponent", "")


def test_pressure_screen_flags_one_sided_pressure(organiser_client: Any, assembly: Any, mapped: Any) -> None:
    body = organiser_client.get(
        reverse("admin:advocacy_tactic_pressure", args=[assembly.pk])
    ).content.decode()
    assert "Rent cap: Only insider pressure" in body
    assert "Empty homes tax: No pressure yet" in body
    assert 'data-flag="only_insider"' in body


def test_member_sees_the_map_and_lessons_without_internal_notes(
    client: Any, tenant: Any, mapped: Any
) -> None:
    client.force_login(tenant.member)
    slug = tenant.assembly.slug
    pages = [
        reverse("portal:advocacy_power", args=[slug]),
        reverse("portal:advocacy_power_map", args=[slug]),
        reverse("portal:advocacy_power_map", args=[slug]) + f"?recommendation={mapped['one'].pk}",
        *[reverse("portal:advocacy_power_lesson", args=[slug, n]) for n in (1, 2, 3, 4)],
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert NOTE not in response.content.decode(), url
    body = client.get(pages[1]).content.decode()
    assert "Riverside Council" in body and "<svg" in body
    assert client.get(reverse("portal:advocacy_power_lesson", args=[slug, 5])).status_code == 404
    # The portal page links to the module after the report.
    assert (
        reverse("portal:advocacy_power", args=[slug])
        in client.get(reverse("portal:assembly", args=[slug])).content.decode()
    )


def test_bad_filter_is_a_400_with_the_map_still_there(client: Any, tenant: Any, mapped: Any) -> None:
    client.force_login(tenant.member)
    response = client.get(
        reverse("portal:advocacy_power_map", args=[tenant.assembly.slug]), {"recommendation": "x"}
    )
    assert response.status_code == 400
    assert "Riverside Council" in response.content.decode()


def test_another_tenant_gets_404(client: Any, tenant: Any, other_tenant: Any, mapped: Any) -> None:
    slug, pk = tenant.assembly.slug, tenant.assembly.pk
    for user in (other_tenant.member, other_tenant.organiser):
        client.force_login(user)
        for url in (
            reverse("portal:advocacy_power", args=[slug]),
            reverse("portal:advocacy_power_map", args=[slug]),
            reverse("portal:advocacy_power_lesson", args=[slug, 1]),
            reverse("admin:advocacy_stakeholder_map", args=[pk]),
            reverse("admin:advocacy_tactic_pressure", args=[pk]),
            reverse("admin:advocacy_stakeholder_change", args=[mapped["council"].pk]),
        ):
            assert client.get(url).status_code == 404, (user, url)


def test_members_get_404_on_organiser_screens(client: Any, tenant: Any, mapped: Any) -> None:
    client.force_login(tenant.member)
    assert client.get(reverse("admin:advocacy_stakeholder_map", args=[tenant.assembly.pk])).status_code in (
        302,
        404,
    )


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["admin:advocacy_stakeholder_map", "admin:advocacy_tactic_pressure"])
def test_screens_do_not_query_per_row(organiser_client: Any, assembly: Any, mapped: Any, name: str) -> None:
    url = reverse(name, args=[assembly.pk])
    few = _count(organiser_client, url)
    for i in range(5):
        rec = make_adopted(assembly, title=f"More {i}")
        s = StakeholderFactory(assembly=assembly)
        services.stance_set(stakeholder=s, recommendation=rec, stance="ally", by=SYSTEM)
        TacticFactory(assembly=assembly, method="petition", target=s).recommendations.add(rec)
    assert _count(organiser_client, url) == few <= 30


def test_member_map_does_not_query_per_row(client: Any, tenant: Any, mapped: Any) -> None:
    client.force_login(tenant.member)
    url = reverse("portal:advocacy_power_map", args=[tenant.assembly.slug])
    few = _count(client, url)
    for _ in range(5):
        StakeholderFactory(assembly=tenant.assembly)
    assert _count(client, url) == few <= 30


def test_admin_refuses_a_tactic_serving_another_assemblys_recommendation(
    organiser_client: Any, tenant: Any
) -> None:
    from advocacy.models import Tactic
    from tests.factories import AssemblyFactory

    sister = AssemblyFactory(organisation=tenant.organisation)
    own, foreign = make_adopted(tenant.assembly), make_adopted(sister)
    url = reverse("admin:advocacy_tactic_add")
    data = {"assembly": tenant.assembly.pk, "title": "Petition", "method": "petition", "status": "planned"}
    response = organiser_client.post(url, {**data, "recommendations": [foreign.pk]})
    assert response.status_code == 200
    assert "Choose only from this assembly." in response.content.decode()
    assert not Tactic.objects.exists()
    response = organiser_client.post(url, {**data, "recommendations": [own.pk]})
    assert response.status_code == 302
    assert Tactic.objects.get().kind == "outsider"


def test_admin_stance_lines_belong_to_the_stakeholders_assembly(organiser_client: Any, tenant: Any) -> None:
    from tests.factories import AssemblyFactory

    sister = AssemblyFactory(organisation=tenant.organisation)
    foreign = make_adopted(sister)
    response = organiser_client.post(
        reverse("admin:advocacy_stakeholder_add"),
        {
            "assembly": tenant.assembly.pk,
            "name": "Mayor",
            "kind": "person",
            "influence": 5,
            "space": "closed",
            "level": "local",
            "form": "visible",
            "stances-TOTAL_FORMS": 1,
            "stances-INITIAL_FORMS": 0,
            "stances-0-recommendation": foreign.pk,
            "stances-0-stance": "ally",
        },
    )
    assert response.status_code == 200
    assert "Choose a recommendation of this assembly." in response.content.decode()
    own = make_adopted(tenant.assembly)
    response = organiser_client.post(
        reverse("admin:advocacy_stakeholder_add"),
        {
            "assembly": tenant.assembly.pk,
            "name": "Mayor",
            "kind": "person",
            "influence": 5,
            "space": "closed",
            "level": "local",
            "form": "visible",
            "stances-TOTAL_FORMS": 1,
            "stances-INITIAL_FORMS": 0,
            "stances-0-recommendation": own.pk,
            "stances-0-stance": "ally",
        },
    )
    assert response.status_code == 302
    from advocacy.models import StakeholderStance

    assert StakeholderStance.objects.get(recommendation=own).stance == "ally"
