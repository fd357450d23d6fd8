"""Deciding's services: thresholds, quorum, the close, secrecy, stage guards."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from assemblies.actors import SYSTEM
from assemblies.models import AuditEvent, Stage
from assemblies.services import assembly_transition
from recommendations.ballots import selectors, services
from recommendations.models import (
    AmendmentState,
    Ballot,
    BallotKind,
    BallotStatus,
    Participation,
    Recommendation,
    RecommendationStatus,
    Threshold,
    Vote,
)
from tests.recommendations.ballots.helpers import make_members, make_recommendation

pytestmark = pytest.mark.django_db


def _ballot(assembly: Any, organiser: Any, **settings: Any) -> Ballot:
    rec = make_recommendation(assembly, 1)
    ballot = services.ballot_create(
        assembly=assembly, recommendation=rec, question="Adopt 1?", by=organiser, **settings
    )
    return services.ballot_open(ballot=ballot, by=organiser)


def _vote_all(ballot: Ballot, members: list[Any], choices: list[str]) -> None:
    for member, choice in zip(members, choices, strict=True):
        services.vote_cast(ballot=ballot, member=member, choice=choice, by=member.user)


@pytest.mark.parametrize(
    ("threshold", "abstentions_count", "choices", "adopted"),
    [
        # 3 yes, 3 no: not more than half.
        (Threshold.SIMPLE_MAJORITY, False, ["yes"] * 3 + ["no"] * 3, False),
        (Threshold.SIMPLE_MAJORITY, False, ["yes"] * 4 + ["no"] * 3 + ["abstain"] * 3, True),
        # Abstentions counted like votes against: 4 of 10 is not a majority.
        (Threshold.SIMPLE_MAJORITY, True, ["yes"] * 4 + ["no"] * 3 + ["abstain"] * 3, False),
        # Two thirds exactly passes.
        (Threshold.TWO_THIRDS, False, ["yes"] * 6 + ["no"] * 3, True),
        (Threshold.TWO_THIRDS, False, ["yes"] * 5 + ["no"] * 3, False),
        (Threshold.EIGHTY, False, ["yes"] * 8 + ["no"] * 2, True),
        (Threshold.EIGHTY, False, ["yes"] * 7 + ["no"] * 2, False),
    ],
)
def test_thresholds(
    deciding: Any, organiser: Any, threshold: str, abstentions_count: bool, choices: list[str], adopted: bool
) -> None:
    members = make_members(deciding, len(choices))
    ballot = _ballot(deciding, organiser, threshold=threshold, abstentions_count=abstentions_count)
    _vote_all(ballot, members, choices)
    ballot = services.ballot_close(ballot=ballot, by=organiser)
    result = selectors.ballot_result(ballot)
    assert result.adopted is adopted
    assert result.votes == len(choices)
    expected = RecommendationStatus.ADOPTED if adopted else RecommendationStatus.NOT_ADOPTED
    assert Recommendation.objects.get(pk=ballot.recommendation_id).status == expected


def test_quorum_not_met_is_not_adopted(deciding: Any, organiser: Any) -> None:
    members = make_members(deciding, 3)
    ballot = _ballot(deciding, organiser, quorum=5)
    _vote_all(ballot, members, ["yes"] * 3)
    result = selectors.ballot_result(services.ballot_close(ballot=ballot, by=organiser))
    assert result.share == 1.0
    assert not result.quorum_met
    assert not result.adopted


def test_support_scale_counts_four_and_five_in_favour(deciding: Any, organiser: Any) -> None:
    members = make_members(deciding, 5)
    ballot = _ballot(deciding, organiser, kind=BallotKind.SCALE, threshold=Threshold.TWO_THIRDS)
    _vote_all(ballot, members, ["5", "4", "3", "2", "5"])
    result = selectors.ballot_result(services.ballot_close(ballot=ballot, by=organiser))
    # 3 for, 1 against, 1 neutral not counted: 75 %.
    assert (result.in_favour, result.counted) == (3, 4)
    assert result.adopted
    assert [o.count for o in result.options] == [0, 1, 1, 1, 2]


def test_close_freezes_results_and_destroys_the_secret(deciding: Any, organiser: Any) -> None:
    members = make_members(deciding, 3)
    ballot = _ballot(deciding, organiser)
    assert ballot.secret is not None and len(bytes(ballot.secret)) == 32
    _vote_all(ballot, members, ["yes", "yes", "no"])
    assert services.my_choice(ballot=ballot, member=members[2]) == "no"
    pseudonyms = list(Vote.objects.filter(ballot=ballot).values_list("voter", flat=True))
    ballot = services.ballot_close(ballot=ballot, by=organiser)
    ballot.refresh_from_db()
    assert ballot.secret is None
    assert ballot.status == BallotStatus.CLOSED
    assert ballot.results["counts"] == {"yes": 2, "no": 1, "abstain": 0}
    assert ballot.results["adopted"] is True
    # The rows were rewritten in a random order under random keys: no pseudonym survives.
    assert sorted(Vote.objects.filter(ballot=ballot).values_list("choice", flat=True)) == ["no", "yes", "yes"]
    assert not Vote.objects.filter(voter__in=pseudonyms).exists()
    # Nobody can see their choice any more, and no vote can be added.
    assert services.my_choice(ballot=ballot, member=members[2]) is None
    with pytest.raises(ValidationError):
        services.vote_cast(ballot=ballot, member=members[0], choice="no", by=members[0].user)
    # The frozen counts stay even if rows changed afterwards.
    Vote.objects.filter(ballot=ballot).update(choice="no")
    assert selectors.ballot_result(Ballot.objects.get(pk=ballot.pk)).options[0].count == 2


def test_changing_a_vote_keeps_one_row_and_one_participation(deciding: Any, organiser: Any) -> None:
    (member,) = make_members(deciding, 1)
    ballot = _ballot(deciding, organiser)
    for choice in ("yes", "no", "abstain", "no"):
        services.vote_cast(ballot=ballot, member=member, choice=choice, by=member.user)
    assert Vote.objects.filter(ballot=ballot).count() == 1
    assert Participation.objects.filter(ballot=ballot).count() == 1
    assert services.my_choice(ballot=ballot, member=member) == "no"


def test_the_database_refuses_a_second_vote_for_the_same_voter(deciding: Any, organiser: Any) -> None:
    ballot = _ballot(deciding, organiser)
    Vote.objects.create(ballot=ballot, voter="a" * 64, choice="yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(ballot=ballot, voter="a" * 64, choice="no")


def test_votes_and_audit_carry_no_choice_or_voter(deciding: Any, organiser: Any) -> None:
    (member,) = make_members(deciding, 1)
    ballot = _ballot(deciding, organiser)
    services.vote_cast(ballot=ballot, member=member, choice="abstain", by=member.user)
    vote = Vote.objects.get(ballot=ballot)
    assert vote.voter != str(member.pk) and len(vote.voter) == 64
    for event in AuditEvent.objects.filter(action__startswith="recommendations.voted"):
        text = f"{event.data} {event.object_repr} {event.object_id}"
        assert "abstain" not in text and str(member.pk) not in event.data.values()
    # Nothing on the vote row points at the member or a time.
    assert {f.name for f in Vote._meta.get_fields()} == {"id", "ballot", "voter", "choice", "assisted"}


def test_members_vote_only_for_themselves_and_in_their_assembly(
    deciding: Any, organiser: Any, other_assembly: Any
) -> None:
    a, b = make_members(deciding, 2)
    (stranger,) = make_members(other_assembly, 1, prefix="stranger")
    ballot = _ballot(deciding, organiser)
    with pytest.raises(ValidationError):
        services.vote_cast(ballot=ballot, member=b, choice="yes", by=a.user)
    with pytest.raises((ValidationError, PermissionDenied)):
        services.vote_cast(ballot=ballot, member=stranger, choice="yes", by=stranger.user)
    with pytest.raises(ValidationError):
        services.vote_cast(ballot=ballot, member=a, choice="maybe", by=a.user)


def test_assisted_vote_needs_a_facilitator_and_is_flagged(deciding: Any, organiser: Any, tenant: Any) -> None:
    from tests.factories import TeamMembershipFactory, UserFactory

    (member,) = make_members(deciding, 1)
    ballot = _ballot(deciding, organiser)
    with pytest.raises(PermissionDenied):
        services.vote_cast(ballot=ballot, member=member, choice="yes", by=member.user, assisted=True)
    facilitator = UserFactory(username="facilitator@example.org")
    TeamMembershipFactory(team=tenant.team, user=facilitator, role="facilitator")
    services.vote_cast(ballot=ballot, member=member, choice="yes", by=facilitator, assisted=True)
    assert Vote.objects.get(ballot=ballot).assisted
    result = selectors.ballot_result(services.ballot_close(ballot=ballot, by=organiser))
    assert result.assisted == 1
    # The flag goes at the close: which vote was on paper can no longer be told.
    assert not Vote.objects.filter(ballot=ballot, assisted=True).exists()


def test_amendment_ballot_merges_or_rejects_the_amendment(deciding: Any, organiser: Any) -> None:
    from recommendations.models import Amendment

    rec = make_recommendation(deciding, 1, text="First paragraph.\n\nSecond paragraph.")
    amendments = [
        Amendment.objects.create(
            recommendation=rec, paragraph=2, base_version=0, original="Second paragraph.", proposed=text
        )
        for text in ("An amended second paragraph.", "A rejected second paragraph.")
    ]
    members = make_members(deciding, 2)
    for amendment, choice in zip(amendments, ("yes", "no"), strict=True):
        ballot = services.ballot_create(
            assembly=deciding, amendment=amendment, question="Accept?", by=organiser
        )
        services.ballot_open(ballot=ballot, by=organiser)
        amendment.refresh_from_db()
        assert amendment.state == AmendmentState.TO_VOTE
        _vote_all(ballot, members, [choice, choice])
        services.ballot_close(ballot=ballot, by=organiser)
    accepted, rejected = (Amendment.objects.get(pk=a.pk) for a in amendments)
    assert accepted.state == AmendmentState.ACCEPTED
    assert rejected.state == AmendmentState.REJECTED and "vote" in rejected.reason
    rec.refresh_from_db()
    assert rec.text == "First paragraph.\n\nAn amended second paragraph."
    assert rec.versions.filter(amendment=accepted).exists()


def test_only_organisers_open_and_close(deciding: Any, organiser: Any, tenant: Any) -> None:
    rec = make_recommendation(deciding, 1)
    ballot = services.ballot_create(assembly=deciding, recommendation=rec, question="?", by=organiser)
    with pytest.raises(PermissionDenied):
        services.ballot_open(ballot=ballot, by=tenant.member)


def test_ballots_open_only_while_deciding(assembly: Any, organiser: Any) -> None:
    rec = make_recommendation(assembly, 1)
    ballot = services.ballot_create(assembly=assembly, recommendation=rec, question="?", by=organiser)
    with pytest.raises(ValidationError):
        services.ballot_open(ballot=ballot, by=organiser)


def test_stage_guards(deciding: Any, organiser: Any) -> None:
    ballot = _ballot(deciding, organiser)
    with pytest.raises(ValidationError, match="1 ballot is still open"):
        assembly_transition(assembly=deciding, to_stage=Stage.PUBLISHED, by=organiser)
    services.ballot_close(ballot=ballot, by=organiser)
    rec2 = make_recommendation(deciding, 2)
    services.ballot_create(assembly=deciding, recommendation=rec2, question="?", by=organiser)
    with pytest.raises(ValidationError, match="1 ballot is not closed"):
        assembly_transition(assembly=deciding, to_stage=Stage.PUBLISHED, by=organiser)
    Ballot.objects.filter(status=BallotStatus.DRAFT).delete()
    assembly_transition(assembly=deciding, to_stage=Stage.PUBLISHED, by=organiser)
    deciding.refresh_from_db()
    assert deciding.stage == Stage.PUBLISHED


def test_beat_task_opens_and_closes_at_their_times(deciding: Any, organiser: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from recommendations.ballots.tasks import open_and_close_ballots

    rec = make_recommendation(deciding, 1)
    now = timezone.now()
    ballot = services.ballot_create(
        assembly=deciding, recommendation=rec, question="?", by=organiser,
        opens_at=now - dt.timedelta(minutes=1), closes_at=now + dt.timedelta(hours=1),
    )  # fmt: skip
    assert open_and_close_ballots.delay().get() == {"opened": 1, "closed": 0}
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=now - dt.timedelta(seconds=1))
    assert open_and_close_ballots.delay().get() == {"opened": 0, "closed": 1}
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.CLOSED and ballot.secret is None


def test_summary_counts_levels_of_support(deciding: Any, organiser: Any) -> None:
    members = make_members(deciding, 10)
    for number, yes in ((1, 9), (2, 6), (3, 4)):
        rec = make_recommendation(deciding, number)
        ballot = services.ballot_create(assembly=deciding, recommendation=rec, question="?", by=organiser)
        services.ballot_open(ballot=ballot, by=organiser)
        _vote_all(ballot, members, ["yes"] * yes + ["no"] * (10 - yes))
        services.ballot_close(ballot=ballot, by=organiser)
    summary = selectors.assembly_summary(deciding)
    assert (summary.decided, summary.adopted, summary.above["80"]) == (3, 2, 1)
    assert summary.sentence() == "2 of 3 recommendations adopted; 1 with 80 % or more in favour"


def test_system_closes_without_a_user(deciding: Any, organiser: Any) -> None:
    ballot = _ballot(deciding, organiser)
    services.ballot_close(ballot=ballot, by=SYSTEM)
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.CLOSED
