"""The public pages find their assembly by slug and check the public rule
on the row: the same answer as the querysets that state the rule."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from assemblies.access import public_assembly
from assemblies.models import Assembly, Stage
from recommendations.public.selectors import published_assemblies, published_assembly

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("is_public", [True, False])
@pytest.mark.parametrize("stage", list(Stage))
def test_the_lookups_agree_with_the_querysets(assembly: Any, stage: Stage, is_public: bool) -> None:
    Assembly.objects.filter(pk=assembly.pk).update(stage=stage, is_public=is_public)
    for lookup, rule in (
        (public_assembly, Assembly.objects.public()),
        (published_assembly, published_assemblies()),
    ):
        expected = rule.filter(pk=assembly.pk).exists()
        try:
            found = lookup(assembly.slug)
        except Http404:
            assert not expected, (lookup.__name__, stage, is_public)
        else:
            assert expected and found.pk == assembly.pk, (lookup.__name__, stage, is_public)
            assert found.organisation.name  # read with it
    for lookup in (public_assembly, published_assembly):
        with pytest.raises(Http404):
            lookup("no-such-assembly")
