"""A progress report describes a day that has come: the screen made one
"status on 1 January 2030", which would be published as fact."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assemblies.actors import SYSTEM
from recommendations.report import services
from reports.models import Document

pytestmark = pytest.mark.django_db


def test_a_progress_report_on_a_future_day_is_refused(assembly: Any) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="a day that has come"):
        services.report_render(assembly=assembly, kind="progress", as_of=tomorrow, by=SYSTEM)
    assert not Document.objects.filter(assembly=assembly).exists()


def test_the_screen_says_why_and_offers_no_future_day(organiser_client: Any, assembly: Any) -> None:
    page = reverse("admin:recommendations_report_assembly", args=[assembly.pk])
    today = timezone.localdate().isoformat()
    assert f'max="{today}"' in organiser_client.get(page).content.decode()
    response = organiser_client.post(
        reverse("admin:recommendations_report_render", args=[assembly.pk]),
        {"kind": "progress", "as_of": "2099-01-01"},
        follow=True,
    )
    assert "a day that has come" in response.content.decode()
    assert not Document.objects.filter(assembly=assembly).exists()


def test_a_progress_report_before_the_assembly_began_is_refused(organiser_client: Any, assembly: Any) -> None:
    assembly.starts_on = dt.date(2026, 3, 1)
    assembly.save(update_fields=["starts_on"])
    with pytest.raises(ValidationError, match="since the assembly began: choose 1 March 2026 or later"):
        services.report_render(assembly=assembly, kind="progress", as_of=dt.date(1900, 1, 1), by=SYSTEM)
    page = reverse("admin:recommendations_report_assembly", args=[assembly.pk])
    assert 'min="2026-03-01"' in organiser_client.get(page).content.decode()
    assert not Document.objects.filter(assembly=assembly).exists()
    services.report_render(assembly=assembly, kind="progress", as_of=dt.date(2026, 3, 1), by=SYSTEM)
    assert Document.objects.filter(assembly=assembly, as_of=dt.date(2026, 3, 1)).exists()
