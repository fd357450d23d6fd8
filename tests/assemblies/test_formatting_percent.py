"""Percentages follow the page's language: French pages showed "8.00 %"
(selection page, dashboards) among numbers written "4,6" elsewhere."""

from __future__ import annotations

from django.utils import translation

from assemblies.formatting import percent


def test_percent_uses_the_languages_decimal_mark() -> None:
    assert percent(0.0822) == "8.22\u00a0%"
    assert percent(None) == "—"
    with translation.override("fr"):
        assert percent(0.0822) == "8,22\u00a0%"
        assert percent(1.0) == "100,00\u00a0%"
