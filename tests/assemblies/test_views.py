from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from assemblies.models import MemberStatus, Stage
from tests.factories import AssemblyFactory, MemberFactory


def test_home_lists_public_assemblies_only(client: Any, tenant: Any) -> None:
    hidden = AssemblyFactory(
        organisation=tenant.organisation, title="Secret Planning Assembly", is_public=False
    )
    draft = AssemblyFactory(organisation=tenant.organisation, title="Draft Assembly", stage=Stage.DRAFT)

    response = client.get("/")

    body = response.content.decode()
    assert response.status_code == 200
    assert tenant.assembly.title in body
    assert tenant.assembly.remit in body
    assert hidden.title not in body
    assert draft.title not in body


def test_home_query_count_does_not_grow_with_assemblies(
    client: Any, tenant: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(15):
        assembly = AssemblyFactory(organisation=tenant.organisation)
        MemberFactory(assembly=assembly)
    with django_assert_max_num_queries(3):
        response = client.get("/")
    assert response.content.decode().count('class="card"') == 16


def test_public_page_shows_the_question_and_stage(client: Any, assembly: Any) -> None:
    response = client.get(f"/assemblies/{assembly.slug}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{assembly.title}</h1>" in body
    assert assembly.remit in body
    assert 'aria-current="step"' in body
    assert "Deliberating" in body


@pytest.mark.parametrize("change", [{"is_public": False}, {"stage": Stage.DRAFT}])
def test_unpublished_assembly_page_is_a_friendly_404(
    client: Any, tenant: Any, change: dict[str, Any]
) -> None:
    assembly = AssemblyFactory(organisation=tenant.organisation, **change)

    response = client.get(f"/assemblies/{assembly.slug}/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unknown_url_is_a_friendly_404_even_in_debug(client: Any, settings: Any, db: None) -> None:
    settings.DEBUG = True

    response = client.get("/no/such/page/")

    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body
    assert "Traceback" not in body and "URLconf" not in body


def test_portal_lists_the_members_assemblies(member_client: Any, tenant: Any, other_tenant: Any) -> None:
    withdrawn_from = AssemblyFactory(organisation=tenant.organisation, title="Left Assembly")
    MemberFactory(assembly=withdrawn_from, user=tenant.member, status=MemberStatus.WITHDRAWN)

    response = member_client.get("/portal/")

    body = response.content.decode()
    assert tenant.assembly.title in body
    assert other_tenant.assembly.title not in body
    assert "Left Assembly" not in body


def test_portal_assembly_page(member_client: Any, assembly: Any) -> None:
    response = member_client.get(reverse("portal:assembly", kwargs={"slug": assembly.slug}))

    body = response.content.decode()
    assert response.status_code == 200
    assert assembly.remit in body
    assert "You take part as: Member (Confirmed)" in body


def test_anonymous_portal_goes_to_login(client: Any, db: None) -> None:
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/portal/")


def test_anonymous_admin_goes_straight_to_the_login_page(client: Any, db: None) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_after_login_organisers_go_to_admin_and_members_to_portal(
    client: Any, organiser: Any, member: Any
) -> None:
    client.force_login(organiser)
    assert client.get("/accounts/welcome/")["Location"] == "/admin/"
    client.force_login(member)
    assert client.get("/accounts/welcome/")["Location"] == "/portal/"


def test_health(client: Any, db: None) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_pages_switch_to_french(client: Any, assembly: Any) -> None:
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    response = client.get("/")

    body = response.content.decode()
    assert '<html lang="fr">' in body
    assert "Assemblées citoyennes" in body
