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


# Tracker and people (responses and institutions are also pinned against added
# responses and milestones in tests/advocacy/tracking/test_admin.py).
ADD_ROW |= {
    "admin:advocacy_response_changelist": lambda t: _tracked("response", t),
    "admin:advocacy_institution_changelist": lambda t: _tracked("institution", t),
    "admin:advocacy_follower_changelist": lambda t: _tracked("follower", t),
    "admin:advocacy_spokesperson_changelist": lambda t: _tracked("spokesperson", t),
    "admin:advocacy_mediarequest_changelist": lambda t: _tracked("mediarequest", t),
}


def _tracked(kind: str, tenant: Any) -> Any:
    from advocacy.models import Follower, MediaRequest, Response, Spokesperson
    from tests import factories

    number = next(_serial) + 3000
    rec = factories.make_adopted(tenant.assembly, title=f"R{number}")
    if kind == "response":
        institution = factories.InstitutionFactory(assembly=tenant.assembly)
        return Response.objects.create(recommendation=rec, institution=institution)
    if kind == "institution":
        return factories.InstitutionFactory(assembly=tenant.assembly, name=f"Council {number}")
    if kind == "follower":
        return Follower.objects.create(
            assembly=tenant.assembly, recommendation=rec, email=f"f{number}@example.org"
        )
    if kind == "spokesperson":
        spokesperson = Spokesperson.objects.create(member=MemberFactory(assembly=tenant.assembly))
        spokesperson.recommendations.add(rec)
        return spokesperson
    request = MediaRequest.objects.create(assembly=tenant.assembly, title=f"Interview {number}")
    request.recommendations.add(rec)
    return request


# Registered admin lists that are not ours (superusers only) or not lists of an
# assembly's rows; every other registered model admin must be pinned above.
NOT_PINNED = {
    "admin:auth_group_changelist",
    "admin:auth_user_changelist",
    "admin:account_emailaddress_changelist",
    "admin:mfa_authenticator_changelist",
    "admin:authtoken_tokenproxy_changelist",
    "admin:django_celery_beat_periodictask_changelist",
    "admin:django_celery_beat_clockedschedule_changelist",
    "admin:django_celery_beat_crontabschedule_changelist",
    "admin:django_celery_beat_solarschedule_changelist",
    "admin:django_celery_beat_intervalschedule_changelist",
}
# Public API lists of one assembly (``?assembly=<slug>``): pinned by
# test_public_api_lists_of_an_assembly_do_not_query_per_row below.
API_PINNED_ELSEWHERE = {
    "api:public-recommendation-list": "below",
    "api:public-report-list": "below",
    "api:tracker-list": "below",
}


def _open(tenant: Any) -> Any:
    from assemblies.models import Stage

    tenant.assembly.stage = Stage.FOLLOW_UP
    tenant.assembly.is_public = True
    tenant.assembly.save(update_fields=["stage", "is_public"])
    return tenant.assembly


def _adopted_with_response(tenant: Any) -> Any:
    from advocacy.tracking import services
    from tests.factories import InstitutionFactory, make_adopted

    number = next(_serial) + 4000
    rec = make_adopted(tenant.assembly, title=f"R{number}")
    data = {
        "status": "accepted",
        "responded_on": "2026-08-01",
        "institution": InstitutionFactory(assembly=rec.assembly),
    }
    services.response_record(recommendation=rec, data=data, by=tenant.organiser)
    services.milestone_add(
        recommendation=rec,
        data={"date": "2026-09-01", "title": "Bill", "status": "in_progress"},
        by=tenant.organiser,
    )
    return rec


def _published_report(tenant: Any) -> Any:
    from tests.recommendations.report.helpers import stored_document

    version = next(_serial) + 1
    return stored_document(tenant.assembly, version=version, status="published")


PUBLIC_API_ADD_ROW: dict[str, Callable[[Any], Any]] = {
    "api:public-recommendation-list": _adopted_with_response,
    "api:tracker-list": _adopted_with_response,
    "api:public-report-list": _published_report,
}


@pytest.mark.parametrize("name", sorted(PUBLIC_API_ADD_ROW))
def test_public_api_lists_of_an_assembly_do_not_query_per_row(client: Any, tenant: Any, name: str) -> None:
    url = reverse(name) + f"?assembly={_open(tenant).slug}"
    PUBLIC_API_ADD_ROW[name](tenant)
    few = _queries(client, url)
    for _ in range(5):
        PUBLIC_API_ADD_ROW[name](tenant)

    response = client.get(url)
    rows = response.json()["results"]
    assert len(rows[0]["recommendations"]) == 6 if name == "api:tracker-list" else len(rows) == 6
    assert _queries(client, url) == few <= CEILING, f"{url}: {few} queries with one row"


def test_every_registered_list_screen_and_api_list_is_pinned() -> None:
    from django.contrib import admin
    from django.urls import get_resolver
    from django.urls.resolvers import URLPattern, URLResolver

    registered = {f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist" for m in admin.site._registry}
    assert registered - set(ADD_ROW) - NOT_PINNED == set()

    api_lists: set[str] = set()

    def walk(patterns: Any, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif isinstance(pattern, URLPattern) and (pattern.name or "").endswith("-list"):
                api_lists.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    assert api_lists - set(ADD_ROW) - set(API_PINNED_ELSEWHERE) == set()


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
