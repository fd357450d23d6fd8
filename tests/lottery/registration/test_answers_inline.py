"""Item 18: the respondent's page in the admin shows their demographic answers."""

from __future__ import annotations

from typing import Any

import pytest

from .test_admin import register

pytestmark = pytest.mark.django_db


def test_respondent_page_lists_the_demographic_answers(
    organiser_client: Any, assembly: Any, recruiting: Any
) -> None:
    respondent = register(assembly, recruiting)
    page = organiser_client.get(f"/admin/lottery/respondent/{respondent.pk}/change/").content.decode()
    section = page.split("emographic answers", 1)[1]
    assert "Gender" in section and "Female" in section
    assert "Age" in section and "30-59" in section
