"""Every dashboard link of an assembly opens, for its organiser, the list it
names filtered to that assembly: an admin filter the list does not allow makes
Django redirect to ``?e=1`` and show every assembly's rows unfiltered."""

from __future__ import annotations

from typing import Any

import pytest

from assemblies.registry import registry

pytestmark = pytest.mark.django_db


def test_every_dashboard_link_opens_filtered_for_the_organiser(
    organiser_client: Any, organiser: Any, assembly: Any
) -> None:
    links = registry.links_for(assembly, organiser)
    assert any(label == "Spokespeople and training" for label, _url in links)
    broken = []
    for label, url in links:
        response = organiser_client.get(url)
        if response.status_code != 200 or "e=1" in response.get("Location", ""):
            broken.append((str(label), url, response.status_code, response.get("Location")))
    assert broken == []
