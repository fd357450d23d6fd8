"""Editors and supporters at the same time, against real PostgreSQL: one save
wins and the others are told of the conflict; a support counts once; new
drafts never share a number."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from assemblies.actors import SYSTEM
from recommendations.drafting import services
from recommendations.models import AmendmentSupport, Recommendation
from tests.factories import AssemblyFactory, MemberFactory, UserFactory, WorkingGroupFactory, make_draft

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]


def _race(jobs: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results.append(job())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_ten_editors_saving_from_the_same_version_one_wins() -> None:
    assembly = AssemblyFactory()
    members = [MemberFactory(assembly=assembly, user=UserFactory()) for _ in range(10)]
    group = WorkingGroupFactory(assembly=assembly)
    group.members.set(members)
    draft = make_draft(assembly, group=group)

    def save(member: Any) -> Callable[[], Any]:
        return lambda: services.recommendation_save(
            recommendation=Recommendation.objects.get(pk=draft.pk),
            data={"text": f"Text by {member.pk}."},
            base_version=1,
            by=member.user,
        )

    results, errors = _race([save(m) for m in members])
    assert len(results) == 1
    assert len(errors) == 9 and all(isinstance(e, services.EditConflict) for e in errors)
    draft.refresh_from_db()
    assert draft.version == 2 and draft.versions.count() == 2
    assert draft.text == results[0].text


def test_a_double_click_on_support_counts_once() -> None:
    assembly = AssemblyFactory()
    author, supporter = (MemberFactory(assembly=assembly, user=UserFactory()) for _ in range(2))
    draft = make_draft(assembly)
    amendment = services.amendment_propose(
        recommendation=draft, paragraph=1, proposed="Changed.", explanation="", by=author.user
    )
    results, errors = _race(
        [lambda: services.amendment_support(amendment=amendment, by=supporter.user) for _ in range(5)]
    )
    assert len(results) == 1 and all(isinstance(e, ValidationError) for e in errors), errors
    assert AmendmentSupport.objects.filter(amendment=amendment).count() == 1


def test_new_drafts_created_at_once_get_distinct_numbers() -> None:
    assembly = AssemblyFactory()

    def create(n: int) -> Callable[[], Any]:
        return lambda: services.recommendation_create(
            assembly=assembly, data={"title": f"Draft {n}", "text": "Text."}, by=SYSTEM
        )

    results, errors = _race([create(n) for n in range(8)])
    assert not errors, errors
    assert sorted(r.number for r in results) == list(range(1, 9))
