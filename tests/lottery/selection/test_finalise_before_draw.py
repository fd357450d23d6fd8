"""Finalising is offered only once a panel is drawn: before any draw the
screen offered "Finalise the panel…" and its confirmation described the
erasure clock for every respondent, although the service refuses it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lottery.models import RecruitmentSettings

pytestmark = pytest.mark.django_db


def test_no_finalise_button_or_erasure_talk_before_a_draw(
    organiser_client: Any, assembly: Any, pool: Any
) -> None:
    finalise = reverse("admin:lottery_selectionrun_finalise", args=[assembly.pk])
    page = organiser_client.get(reverse("admin:lottery_selectionrun_assembly", args=[assembly.pk]))
    body = page.content.decode()
    assert f'href="{finalise}"' not in body
    assert "Once the panel is drawn, you can finalise it here." in body

    confirm = organiser_client.get(finalise).content.decode()
    assert "Draw the panel before finalising it." in confirm
    assert "erasing the respondents" not in confirm
    assert 'type="submit"' not in confirm.split('id="content-main"', 1)[1]

    organiser_client.post(finalise, {"confirmed": "1"})
    recruitment = RecruitmentSettings.objects.filter(assembly=assembly).first()
    assert recruitment is None or recruitment.panel_final_at is None


def test_finalise_is_offered_once_drawn(organiser_client: Any, assembly: Any, drawn_run: Any) -> None:
    finalise = reverse("admin:lottery_selectionrun_finalise", args=[assembly.pk])
    body = organiser_client.get(
        reverse("admin:lottery_selectionrun_assembly", args=[assembly.pk])
    ).content.decode()
    assert f'href="{finalise}"' in body
    assert "erasing the respondents" in organiser_client.get(finalise).content.decode()
