from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from assemblies.models import AuditEvent
from recommendations.drafting.demo import seed_drafts
from recommendations.models import AmendmentState, Comment, Recommendation, WorkingGroup
from tests.factories import MemberFactory, TopicFactory, make_draft

pytestmark = pytest.mark.django_db


def _form(assembly: Any, **extra: Any) -> dict[str, Any]:
    return {
        "assembly": assembly.pk,
        "number": "",
        "status": "draft",
        "title": "Warm homes",
        "text": "Insulate every home.",
        "rationale": "",
        "impact": "",
        "addressee": "",
        "level": "",
        "table_output_ids": "[]",
        "title_translations": "{}",
        "text_translations": "{}",
        **extra,
    }


def test_organisers_add_a_recommendation_numbered_with_its_first_version(
    organiser_client: Any, assembly: Any
) -> None:
    make_draft(assembly)
    response = organiser_client.post(reverse("admin:recommendations_recommendation_add"), _form(assembly))
    assert response.status_code == 302, response.content.decode()[:2000]
    added = Recommendation.objects.get(title="Warm homes")
    assert (added.number, added.version, added.versions.get().text) == (2, 1, "Insulate every home.")
    assert AuditEvent.objects.filter(action="admin.added", object_id=str(added.pk)).exists()
    change = reverse("admin:recommendations_recommendation_change", args=[added.pk])
    organiser_client.post(change, _form(assembly, number=2, text="Insulate every home by 2030."))
    added.refresh_from_db()
    assert added.version == 2 and added.versions.count() == 2


def test_the_admin_refuses_another_assemblys_topics_and_a_taken_number(
    organiser_client: Any, assembly: Any, other_assembly: Any
) -> None:
    make_draft(assembly)
    foreign = TopicFactory(assembly=other_assembly)
    response = organiser_client.post(
        reverse("admin:recommendations_recommendation_add"), _form(assembly, number=1, topics=[foreign.pk])
    )
    assert response.status_code == 200
    assert Recommendation.objects.filter(assembly=assembly).count() == 1


def test_working_groups_take_only_members_of_their_assembly(
    organiser_client: Any, assembly: Any, other_assembly: Any
) -> None:
    ours, theirs = MemberFactory(assembly=assembly), MemberFactory(assembly=other_assembly)
    url = reverse("admin:recommendations_workinggroup_add")
    data = {"assembly": assembly.pk, "name": "Homes", "facilitator": ""}
    organiser_client.post(url, {**data, "members": [theirs.pk]})
    assert not WorkingGroup.objects.exists()
    organiser_client.post(url, {**data, "members": [ours.pk]})
    assert list(WorkingGroup.objects.get().members.all()) == [ours]


def test_the_demo_seeds_drafts_once(assembly: Any) -> None:
    for _ in range(12):
        MemberFactory(assembly=assembly)
    drafts = seed_drafts(assembly, count=12, with_amendments=True)
    again = seed_drafts(assembly, count=12, with_amendments=True)
    assert [d.pk for d in drafts] == [d.pk for d in again]
    assert Recommendation.objects.filter(assembly=assembly).count() == 12
    assert WorkingGroup.objects.filter(assembly=assembly).count() == 3
    first = drafts[0]
    assert first.versions.count() == 3  # created, edited, amendment merged
    states = sorted(first.amendments.values_list("state", flat=True))
    assert states == sorted([AmendmentState.ACCEPTED, AmendmentState.REJECTED, AmendmentState.PROPOSED])
    assert Comment.objects.filter(recommendation=first).count() == 2


def test_the_facilitator_is_chosen_from_the_assemblys_people_only(
    organiser_client: Any, tenant: Any, other_organiser: Any
) -> None:
    from tests.factories import UserFactory

    url = reverse("admin:recommendations_workinggroup_add")
    page = organiser_client.get(url).content.decode()
    assert tenant.organiser.email in page
    assert other_organiser.email not in page  # another tenant's people are never listed
    stranger = UserFactory(username="stranger@example.org")
    assert "stranger@example.org" not in page
    data = {"assembly": tenant.assembly.pk, "name": "Homes", "members": []}
    organiser_client.post(url, {**data, "facilitator": stranger.pk})
    assert not WorkingGroup.objects.exists()
    organiser_client.post(url, {**data, "facilitator": tenant.organiser.pk})
    assert WorkingGroup.objects.get().facilitator == tenant.organiser
