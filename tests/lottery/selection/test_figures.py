"""Issue 9, item 16: the dashboard, the selection screen, the public pages and
the API show the same numbers for the same panel (one selector per figure)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from assemblies.actors import SYSTEM
from assemblies.models import Member
from lottery.models import Respondent, RespondentStatus, SelectionRun
from lottery.selection import services
from lottery.selection.selectors import panel_figures

pytestmark = pytest.mark.django_db


def figures(html: str, heading: str) -> dict[str, str]:
    """The <dt>/<dd> pairs of the section that follows ``heading``."""
    section = html.split(heading, 1)[1].split("</dl>", 1)[0]
    return dict(re.findall(r"<dt>([^<]+)</dt>\s*<dd>([^<]+)</dd>", section))


def test_every_screen_shows_the_same_panel_figures(
    drawn_run: SelectionRun, assembly: Any, organiser_client: Any, client: Any
) -> None:
    Member.objects.filter(assembly=assembly).delete()  # only the lottery's members
    selected = list(Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED))
    for r in selected[:3]:
        services.respondent_confirm(token=r.confirm_token, by=SYSTEM)
    services.respondent_decline(token=selected[3].confirm_token, by=SYSTEM)  # a reserve is called
    panel = panel_figures(assembly)
    assert (panel.seats, panel.confirmed, panel.declined) == (8, 3, 1)
    assert panel.selected + panel.confirmed + panel.vacant == panel.seats

    dashboard = organiser_client.get(reverse("admin:assemblies_assembly_dashboard", args=[assembly.pk]))
    on_dashboard = figures(dashboard.content.decode(), ">Panel<")
    screen = organiser_client.get(reverse("admin:lottery_selectionrun_assembly", args=[assembly.pk]))
    on_screen = figures(screen.content.decode(), ">Confirmations<")
    public = client.get(reverse("lottery:selection_public", args=[assembly.slug])).content.decode()
    on_public = figures(public, ">The panel today<")
    expected = {
        "Seats": str(panel.seats),
        "Selected, to confirm": str(panel.selected),
        "Confirmed": str(panel.confirmed),
        "Reserves": str(panel.reserves),
        "Vacant seats": str(panel.vacant),
    }
    for shown in (on_dashboard, on_screen, on_public):
        assert {k: shown[k] for k in expected} == expected
    assert on_dashboard["Declined"] == on_screen["Declined"] == "1"
    # The dashboard's "People" counts the same confirmed members, and no other "Reserves".
    people = figures(dashboard.content.decode(), ">People<")
    assert people["Confirmed members"] == "3" and "Reserves" not in people

    assembly_page = client.get(assembly.get_absolute_url()).content.decode()
    assert figures(assembly_page, "How the members were chosen")["Confirmed members"] == "3"
    home = client.get(reverse("assemblies:home")).content.decode()
    assert "3 members" in home
    api = client.get(reverse("api:public-assembly-figures", args=[assembly.slug])).json()
    assert api["members"] == 3
    assert {f["label"]: f["value"] for f in api["figures"]} == {"Seats": 8, "Confirmed members": 3}
