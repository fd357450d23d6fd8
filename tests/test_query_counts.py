"""Every list screen and API list answers in a number of queries that does not
grow with its rows (no N+1), pinned: the count with one row equals the count
with six, and stays under a ceiling."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assemblies.audit import audit_record
from assemblies.models import Role
from lottery.models import InvitationRound, RecruitmentSettings, SelectionRun
from notifications.services import queue_email
from tests.factories import (
    AssemblyFactory,
    CategoryFactory,
    MemberFactory,
    OrganisationFactory,
    OrganiserTeamFactory,
    RespondentFactory,
    TeamMembershipFactory,
)

pytestmark = pytest.mark.django_db

CEILING = 30
_serial = itertools.count()


def _organisation(tenant: Any) -> None:
    team = OrganiserTeamFactory(organisation=OrganisationFactory())
    TeamMembershipFactory(team=team, user=tenant.organiser, role=Role.OWNER)


def _settings(tenant: Any) -> None:
    RecruitmentSettings.objects.create(
        assembly=AssemblyFactory(organisation=tenant.organisation), panel_size=5
    )


def _outbox(tenant: Any) -> None:
    queue_email(
        to=f"person{next(_serial)}@example.org",
        template="stage_changed",
        context={"assembly_title": "A", "stage_label": "B", "url": "/"},
        assembly=tenant.assembly,
    )


def _deliberation(factory_name: str, tenant: Any) -> Any:
    from tests import factories

    factory = getattr(factories, factory_name)
    if factory_name == "QuestionFactory":
        return factory(session=factories.SessionFactory(assembly=tenant.assembly))
    if factory_name == "SpeakerFactory":
        return factory(assembly=tenant.assembly, topic=factories.TopicFactory(assembly=tenant.assembly))
    if factory_name == "EvidenceFactory":
        item = factories.AgendaItemFactory(session=factories.SessionFactory(assembly=tenant.assembly))
        return factory(
            assembly=tenant.assembly, item=item, speaker=factories.SpeakerFactory(assembly=tenant.assembly)
        )
    return factory(assembly=tenant.assembly)


def _drafting(name: str, tenant: Any) -> Any:
    from tests import factories

    if name == "make_draft":
        return factories.make_draft(
            tenant.assembly, group=factories.WorkingGroupFactory(assembly=tenant.assembly)
        )
    return factories.WorkingGroupFactory(assembly=tenant.assembly, facilitator=tenant.organiser)


ADD_ROW: dict[str, Callable[[Any], Any]] = {
    "admin:assemblies_assembly_changelist": lambda t: AssemblyFactory(organisation=t.organisation),
    "admin:assemblies_member_changelist": lambda t: MemberFactory(assembly=t.assembly),
    "admin:assemblies_auditevent_changelist": lambda t: audit_record(
        action="test.event", by=t.organiser, assembly=t.assembly, obj=t.assembly
    ),
    "admin:assemblies_organisation_changelist": _organisation,
    "admin:assemblies_organiserteam_changelist": lambda t: OrganiserTeamFactory(
        organisation=t.organisation, name=f"Team {next(_serial)}"
    ),
    "admin:notifications_outboxmessage_changelist": _outbox,
    "admin:lottery_invitationround_changelist": lambda t: InvitationRound.objects.create(
        assembly=t.assembly, name=f"Round {next(_serial)}"
    ),
    "admin:lottery_selectionrun_changelist": lambda t: SelectionRun.objects.create(
        assembly=t.assembly, request_key=f"k{next(_serial)}", panel_size=4, status="computed"
    ),
    "admin:lottery_respondent_changelist": lambda t: RespondentFactory(assembly=t.assembly),
    "admin:lottery_category_changelist": lambda t: CategoryFactory(assembly=t.assembly),
    "admin:lottery_recruitmentsettings_changelist": _settings,
    "api:public-assembly-list": lambda t: AssemblyFactory(organisation=t.organisation, is_public=True),
    "api:managed-assembly-list": lambda t: AssemblyFactory(organisation=t.organisation),
    # Speakers and evidence (the portal's and public evidence lists are pinned in
    # tests/deliberation/evidence/test_views.py).
    "admin:deliberation_topic_changelist": lambda t: _deliberation("TopicFactory", t),
    "admin:deliberation_speaker_changelist": lambda t: _deliberation("SpeakerFactory", t),
    "admin:deliberation_evidence_changelist": lambda t: _deliberation("EvidenceFactory", t),
    "admin:deliberation_question_changelist": lambda t: _deliberation("QuestionFactory", t),
    # Drafting (the portal's drafts list and draft page are pinned in
    # tests/recommendations/drafting/test_views.py).
    "admin:recommendations_workinggroup_changelist": lambda t: _drafting("WorkingGroupFactory", t),
    "admin:recommendations_recommendation_changelist": lambda t: _drafting("make_draft", t),
}
# Deciding (the portal's and organisers' ballot lists and the public list are pinned
# in tests/recommendations/ballots/test_views.py and tests/recommendations/public/).
ADD_ROW |= {
    "admin:recommendations_ballot_changelist": lambda t: _deciding("ballot", t),
    "admin:recommendations_priorityround_changelist": lambda t: _deciding("round", t),
    "admin:recommendations_minoritystatement_changelist": lambda t: _deciding("statement", t),
}


def _deciding(kind: str, tenant: Any) -> Any:
    from recommendations.models import Ballot, MinorityStatement, PriorityRound, Recommendation

    number = next(_serial) + 1000
    rec = Recommendation.objects.create(assembly=tenant.assembly, number=number, title=f"R{number}", text="t")
    if kind == "ballot":
        return Ballot.objects.create(assembly=tenant.assembly, recommendation=rec, question="?")
    if kind == "round":
        return PriorityRound.objects.create(assembly=tenant.assembly)
    return MinorityStatement.objects.create(recommendation=rec, text="No.")


# Sessions and agenda (the member's schedule and the public programme are pinned in
# tests/deliberation/sessions/test_views.py).
ADD_ROW |= {
    "admin:deliberation_session_changelist": lambda t: _session_with_agenda(t),
    "admin:deliberation_agendaitem_changelist": lambda t: _session_with_agenda(t).items.first(),
    "api:session-list": lambda t: _session_with_agenda(t),
}


def _session_with_agenda(tenant: Any) -> Any:
    from tests.factories import AgendaItemFactory, SessionFactory, SpeakerFactory

    session = SessionFactory(assembly=tenant.assembly, is_public=True)
    for _ in range(2):
        AgendaItemFactory(session=session).speakers.add(SpeakerFactory(assembly=tenant.assembly))
    return session


# Power literacy and people (the power map, pressure, media-request screens and the public
# affiliates and news lists are pinned in tests/advocacy/power/ and tests/advocacy/people/).
ADD_ROW |= {
    "admin:advocacy_stakeholder_changelist": lambda t: _advocacy("StakeholderFactory", t),
    "admin:advocacy_tactic_changelist": lambda t: _advocacy("TacticFactory", t),
    "admin:advocacy_mediaitem_changelist": lambda t: _advocacy("MediaItemFactory", t),
    "admin:advocacy_affiliate_changelist": lambda t: _advocacy("AffiliateFactory", t),
}


def _advocacy(factory_name: str, tenant: Any) -> Any:
    from tests import factories

    row = getattr(factories, factory_name)(assembly=tenant.assembly)
    if hasattr(row, "recommendations"):
        number = next(_serial) + 2000
        row.recommendations.add(factories.make_adopted(tenant.assembly, title=f"R{number}"))
    return row


API_MEMBERS = "api:managed-assembly-members"
API_AUDIT = "api:managed-assembly-audit-events"


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("name", sorted(ADD_ROW))
def test_list_screens_do_not_query_per_row(organiser_client: Any, tenant: Any, name: str) -> None:
    url = reverse(name)
    ADD_ROW[name](tenant)
    few = _queries(organiser_client, url)
    for _ in range(5):
        ADD_ROW[name](tenant)

    many = _queries(organiser_client, url)

    assert many == few <= CEILING, f"{url}: {few} queries with one more row, {many} with six"


@pytest.mark.parametrize(
    ("name", "add"),
    [
        (API_MEMBERS, lambda t: MemberFactory(assembly=t.assembly)),
        (
            API_AUDIT,
            lambda t: audit_record(action="test.event", by=t.organiser, assembly=t.assembly, obj=t.assembly),
        ),
    ],
)
def test_api_lists_of_an_assembly_do_not_query_per_row(
    organiser_client: Any, tenant: Any, name: str, add: Callable[[Any], Any]
) -> None:
    url = reverse(name, args=[tenant.assembly.pk])
    add(tenant)
    few = _queries(organiser_client, url)
    for _ in range(5):
        add(tenant)

    assert _queries(organiser_client, url) == few <= CEILING
