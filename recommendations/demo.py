"""Recommendations' part of the demo (``registry.demo``, after deliberation's).

- Riverside Housing Assembly (published): twelve adopted recommendations,
  each with two versions, most with an accepted amendment, a closed ballot
  (frozen counts, key destroyed), a closed priority vote and a minority
  statement: readable on its public pages.
- Northshire Housing Assembly: moves to Deciding with drafts (drafting's demo:
  versions, comments, open amendments) and an open ballot; the demo member
  (member@northshire.example) is one of its members, so they can comment,
  amend and vote there.

Idempotent: recommendations are found by (assembly, title), ballots by their
recommendation, the priority vote by its question; dates are relative to today.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.services import ensure_user
from assemblies.actors import SYSTEM
from assemblies.models import Assembly, Member, MemberRole, MemberStatus, Organisation, Stage
from deliberation.models import Evidence, Topic

from .ballots import services as ballots
from .drafting import demo as drafting_demo
from .drafting import services as drafting
from .models import (
    Amendment,
    AmendmentState,
    Ballot,
    BallotStatus,
    Level,
    MinorityStatement,
    PriorityMethod,
    PriorityRound,
    Recommendation,
    RecommendationStatus,
    Threshold,
)

RIVERSIDE_SLUG = "riverside-housing"
HOUSING_SLUG = "northshire-housing"  # lottery.demo.HOUSING_SLUG
MEMBER_EMAIL = "member@northshire.example"  # assemblies.demo.MEMBER_EMAIL
RIVERSIDE_ELECTORATE = 48
PRIORITY_QUESTION = "Which recommendations matter most to you?"

# title, topic, addressee, level, paragraphs, rationale, (yes, no, abstain),
# and the last paragraph as an accepted amendment changed it (or None)
RIVERSIDE = [
    ("Cap yearly rent rises", "Renting", "Riverside Council", Level.LOCAL,
     ["Rents on private tenancies should rise by no more than inflation in any year.",
      "The council should ask for the powers to enforce the cap."],
     "Rents rose by a third in five years while wages rose by a tenth.", (44, 3, 1),
     "The council should ask for the powers to enforce the cap within a year."),
    ("Open-ended tenancies by default", "Renting", "National government", Level.NATIONAL,
     ["New private tenancies should have no fixed end date.",
      "A landlord should end one only for a reason set out in law."],
     "Families move school every year when leases end.", (40, 6, 2), None),
    ("A register of private landlords", "Renting", "Riverside Council", Level.LOCAL,
     ["Every private landlord should register each home they let.",
      "Tenants should be able to search the register before they sign."],
     "Tenants cannot check a landlord's record today.", (45, 2, 1),
     "Tenants should be able to search the register, for free, before they sign."),
    ("Build 400 social homes a year", "New homes", "Riverside Council", Level.LOCAL,
     ["The council should build at least 400 social homes a year for ten years.",
      "Half of them should have three bedrooms or more."],
     "The waiting list has doubled; families wait longest.", (39, 7, 2), None),
    ("Homes near transport", "New homes", "Riverside Council", Level.LOCAL,
     ["New estates should be built within ten minutes' walk of a bus or train stop.",
      "Developers should fund the bus route until it pays for itself."],
     "Members heard that homes far from transport cost families a car.", (33, 12, 3),
     "Developers should fund the bus route for its first five years."),
    ("Community land trust", "New homes", "Riverside Council", Level.LOCAL,
     ["The council should give land to a community land trust for 100 homes.",
      "Their rents should be tied to local incomes for good."],
     "Land is most of a home's price; the trust keeps it affordable.", (31, 14, 3), None),
    ("Double council tax on long-empty homes", "Empty homes", "Riverside Council", Level.LOCAL,
     ["Homes empty for more than a year should pay double council tax.",
      "The money should fund grants to repair empty homes for rent."],
     "Six hundred homes stand empty in Riverside.", (41, 5, 2),
     "The money should fund grants to repair empty homes for people on the waiting list."),
    ("Publish empty homes by ward", "Empty homes", "Riverside Council", Level.LOCAL,
     ["The council should publish every year how many homes are empty in each ward."],
     "What is measured can be managed.", (46, 1, 1), None),
    ("Warm rented homes by 2030", "Warm homes", "National government", Level.NATIONAL,
     ["Every rented home should reach energy rating C by 2030.",
      "Landlords should get interest-free loans for insulation."],
     "Cold homes make people ill and cost them more.", (42, 4, 2),
     "Landlords should get interest-free loans for insulation and heat pumps."),
    ("No rent rise for retrofit", "Warm homes", "National government", Level.NATIONAL,
     ["Rents should not rise because of energy works for three years after them."],
     "Tenants should share the savings, not pay twice.", (36, 10, 2), None),
    ("A tenants' advice service", "Renting", "Riverside Council", Level.LOCAL,
     ["The council should fund a free advice service for tenants, open evenings and weekends.",
      "It should help tenants in the languages spoken in Riverside."],
     "Most tenants do not know their rights.", (47, 1, 0),
     "It should help tenants in the main languages spoken in Riverside."),
    ("Regional housing compact", "New homes", "The regional housing authority", Level.REGIONAL,
     ["Riverside and its neighbours should agree a shared target for affordable homes.",
      "Progress should be reported to residents every year."],
     "Housing markets do not stop at the council boundary.", (30, 15, 3), None),
]  # fmt: skip

STATEMENT = (
    "We voted against: a yearly cap will lead some landlords to sell up, and fewer homes to rent. "
    "We would rather see the council buy homes to let at fair rents."
)


def _day(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def _results(yes: int, no: int, abstain: int, electorate: int) -> dict[str, object]:
    return {
        "counts": {"yes": yes, "no": no, "abstain": abstain},
        "votes": yes + no + abstain,
        "assisted": 1,
        "turnout": yes + no + abstain,
        "electorate": max(electorate, yes + no + abstain),
    }


@transaction.atomic
def seed_riverside(assembly: Assembly) -> list[Recommendation]:
    """Twelve adopted recommendations with versions, amendments, closed ballots."""
    electorate = max(ballots.voters(assembly).count(), RIVERSIDE_ELECTORATE)
    evidence = list(Evidence.objects.filter(assembly=assembly, is_published=True).order_by("id")[:3])
    recommendations = []
    for index, (title, topic_name, addressee, level, texts, rationale, counts, amended) in enumerate(
        RIVERSIDE
    ):
        rec = Recommendation.objects.filter(assembly=assembly, title=title).first()
        if rec is None:
            # The first version was softer ("could"), and lacked its second paragraph.
            rec = drafting.recommendation_create(
                assembly=assembly,
                data={"title": title, "text": texts[0].replace(" should ", " could ", 1),
                      "rationale": rationale, "addressee": addressee, "level": level},
                by=SYSTEM,
            )  # fmt: skip
            drafting.recommendation_save(
                recommendation=rec, data={"text": "\n\n".join(texts)}, base_version=rec.version, by=SYSTEM
            )
            topic, _ = Topic.objects.get_or_create(assembly=assembly, name=topic_name)
            rec.topics.add(topic)
            if evidence:
                rec.evidence.add(evidence[index % len(evidence)])
            if amended:
                amendment = Amendment.objects.create(
                    recommendation=rec, paragraph=len(texts), base_version=rec.version, original=texts[-1],
                    proposed=amended, explanation="Members asked for a clear commitment.",
                )  # fmt: skip
                drafting.amendment_accept(amendment=amendment, by=SYSTEM)
        if not rec.ballots.filter(amendment__isnull=True).exists():
            yes, no, abstain = counts
            closed = _day(-130 + index)
            ballot = Ballot.objects.create(
                assembly=assembly, recommendation=rec, question=f"Do you adopt recommendation {rec.number}?",
                threshold=Threshold.TWO_THIRDS, opens_at=closed - dt.timedelta(hours=1), closes_at=closed,
                status=BallotStatus.CLOSED, closed_at=closed, secret=None,
                results=_results(yes, no, abstain, electorate),
            )  # fmt: skip
            ballot.results.update({"share": yes / (yes + no), "adopted": True, "quorum_met": True})
            ballot.save(update_fields=["results"])
        Recommendation.objects.filter(pk=rec.pk).update(status=RecommendationStatus.ADOPTED)
        recommendations.append(rec)
    first = recommendations[0]
    if not MinorityStatement.objects.filter(recommendation=first).exists():
        MinorityStatement.objects.create(recommendation=first, text=STATEMENT, signed_as="Three members")
    if not PriorityRound.objects.filter(assembly=assembly, question=PRIORITY_QUESTION).exists():
        round_ = PriorityRound.objects.create(
            assembly=assembly, question=PRIORITY_QUESTION, method=PriorityMethod.DOTS, dots=5,
            status=BallotStatus.CLOSED, closed_at=_day(-124), secret=None,
        )  # fmt: skip
        round_.recommendations.set(recommendations)
        points = [88, 41, 35, 62, 12, 20, 30, 9, 27, 6, 70, 8]
        round_.results = {
            "points": {str(r.pk): p for r, p in zip(recommendations, points, strict=True)},
            "backers": {str(r.pk): min(p, 46) for r, p in zip(recommendations, points, strict=True)},
            "turnout": 46,
        }
        round_.save(update_fields=["results"])
    return recommendations


def _housing(organisation: Organisation) -> Assembly:
    assembly, _ = Assembly.objects.get_or_create(
        slug=HOUSING_SLUG,
        defaults={
            "organisation": organisation,
            "title": "Northshire Housing Assembly",
            "remit": "How can Northshire make sure everyone has a secure, affordable and warm home by 2035?",
            "languages": ["en"],
            "is_public": True,
        },
    )
    return assembly


def _seat_the_demo_member(assembly: Assembly) -> Any:
    """The demo member (Sam Okafor) holds one of the seats the lottery filled,
    so that the panel's confirmed seats and the assembly's members agree: the
    first confirmed respondent becomes Sam (their name, address and account)."""
    from lottery.models import Respondent, RespondentStatus

    user: Any = ensure_user(email=MEMBER_EMAIL)
    if Member.objects.filter(assembly=assembly, user=user).exists():
        return user
    seat = (
        Respondent.objects.filter(assembly=assembly, status=RespondentStatus.CONFIRMED, member__isnull=False)
        .select_related("member")
        .order_by("pk")
        .first()
    )
    if seat is None or seat.member is None:  # no panel drawn in the platform: a member all the same
        Member.objects.create(
            assembly=assembly, user=user, display_name="Sam Okafor", status=MemberStatus.CONFIRMED
        )
        return user
    Respondent.objects.filter(pk=seat.pk).update(email=MEMBER_EMAIL, first_name="Sam", last_name="Okafor")
    Member.objects.filter(pk=seat.member.pk).update(
        user=user, display_name="Sam Okafor", role=MemberRole.MEMBER
    )


def seed_northshire(assembly: Assembly) -> Ballot | None:
    """Deciding: the demo member is a member; drafts with open amendments; one open ballot."""
    if assembly.stage != Stage.DECIDING and assembly.stage not in (
        Stage.PUBLISHED,
        Stage.FOLLOW_UP,
        Stage.CLOSED,
    ):
        Assembly.objects.filter(pk=assembly.pk).update(stage=Stage.DECIDING, stage_changed_at=timezone.now())
        assembly.stage = Stage.DECIDING
    user = _seat_the_demo_member(assembly)
    rng = random.Random(2035)  # the same demo every time
    if ballots.voters(assembly).count() < 12:
        for i in range(24):
            person = ensure_user(email=f"housing-member-{i + 1}@northshire.example")
            Member.objects.get_or_create(
                assembly=assembly,
                user=person,
                defaults={"display_name": f"Housing member {i + 1}", "status": MemberStatus.CONFIRMED},
            )
    with transaction.atomic():
        drafts = drafting_demo.seed_drafts(assembly, count=4, with_amendments=True)
    first = drafts[0]
    ballot = Ballot.objects.filter(recommendation=first).first()
    if ballot is None and assembly.stage == Stage.DECIDING:
        with transaction.atomic():
            ballot = ballots.ballot_create(
                assembly=assembly,
                recommendation=first,
                question=f"Do you adopt recommendation {first.number}, “{first.title}”?",
                threshold=Threshold.TWO_THIRDS,
                # Closes after the amendment ballot below (2 days): the assembly settles the
                # amendment before the recommendation's ballot is counted.
                closes_at=timezone.now() + dt.timedelta(days=5),
                by=SYSTEM,
            )
            ballots.ballot_open(ballot=ballot, by=SYSTEM)
            others = list(ballots.voters(assembly).exclude(user=user).order_by("id"))
            for member in others[: len(others) * 2 // 3]:
                choice = rng.choices(["yes", "no", "abstain"], weights=[7, 2, 1])[0]
                ballots.vote_cast(ballot=ballot, member=member, choice=choice, by=SYSTEM)
    # A drafted amendment waits for the assembly's vote: the working group sent it there.
    waiting = Amendment.objects.filter(
        recommendation__assembly=assembly, state=AmendmentState.PROPOSED
    ).first()
    if (
        waiting is not None
        and assembly.stage == Stage.DECIDING
        and not Ballot.objects.filter(amendment__recommendation__assembly=assembly).exists()
    ):
        with transaction.atomic():
            amendment_ballot = ballots.ballot_create(
                assembly=assembly,
                amendment=waiting,
                question=f"Do you accept the amendment to paragraph {waiting.paragraph} of recommendation "
                f"{waiting.recommendation.number}?",
                # Closes before the recommendation's ballot (5 days); no running results in the
                # demo: the counts show once the ballot closes, as the organiser's page says.
                closes_at=timezone.now() + dt.timedelta(days=2),
                by=SYSTEM,
            )
            ballots.ballot_open(ballot=amendment_ballot, by=SYSTEM)
    return ballot


def load() -> list[str]:
    lines: list[str] = []
    riverside = Assembly.objects.filter(slug=RIVERSIDE_SLUG).first()
    if riverside is not None:
        seed_riverside(riverside)
        from .report.demo import seed_reports

        seed_reports(riverside)  # its final report: two versions, the second published
    northshire = Organisation.objects.filter(slug="northshire").first()
    if northshire is not None:
        seed_northshire(_housing(northshire))
        lines.append(f"  Member (Northshire Housing: comment, amend, vote): {MEMBER_EMAIL}  (login by code)")
    return lines
