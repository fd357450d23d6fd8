"""The organisers' tracker screens and lists: tenancy and pinned query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advocacy.tracking import services
from tests.factories import make_adopted

pytestmark = pytest.mark.django_db


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_organiser_lists_do_not_query_per_row(organiser_client: Any, tracked: Any) -> None:
    urls = [
        reverse("admin:advocacy_response_assembly", args=[tracked.assembly.pk]),
        reverse("admin:advocacy_response_overdue", args=[tracked.assembly.pk]),
        reverse("admin:advocacy_response_changelist"),
        reverse("admin:advocacy_institution_changelist"),
    ]
    before = [_count(organiser_client, url) for url in urls]
    for i in range(5):
        rec = make_adopted(tracked.assembly, title=f"Extra {i}")
        services.response_record(
            recommendation=rec, data={"institution": tracked.institution}, by=tracked.organiser
        )
        services.milestone_add(
            recommendation=rec,
            data={"date": "2026-10-02", "title": "Step", "status": "in_progress"},
            by=tracked.organiser,
        )
    after = [_count(organiser_client, url) for url in urls]
    assert after == before
    assert max(after) <= 40


def test_another_tenants_organiser_and_members_get_404(
    client: Any, tracked: Any, other_organiser: Any, member: Any
) -> None:
    rec = tracked.recs[0]
    urls = [
        reverse("admin:advocacy_response_assembly", args=[tracked.assembly.pk]),
        reverse("admin:advocacy_response_overdue", args=[tracked.assembly.pk]),
        reverse("admin:advocacy_response_recommendation", args=[rec.pk]),
    ]
    for user in (other_organiser, member):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(urls[2], {"action": "response", "response-status": "rejected"}).status_code == 404
    rec.response.refresh_from_db()
    assert rec.response.status == "accepted"


def test_a_viewer_reads_the_tracker_but_cannot_record(client: Any, tracked: Any) -> None:
    from assemblies.models import Role
    from tests.factories import TeamMembershipFactory, UserFactory

    viewer = UserFactory(username="alpha-viewer@example.org")
    TeamMembershipFactory(team=tracked.organiser.team_memberships.first().team, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    url = reverse("admin:advocacy_response_recommendation", args=[tracked.recs[0].pk])
    page = client.get(url)
    assert page.status_code == 200 and "Save the response" not in page.content.decode()
    assert client.post(url, {"action": "response", "response-status": "rejected"}).status_code == 403


def test_a_draft_has_no_tracker_screen(organiser_client: Any, tracked: Any) -> None:
    from tests.factories import make_draft

    draft = make_draft(tracked.assembly, title="Still a draft")
    assert (
        organiser_client.get(reverse("admin:advocacy_response_recommendation", args=[draft.pk])).status_code
        == 404
    )


def test_the_dashboard_has_the_tracker_section(organiser_client: Any, tracked: Any) -> None:
    body = organiser_client.get(
        reverse("admin:assemblies_assembly_dashboard", args=[tracked.assembly.pk])
    ).content.decode()
    assert (
        "Responses overdue" in body
        and reverse("admin:advocacy_response_overdue", args=[tracked.assembly.pk]) in body
    )


def test_a_first_response_is_public_by_default(organiser_client: Any, assembly: Any) -> None:
    from assemblies.models import Stage

    assembly.stage = Stage.FOLLOW_UP
    assembly.save()
    rec = make_adopted(assembly)
    url = reverse("admin:advocacy_response_recommendation", args=[rec.pk])
    page = organiser_client.get(url).content.decode()
    assert 'name="response-is_published" id="id_response-is_published" checked' in page
    assert 'value="2026-09-30"' in page  # due three months after the assembly's end
