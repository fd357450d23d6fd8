"""Emails' contexts are stored as JSON, so their dates arrive as text: they must
still read as dates, not as "The assembly meets on: ; ;"."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

CONTEXT = {
    "first_name": "Ada",
    "assembly_title": "Riverside Housing Assembly",
    "session_dates": ["2026-03-07", "2026-03-21"],
    "retention_days": 30,
}


@pytest.mark.parametrize("template", ["selected", "reserve", "registered"])
@pytest.mark.parametrize("part", ["body.txt", "body.html"])
def test_session_dates_read_as_dates_in_every_email(template: str, part: str) -> None:
    body = render_to_string(f"notifications/{template}/{part}", CONTEXT)

    assert "Saturday 7 March 2026" in body and "Saturday 21 March 2026" in body


def test_and_in_the_readers_language() -> None:
    with translation.override("fr"):
        body = render_to_string("notifications/selected/body.txt", CONTEXT)

    assert "samedi 7 mars 2026" in body
