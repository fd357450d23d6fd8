"""assemblies.figures.tally: several counts in one statement, the same as the ORM's."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assemblies.figures import Tally, tally
from assemblies.models import Assembly, Stage
from deliberation.models import Evidence, Session, SessionStatus
from tests.factories import AssemblyFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_counts_equal_the_orms_in_one_statement(assembly: Any) -> None:
    other = AssemblyFactory()
    for status, public in (
        (SessionStatus.CANCELLED, True),
        (SessionStatus.PLANNED, True),
        (SessionStatus.PLANNED, False),
    ):
        SessionFactory(assembly=assembly, status=status, is_public=public)
    SessionFactory(assembly=other, is_public=True)
    tallies = [
        Tally(Session, {"assembly": assembly.pk}),
        Tally(
            Session,
            {"assembly": assembly.pk, "is_public": True},
            exclude={"status": SessionStatus.CANCELLED.value},
        ),
        Tally(Session, {"assembly": other.pk, "is_public": False}),
        Tally(Evidence, {"assembly": assembly.pk}),
        Tally(Assembly, {"parent": None}, exclude={"stage": Stage.DRAFT.value}),
        Tally(Assembly, {}, exclude={"parent": None}),
        Tally(Assembly, {}, exclude={"parent": assembly.pk}),  # a nullable column: NULLs are kept
    ]
    with CaptureQueriesContext(connection) as queries:
        found = tally(*tallies)
    assert len(queries) == 1
    assert found == [
        Session.objects.filter(assembly=assembly).count(),
        Session.objects.filter(assembly=assembly, is_public=True)
        .exclude(status=SessionStatus.CANCELLED)
        .count(),
        0,
        Evidence.objects.filter(assembly=assembly).count(),
        Assembly.objects.filter(parent=None).exclude(stage=Stage.DRAFT).count(),
        Assembly.objects.exclude(parent=None).count(),
        Assembly.objects.exclude(parent=assembly.pk).count(),
    ]
    assert found[-1] == Assembly.objects.count() > 0
    assert found[:2] == [3, 1]


def test_values_are_bound_never_spliced(assembly: Any) -> None:
    SessionFactory(assembly=assembly)
    (n,) = tally(Tally(Session, {"assembly": assembly.pk, "status": "x' OR '1'='1"}))
    assert n == 0 and Session.objects.count() == 1


def test_names_must_be_columns_of_the_model() -> None:
    assert tally() == []
    with pytest.raises(FieldDoesNotExist):
        tally(Tally(Session, {"no_such_column": 1}))
    with pytest.raises(ValueError, match="not a column"):
        tally(Tally(Assembly, {"community_assemblies": 1}))
