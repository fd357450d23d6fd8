"""50 members vote at once (some twice, with different choices) against real
PostgreSQL: exactly one counted vote and one participation each."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from assemblies.models import Stage
from recommendations.ballots import selectors, services
from recommendations.models import Ballot, Participation, Vote
from tests.factories import AssemblyFactory, TeamMembershipFactory, UserFactory
from tests.recommendations.ballots.helpers import make_members, make_recommendation

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]


def _open_ballot() -> tuple[Ballot, list[Any], Any]:
    assembly = AssemblyFactory(stage=Stage.DECIDING)
    organiser = UserFactory(username="concurrent-organiser@example.org")
    TeamMembershipFactory(team__organisation=assembly.organisation, user=organiser, role="owner")
    members = make_members(assembly, 50)
    rec = make_recommendation(assembly, 1)
    ballot = services.ballot_create(assembly=assembly, recommendation=rec, question="Adopt?", by=organiser)
    return services.ballot_open(ballot=ballot, by=organiser), members, organiser


def test_fifty_concurrent_voters_give_exactly_one_vote_each() -> None:
    ballot, members, organiser = _open_ballot()
    # Members 0-9 vote twice at the same time: "yes" and "no" race; the rest vote "yes" once.
    jobs = [(m, "yes") for m in members] + [(m, "no") for m in members[:10]]
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def vote(member: Any, choice: str) -> None:
        try:
            barrier.wait()
            services.vote_cast(ballot=ballot, member=member, choice=choice, by=member.user)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert Vote.objects.filter(ballot=ballot).count() == 50
    assert Participation.objects.filter(ballot=ballot).count() == 50
    assert Vote.objects.filter(ballot=ballot).values("voter").distinct().count() == 50
    result = selectors.ballot_result(services.ballot_close(ballot=ballot, by=organiser))
    assert result.votes == 50
    assert result.options[0].count + result.options[1].count == 50  # yes + no
    assert result.options[1].count <= 10


def test_the_database_refuses_two_rows_for_one_voter() -> None:
    ballot, _, _ = _open_ballot()
    Vote.objects.create(ballot=ballot, voter="f" * 64, choice="yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(ballot=ballot, voter="f" * 64, choice="no")
