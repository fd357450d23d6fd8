"""Issue 9, item 15: irreversible one-click actions ask first and say what will
happen; nothing changes until the confirmed POST (and, where asked, the tick)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from assemblies.models import Stage
from lottery.models import RecruitmentSettings, Respondent, RespondentStatus, SelectionRun
from notifications.models import OutboxMessage
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_a_stage_move_says_who_is_emailed_and_moves_only_when_confirmed(
    organiser_client: Any, assembly: Any
) -> None:
    MemberFactory.create_batch(2, assembly=assembly)  # with the persona member: 3 confirmed
    url = reverse("admin:assemblies_assembly_transition", args=[assembly.pk])
    before = OutboxMessage.objects.count()

    page = organiser_client.get(url, {"to": Stage.DECIDING}).content.decode()
    assert "3 confirmed members are emailed" in page and "Emails cannot be recalled" in page
    response = organiser_client.post(url, {"to": Stage.DECIDING})  # the old one-click form
    assembly.refresh_from_db()
    assert assembly.stage == Stage.DELIBERATING and OutboxMessage.objects.count() == before
    assert response["Location"] == f"{url}?to={Stage.DECIDING}"

    organiser_client.post(url, {"to": Stage.DECIDING, "confirmed": "yes"})
    assembly.refresh_from_db()
    assert assembly.stage == Stage.DECIDING and OutboxMessage.objects.count() == before + 3


def test_closing_a_published_assembly_warns_and_needs_the_tick(organiser_client: Any, assembly: Any) -> None:
    assembly.stage = Stage.PUBLISHED
    assembly.save(update_fields=["stage"])
    url = reverse("admin:assemblies_assembly_transition", args=[assembly.pk])

    page = organiser_client.get(url, {"to": Stage.CLOSED}).content.decode()
    assert "This skips Follow-up" in page and "cannot be reopened" in page and 'name="understood"' in page
    response = organiser_client.post(url, {"to": Stage.CLOSED, "confirmed": "yes"})
    assembly.refresh_from_db()
    assert response.status_code == 400 and assembly.stage == Stage.PUBLISHED
    organiser_client.post(url, {"to": Stage.CLOSED, "confirmed": "yes", "understood": "yes"})
    assembly.refresh_from_db()
    assert assembly.stage == Stage.CLOSED


def test_finalising_with_unconfirmed_seats_counts_them_and_needs_the_tick(
    drawn_run: SelectionRun, assembly: Any, organiser_client: Any
) -> None:
    url = reverse("admin:lottery_selectionrun_finalise", args=[assembly.pk])
    page = organiser_client.get(url).content.decode()
    assert "8 of 8 seats are not confirmed yet (8 waiting for an answer, 0 vacant)" in page
    organiser_client.post(url)
    organiser_client.post(url, {"confirmed": "yes"})
    assert RecruitmentSettings.objects.get(assembly=assembly).panel_final_at is None
    organiser_client.post(url, {"confirmed": "yes", "understood": "yes"})
    assert RecruitmentSettings.objects.get(assembly=assembly).panel_final_at is not None


def test_recording_a_drop_out_says_where_the_seat_goes_first(
    drawn_run: SelectionRun, assembly: Any, organiser_client: Any
) -> None:
    leaving = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).first()
    url = reverse("admin:lottery_selectionrun_withdraw", args=[leaving.pk])
    page = organiser_client.get(url).content.decode()
    assert "Record that" in page and leaving.pseudonym in page
    assert "offered to reserve no." in page or "No reserve keeps every quota" in page
    organiser_client.post(url)
    leaving.refresh_from_db()
    assert leaving.status == RespondentStatus.SELECTED
    organiser_client.post(url, {"confirmed": "yes"})
    leaving.refresh_from_db()
    assert leaving.status == RespondentStatus.WITHDRAWN


def test_the_public_decline_shows_dates_and_asks_again(
    drawn_run: SelectionRun, assembly: Any, client: Any
) -> None:
    RecruitmentSettings.objects.filter(assembly=assembly).update(session_dates=["2027-03-06"])
    respondent = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).first()
    url = reverse("lottery:selection_confirm", args=[respondent.confirm_token])

    page = client.post(url, {"action": "decline"}).content.decode()
    respondent.refresh_from_db()
    assert respondent.status == RespondentStatus.SELECTED
    assert "Before you decline" in page and "Saturday 6 March 2027" in page
    assert "What members receive" in page and "Yes, I decline my seat" in page

    client.post(url, {"action": "decline", "confirmed": "yes"})
    respondent.refresh_from_db()
    assert respondent.status == RespondentStatus.DECLINED
