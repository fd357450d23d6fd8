"""Organisers edit languages and dates as checkboxes and lines, never as JSON
(issue 9, item 19)."""

from __future__ import annotations

from typing import Any

import pytest

from assemblies.forms import DateListField, LanguagesField
from lottery.models import RecruitmentSettings

pytestmark = pytest.mark.django_db


def test_dates_one_per_line_are_sorted_and_bad_lines_named() -> None:
    field = DateListField(required=False)
    assert field.clean("2026-05-16\n\n07/03/2026\n2026-03-07\n") == ["2026-03-07", "2026-05-16"]
    with pytest.raises(Exception) as error:
        field.clean("2026-03-07\n31/02/2026\nnext Tuesday")
    messages = " ".join(error.value.messages)  # type: ignore[attr-defined]
    assert "Line 2: “31/02/2026” is not a date" in messages
    assert "Line 3: “next Tuesday” is not a date" in messages
    assert field.prepare_value(["2026-03-07", "2026-04-11"]) == "2026-03-07\n2026-04-11"


def test_languages_are_the_site_languages_and_one_is_needed() -> None:
    field = LanguagesField()
    assert [code for code, _name in field.choices] == ["en", "fr"]
    assert field.clean(["fr", "en", "fr"]) == ["en", "fr"]
    with pytest.raises(Exception) as error:
        field.clean([])
    assert "Tick at least one language" in " ".join(error.value.messages)  # type: ignore[attr-defined]


def test_assembly_form_shows_checkboxes_not_json(organiser_client: Any, assembly: Any) -> None:
    assembly.languages = ["en", "fr"]
    assembly.save()
    page = organiser_client.get(f"/admin/assemblies/assembly/{assembly.pk}/change/").content.decode()
    assert 'type="checkbox" name="languages" value="fr"' in page
    assert "[&quot;en&quot;" not in page and '["en"' not in page


def test_session_dates_form_shows_one_date_per_line(organiser_client: Any, assembly: Any) -> None:
    settings = RecruitmentSettings.objects.create(
        assembly=assembly, panel_size=10, session_dates=["2026-03-07", "2026-04-11"]
    )
    page = organiser_client.get(f"/admin/lottery/recruitmentsettings/{settings.pk}/change/").content.decode()
    assert "2026-03-07\n2026-04-11</textarea>" in page
    assert "[&quot;2026" not in page
