from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assemblies.models import Stage
from tests.factories import AssemblyFactory


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_api_root_answers_anyone_with_an_index(api: APIClient, db: None) -> None:
    response = api.get("/api/v1/")
    assert response.status_code == 200
    roots = response.json()
    # Each app adds its endpoints through the registry; every one listed answers.
    assert {"assemblies", "manage/assemblies", "sessions", "recommendations"} <= set(roots)
    for name, url in roots.items():
        if not name.startswith("manage/"):
            assert api.get(url).status_code == 200, name


def test_public_assemblies_list_only_published_ones(api: APIClient, tenant: Any) -> None:
    AssemblyFactory(organisation=tenant.organisation, title="Hidden", is_public=False)

    response = api.get("/api/v1/assemblies/")

    titles = [a["title"] for a in response.json()["results"]]
    assert titles == [tenant.assembly.title]
    detail = api.get(f"/api/v1/assemblies/{tenant.assembly.slug}/").json()
    assert detail["remit"] == tenant.assembly.remit
    assert detail["page"].endswith(f"/assemblies/{tenant.assembly.slug}/")


def test_public_list_query_count_is_pinned(
    api: APIClient, tenant: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(20):
        AssemblyFactory(organisation=tenant.organisation)
    with django_assert_max_num_queries(2):
        response = api.get("/api/v1/assemblies/")
    assert response.json()["count"] == 21


def test_manage_endpoints_need_credentials(api: APIClient, assembly: Any) -> None:
    response = api.get("/api/v1/manage/assemblies/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_organiser_token_lists_own_assemblies_only(
    api: APIClient, organiser: Any, assembly: Any, other_assembly: Any
) -> None:
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=organiser).key}")

    response = api.get("/api/v1/manage/assemblies/")

    assert [a["slug"] for a in response.json()["results"]] == [assembly.slug]
    assert api.get(f"/api/v1/manage/assemblies/{other_assembly.pk}/").status_code == 404
    assert api.get(f"/api/v1/manage/assemblies/{other_assembly.pk}/members/").status_code == 404


def test_transition_through_the_api(api: APIClient, organiser: Any, assembly: Any) -> None:
    api.force_authenticate(organiser)

    response = api.post(f"/api/v1/manage/assemblies/{assembly.pk}/transition/", {"to": "deciding"})

    assert response.status_code == 200
    assert response.json()["stage"] == Stage.DECIDING
    refused = api.post(f"/api/v1/manage/assemblies/{assembly.pk}/transition/", {"to": "draft"})
    assert refused.status_code == 400
    assert refused.json() == {"to": ["An assembly cannot go from Deciding to Draft."]}
    nonsense = api.post(f"/api/v1/manage/assemblies/{assembly.pk}/transition/", {"to": "party"})
    assert nonsense.status_code == 400
    assert "to" in nonsense.json()


def test_viewer_may_read_but_not_move_stages(api: APIClient, tenant: Any) -> None:
    from assemblies.models import Role
    from tests.factories import TeamMembershipFactory, UserFactory

    viewer = UserFactory()
    TeamMembershipFactory(team=tenant.team, user=viewer, role=Role.VIEWER)
    api.force_authenticate(viewer)

    assert api.get(f"/api/v1/manage/assemblies/{tenant.assembly.pk}/").status_code == 200
    response = api.post(f"/api/v1/manage/assemblies/{tenant.assembly.pk}/transition/", {"to": "deciding"})
    assert response.status_code == 403
    assert api.get(f"/api/v1/manage/assemblies/{tenant.assembly.pk}/audit-events/").status_code == 403


def test_members_endpoint_pinned_queries(
    api: APIClient, organiser: Any, assembly: Any, django_assert_max_num_queries: Any
) -> None:
    from tests.factories import MemberFactory

    MemberFactory.create_batch(25, assembly=assembly)
    api.force_authenticate(organiser)
    with django_assert_max_num_queries(6):
        response = api.get(f"/api/v1/manage/assemblies/{assembly.pk}/members/")
    assert response.json()["count"] == 26


def test_openapi_schema_and_docs_without_cdn(client: Any, db: None) -> None:
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/manage/assemblies/{id}/transition/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs


@pytest.mark.parametrize("role", ["viewer", "facilitator"])
def test_members_contact_data_needs_the_personal_data_permission(
    api: APIClient, tenant: Any, role: str
) -> None:
    """Issue 9, item 3: a viewer or facilitator reads no member's email address."""
    from tests.factories import TeamMembershipFactory, UserFactory

    reader = UserFactory()
    TeamMembershipFactory(team=tenant.team, user=reader, role=role)
    api.force_authenticate(reader)

    response = api.get(f"/api/v1/manage/assemblies/{tenant.assembly.pk}/members/")

    assert response.status_code == 403
    assert tenant.member.email not in response.content.decode()
    assert api.get(f"/api/v1/manage/assemblies/{tenant.assembly.pk}/").status_code == 200


def test_organisers_read_members_contact_data(api: APIClient, organiser: Any, tenant: Any) -> None:
    api.force_authenticate(organiser)

    response = api.get(f"/api/v1/manage/assemblies/{tenant.assembly.pk}/members/")

    assert [m["email"] for m in response.json()["results"]] == [tenant.member.email]
