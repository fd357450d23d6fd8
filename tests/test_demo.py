"""The demo that `make run` loads: every screen has something to show, and it
can be loaded twice."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command

from assemblies.models import Assembly, Stage
from lottery.models import (
    DrawStatus,
    Invitation,
    InvitationRound,
    JobStatus,
    Respondent,
    RunKind,
    SelectionRun,
)

pytestmark = pytest.mark.django_db


def _seed(capture: Any) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_has_a_pool_letters_to_register_with_and_a_drawn_panel(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    output = _seed(django_capture_on_commit_callbacks)
    transport = Assembly.objects.get(slug="northshire-transport")
    assert transport.stage == Stage.RECRUITING
    assert Respondent.objects.filter(assembly=transport).count() == 1500
    round_ = InvitationRound.objects.get(assembly=transport)
    assert (round_.rows_imported, round_.draw_size, round_.letters_status) == (2000, 40, JobStatus.DONE)
    assert round_.letter_batches.get().pdf.name.endswith(".pdf")

    # The command prints a code from those letters; it opens the registration form.
    match = re.search(r"/register/\?code=([A-Z0-9]+)", output)
    assert match, output
    assert Invitation.objects.filter(round=round_, code=match.group(1), used_at__isnull=True).exists()
    response = client.get(f"/register/?code={match.group(1)}")
    assert response.status_code == 200

    housing = Assembly.objects.get(slug="northshire-housing")
    drawn = SelectionRun.objects.get(assembly=housing, kind=RunKind.SELECTION)
    assert drawn.status == DrawStatus.DRAWN and drawn.bundle["stats"]["complete"]
    assert SelectionRun.objects.filter(
        assembly=housing, kind=RunKind.REPLACEMENT, status=DrawStatus.DRAWN
    ).exists()

    # Loading it again changes nothing.
    again = _seed(django_capture_on_commit_callbacks)
    assert Respondent.objects.filter(assembly=transport).count() == 1500
    assert InvitationRound.objects.filter(assembly=transport).count() == 1
    assert SelectionRun.objects.filter(assembly=housing, kind=RunKind.SELECTION).count() == 1
    assert match.group(1) in again
