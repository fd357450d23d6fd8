"""Recommendations' part of the demo: Riverside's twelve published
recommendations, Northshire Housing deciding with an open ballot and a member
who can take part; idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from assemblies.demo import MEMBER_EMAIL, seed_demo
from assemblies.models import Member, Stage
from recommendations.demo import HOUSING_SLUG, RIVERSIDE_SLUG, load
from recommendations.models import (
    Amendment,
    AmendmentState,
    Ballot,
    BallotStatus,
    Comment,
    MinorityStatement,
    PriorityRound,
    Recommendation,
    RecommendationStatus,
    Version,
    Vote,
)

pytestmark = pytest.mark.django_db

MODELS = (Recommendation, Version, Amendment, Comment, Ballot, Vote, MinorityStatement, PriorityRound)


def _load(capture: Any) -> list[str]:
    with capture(execute=True):
        seed_demo()
        return load()


def test_the_demo_loads_twice_without_a_duplicate(django_capture_on_commit_callbacks: Any) -> None:
    lines = _load(django_capture_on_commit_callbacks)
    first = {model.__name__: model.objects.count() for model in MODELS}
    _load(django_capture_on_commit_callbacks)
    assert {model.__name__: model.objects.count() for model in MODELS} == first
    assert any(MEMBER_EMAIL in line and "vote" in line for line in lines)


def test_riverside_publishes_twelve_adopted_recommendations(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _load(django_capture_on_commit_callbacks)
    recs = Recommendation.objects.filter(assembly__slug=RIVERSIDE_SLUG)
    assert recs.count() == 12
    assert all(r.status == RecommendationStatus.ADOPTED for r in recs)
    assert all(r.versions.count() >= 2 for r in recs)
    assert Amendment.objects.filter(recommendation__in=recs, state=AmendmentState.ACCEPTED).count() >= 5
    ballots = Ballot.objects.filter(recommendation__in=recs)
    assert ballots.count() == 12 and all(
        b.status == BallotStatus.CLOSED and b.secret is None for b in ballots
    )
    body = client.get(reverse("recommendations:list", args=[RIVERSIDE_SLUG])).content.decode()
    assert "12 of 12 recommendations adopted" in body and "Cap yearly rent rises" in body
    detail = client.get(reverse("recommendations:detail", args=[RIVERSIDE_SLUG, 1])).content.decode()
    assert "Amendments that shaped it" in detail and "Minority statements" in detail and "<svg" in detail
    api = client.get(reverse("api:public-recommendation-list") + f"?assembly={RIVERSIDE_SLUG}").json()
    assert api["count"] == 12


def test_northshire_housing_is_deciding_and_the_demo_member_can_vote(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _load(django_capture_on_commit_callbacks)
    member = Member.objects.get(assembly__slug=HOUSING_SLUG, user__email=MEMBER_EMAIL)
    assert member.assembly.stage == Stage.DECIDING
    assert Recommendation.objects.filter(assembly=member.assembly, status=RecommendationStatus.DRAFT).exists()
    assert Amendment.objects.filter(
        recommendation__assembly=member.assembly, state=AmendmentState.PROPOSED
    ).exists()
    ballot = Ballot.objects.get(recommendation__assembly=member.assembly, status=BallotStatus.OPEN)
    assert ballot.secret is not None and ballot.votes.exists()
    assert not ballot.participations.filter(member=member).exists()
    client.force_login(member.user)
    url = reverse("portal:recommendations_ballot", args=[HOUSING_SLUG, ballot.pk])
    response = client.post(url, {"choice": "yes"}, follow=True)
    assert "Your vote now: <strong>Yes</strong>" in response.content.decode()


def test_northshire_settles_the_amendment_before_the_recommendation_and_shows_no_running_results(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _load(django_capture_on_commit_callbacks)
    ballots = Ballot.objects.filter(assembly__slug=HOUSING_SLUG)
    amendment_ballot = ballots.select_related("amendment").get(amendment__isnull=False)
    assert amendment_ballot.status == BallotStatus.OPEN
    recommendation_ballot = ballots.get(recommendation__isnull=False, status=BallotStatus.OPEN)
    # The amendment's vote ends well before the recommendation's ballot closes.
    assert amendment_ballot.closes_at is not None and recommendation_ballot.closes_at is not None
    assert recommendation_ballot.closes_at - amendment_ballot.closes_at >= dt.timedelta(days=1)
    assert amendment_ballot.amendment is not None
    for same in ballots.filter(recommendation_id=amendment_ballot.amendment.recommendation_id):
        assert same.closes_at is not None and same.closes_at > amendment_ballot.closes_at
    # The organiser's page says counts appear once a ballot closes: no demo ballot shows them sooner.
    assert not ballots.filter(show_running_results=True).exists()
