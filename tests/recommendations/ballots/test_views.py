"""Members vote in the portal; organisers run ballots on their screens;
facilitators record paper ballots. Tenancy: another assembly's ballot is a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assemblies.models import Member, Stage
from recommendations.ballots import services
from recommendations.models import Ballot, BallotStatus, MinorityStatement, PriorityMethod, Vote
from tests.factories import TeamMembershipFactory, UserFactory
from tests.recommendations.ballots.helpers import make_members, make_recommendation

pytestmark = pytest.mark.django_db


def _open(assembly: Any, organiser: Any, number: int = 1, **settings: Any) -> Ballot:
    rec = make_recommendation(assembly, number)
    ballot = services.ballot_create(
        assembly=assembly,
        recommendation=rec,
        question=f"Adopt recommendation {number}?",
        by=organiser,
        **settings,
    )
    return services.ballot_open(ballot=ballot, by=organiser)


def _ballot_url(ballot: Ballot) -> str:
    return reverse("portal:recommendations_ballot", args=[ballot.assembly.slug, ballot.pk])


def test_member_votes_sees_own_choice_and_changes_it(
    client: Any, deciding: Any, organiser: Any, member: Any
) -> None:
    ballot = _open(deciding, organiser)
    client.force_login(member)
    listing = client.get(reverse("portal:recommendations_ballots", args=[deciding.slug]))
    assert "Adopt recommendation 1?" in listing.content.decode()
    assert "You have not voted yet." in listing.content.decode()
    response = client.post(_ballot_url(ballot), {"choice": "yes"}, follow=True)
    body = response.content.decode()
    assert "Your vote is counted" in body
    assert "Your vote now: <strong>Yes</strong>" in body
    response = client.post(_ballot_url(ballot), {"choice": "no"}, follow=True)
    assert "Your vote now: <strong>No</strong>" in response.content.decode()
    assert Vote.objects.filter(ballot=ballot).count() == 1
    # No choice: a clear message, nothing counted twice.
    response = client.post(_ballot_url(ballot), {})
    assert response.status_code == 200
    assert "Choose one option to vote." in response.content.decode()


def test_after_the_close_nobody_sees_the_choice_and_the_result_appears(
    client: Any, deciding: Any, organiser: Any, member: Any
) -> None:
    ballot = _open(deciding, organiser)
    client.force_login(member)
    client.post(_ballot_url(ballot), {"choice": "yes"})
    services.ballot_close(ballot=ballot, by=organiser)
    body = client.get(_ballot_url(ballot)).content.decode()
    assert "Your vote now" not in body
    assert "You voted in this ballot" in body
    assert "Adopted" in body and "<svg" in body and "<table" in body
    # A vote after the close is refused with a message.
    response = client.post(_ballot_url(ballot), {"choice": "no"}, follow=True)
    assert "not open" in response.content.decode()


def test_running_results_only_when_the_ballot_shows_them(
    client: Any, deciding: Any, organiser: Any, member: Any
) -> None:
    hidden = _open(deciding, organiser, 1)
    shown = _open(deciding, organiser, 2, show_running_results=True)
    client.force_login(member)
    assert "Running result" not in client.get(_ballot_url(hidden)).content.decode()
    assert "Running result" in client.get(_ballot_url(shown)).content.decode()


def test_member_of_another_assembly_gets_404(
    client: Any, deciding: Any, organiser: Any, other_member: Any
) -> None:
    ballot = _open(deciding, organiser)
    client.force_login(other_member)
    assert client.get(reverse("portal:recommendations_ballots", args=[deciding.slug])).status_code == 404
    assert client.get(_ballot_url(ballot)).status_code == 404
    assert client.post(_ballot_url(ballot), {"choice": "yes"}).status_code == 404
    assert not Vote.objects.exists()


def test_draft_ballots_are_not_shown_to_members(
    client: Any, deciding: Any, organiser: Any, member: Any
) -> None:
    rec = make_recommendation(deciding, 1)
    ballot = services.ballot_create(assembly=deciding, recommendation=rec, question="Not yet?", by=organiser)
    client.force_login(member)
    assert client.get(_ballot_url(ballot)).status_code == 404


def test_organiser_screen_opens_closes_and_shows_turnout_not_running_counts(
    client: Any, deciding: Any, organiser: Any
) -> None:
    voters = make_members(deciding, 3)
    rec = make_recommendation(deciding, 1)
    ballot = services.ballot_create(assembly=deciding, recommendation=rec, question="Adopt it?", by=organiser)
    client.force_login(organiser)
    screen = reverse("admin:recommendations_ballot_assembly", args=[deciding.pk])
    client.post(reverse("admin:recommendations_ballot_open", args=[ballot.pk]))
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN
    for voter in voters:
        services.vote_cast(ballot=ballot, member=voter, choice="yes", by=voter.user)
    body = client.get(screen).content.decode()
    assert "turnout 3 of 4" in body  # the tenant's member may vote too
    assert "Votes by option" not in body
    # The explanation matches what the page does: counts before the close only where the ballot shows them.
    assert "before the close, only for a ballot set to show running results" in body
    response = client.post(reverse("admin:recommendations_ballot_close", args=[ballot.pk]), follow=True)
    body = response.content.decode()
    assert "The ballot is closed: adopted." in body
    assert "Votes by option" in body


def test_facilitator_records_a_paper_ballot(client: Any, deciding: Any, organiser: Any, tenant: Any) -> None:
    ballot = _open(deciding, organiser)
    facilitator = UserFactory(username="facilitator@example.org")
    TeamMembershipFactory(team=tenant.team, user=facilitator, role="facilitator")
    member = Member.objects.get(assembly=deciding, user=tenant.member)
    url = reverse("admin:recommendations_ballot_assisted", args=[ballot.pk])
    client.force_login(facilitator)
    assert client.get(url).status_code == 200
    response = client.post(url, {"member": member.pk, "choice": "no"}, follow=True)
    assert "The paper ballot is counted" in response.content.decode()
    assert Vote.objects.get(ballot=ballot).assisted
    # A member cannot reach it; another tenant's organiser gets a 404.
    client.force_login(tenant.member)
    assert client.get(url).status_code in (302, 404)


def test_other_tenant_organiser_gets_404_on_ballot_screens(
    client: Any, deciding: Any, organiser: Any, other_organiser: Any
) -> None:
    ballot = _open(deciding, organiser)
    client.force_login(other_organiser)
    for url in (
        reverse("admin:recommendations_ballot_assembly", args=[deciding.pk]),
        reverse("admin:recommendations_ballot_assisted", args=[ballot.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("admin:recommendations_ballot_close", args=[ballot.pk])).status_code == 404
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_ballot_lists_do_not_query_per_ballot(
    client: Any, deciding: Any, organiser: Any, member: Any
) -> None:
    voter = Member.objects.get(assembly=deciding, user=member)

    def add(n: int) -> None:
        ballot = _open(deciding, organiser, n)
        services.vote_cast(ballot=ballot, member=voter, choice="yes", by=member)
        if n % 2:
            services.ballot_close(ballot=ballot, by=organiser)

    add(1)
    client.force_login(member)
    portal = reverse("portal:recommendations_ballots", args=[deciding.slug])
    few_portal = _queries(client, portal)
    client.force_login(organiser)
    screen = reverse("admin:recommendations_ballot_assembly", args=[deciding.pk])
    few_screen = _queries(client, screen)
    for n in range(2, 7):
        add(n)
    assert _queries(client, screen) == few_screen <= 30
    client.force_login(member)
    assert _queries(client, portal) == few_portal <= 20


def test_priority_vote_dots(client: Any, deciding: Any, organiser: Any, member: Any) -> None:
    recs = [make_recommendation(deciding, n, status="adopted") for n in (1, 2, 3)]
    round_ = services.priority_create(assembly=deciding, by=organiser, method=PriorityMethod.DOTS, dots=5)
    services.priority_open(round=round_, by=organiser)
    client.force_login(member)
    url = reverse("portal:recommendations_priority", args=[deciding.slug, round_.pk])
    # Too many dots: refused with a message, nothing stored.
    response = client.post(url, {f"rec_{recs[0].pk}": 4, f"rec_{recs[1].pk}": 3}, follow=True)
    assert "You have 5 dots: you gave 7." in response.content.decode()
    client.post(url, {f"rec_{recs[0].pk}": 3, f"rec_{recs[2].pk}": 2})
    others = make_members(deciding, 2)
    for other in others:
        services.priority_vote(round=round_, member=other, allocation={recs[2].pk: 5}, by=other.user)
    services.priority_close(round=round_, by=organiser)
    body = client.get(url).content.decode()
    assert body.index("3. Recommendation 3") < body.index("1. Recommendation 1")
    round_.refresh_from_db()
    assert round_.results["points"] == {str(recs[0].pk): 3, str(recs[1].pk): 0, str(recs[2].pk): 12}
    assert round_.secret is None


def test_priority_ranking_gives_borda_points(deciding: Any, organiser: Any) -> None:
    recs = [make_recommendation(deciding, n, status="adopted") for n in (1, 2, 3)]
    round_ = services.priority_create(assembly=deciding, by=organiser, method=PriorityMethod.RANKING, dots=3)
    services.priority_open(round=round_, by=organiser)
    (voter,) = make_members(deciding, 1)
    with pytest.raises(Exception, match="without gaps"):
        services.priority_vote(
            round=round_, member=voter, allocation={recs[0].pk: 1, recs[1].pk: 3}, by=voter.user
        )
    services.priority_vote(
        round=round_, member=voter, allocation={recs[2].pk: 1, recs[0].pk: 2}, by=voter.user
    )
    services.priority_close(round=round_, by=organiser)
    round_.refresh_from_db()
    assert round_.results["points"][str(recs[2].pk)] == 3
    assert round_.results["points"][str(recs[0].pk)] == 2


def test_minority_statement_signed_or_anonymous(
    client: Any, deciding: Any, member: Any, other_member: Any
) -> None:
    make_recommendation(deciding, 1)
    url = reverse("portal:recommendations_minority", args=[deciding.slug, 1])
    client.force_login(member)
    response = client.post(url, {"text": "", "signed_as": ""})
    assert "This field is required." in response.content.decode()
    client.post(url, {"text": "We think rents need a cap, not a review.", "signed_as": ""})
    statement = MinorityStatement.objects.get()
    assert statement.signed_as == "" and statement.withdrawn_at is None
    assert "Anonymous" in client.get(url).content.decode()
    client.post(url, {"withdraw": statement.pk})
    statement.refresh_from_db()
    assert statement.withdrawn_at is not None
    client.force_login(other_member)
    assert client.get(url).status_code == 404


def test_minority_statements_close_once_published(client: Any, deciding: Any, member: Any) -> None:
    make_recommendation(deciding, 1)
    deciding.stage = Stage.PUBLISHED
    deciding.save(update_fields=["stage"])
    client.force_login(member)
    url = reverse("portal:recommendations_minority", args=[deciding.slug, 1])
    assert "can no longer be added" in client.get(url).content.decode()
    client.post(url, {"text": "Late.", "signed_as": "A"})
    assert not MinorityStatement.objects.exists()


def test_priority_vote_of_another_assembly_is_404(
    client: Any, deciding: Any, organiser: Any, other_member: Any
) -> None:
    make_recommendation(deciding, 1, status="adopted")
    round_ = services.priority_create(assembly=deciding, by=organiser)
    services.priority_open(round=round_, by=organiser)
    client.force_login(other_member)
    url = reverse("portal:recommendations_priority", args=[deciding.slug, round_.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
