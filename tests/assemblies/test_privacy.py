"""One rule for public counts: 1 to 4 people are never shown as a number."""

from __future__ import annotations

import pytest
from django.utils import translation

from assemblies.privacy import SMALL_GROUP, shown, shown_count, suppress


@pytest.mark.parametrize(
    ("count", "kept", "text"),
    [(0, 0, "0"), (1, None, "fewer than 5"), (4, None, "fewer than 5"), (5, 5, "5"), (120, 120, "120")],
)
def test_small_groups_are_suppressed_and_shown_in_words(count: int, kept: int | None, text: str) -> None:
    assert SMALL_GROUP == 5
    assert suppress(count) == kept
    assert shown(kept) == text
    assert shown_count(count) == text


def test_the_words_are_translated() -> None:
    with translation.override("fr"):
        assert shown(None) == "moins de 5"
