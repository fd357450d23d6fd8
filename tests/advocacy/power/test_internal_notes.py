"""Internal notes (stakeholders, tactics, media items) never reach a public
page, a member's page or the API: every public and portal route of advocacy
and every API route is fetched, anonymously and as a member, and searched."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from advocacy.people import services as people
from advocacy.power import services as power
from assemblies.actors import SYSTEM
from assemblies.models import Member
from tests.factories import (
    AffiliateFactory,
    MediaItemFactory,
    StakeholderFactory,
    TacticFactory,
    make_adopted,
)

pytestmark = pytest.mark.django_db

NOTES = ["STAKEHOLDER-NOTE-7f3", "TACTIC-NOTE-2b9", "MEDIA-NOTE-c41"]


def _walk(resolver: URLResolver, prefix: str = "", ns: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = (pattern.namespace,) if pattern.namespace else ()
            yield from _walk(pattern, prefix + str(pattern.pattern), ns + namespace)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), ":".join((*ns, pattern.name or ""))


def _readable(name: str) -> bool:
    return name.startswith(("advocacy:", "portal:advocacy_", "api:")) or name in (
        "assemblies:public-detail",
        "portal:assembly",
        "recommendations:list",
        "recommendations:detail",
    )


@pytest.fixture
def world(tenant: Any) -> dict[str, str]:
    assembly = tenant.assembly
    assembly.stage = "follow_up"
    assembly.save(update_fields=["stage"])
    rec = make_adopted(assembly, title="Rent cap")
    stakeholder = StakeholderFactory(assembly=assembly, name="Riverside Council", internal_notes=NOTES[0])
    power.stance_set(stakeholder=stakeholder, recommendation=rec, stance="opponent", by=SYSTEM)
    tactic = TacticFactory(assembly=assembly, method="media", target=stakeholder, internal_notes=NOTES[1])
    tactic.recommendations.add(rec)
    MediaItemFactory(assembly=assembly, internal_notes=NOTES[2]).tactics.add(tactic)
    affiliate = AffiliateFactory(assembly=assembly)
    affiliate.recommendations.add(rec)
    member = Member.objects.get(assembly=assembly, user=tenant.member)
    spokesperson = people.spokesperson_opt_in(
        member=member, recommendations=[rec], media=["tv"], by=tenant.member
    )
    request = people.media_request_send(assembly=assembly, title="TV", spokespeople=[spokesperson], by=SYSTEM)
    return {
        "slug": assembly.slug,
        "pk": str(request.pk),
        "number": "1",
        "token": affiliate.report_token,
        "format": "json",
    }


def _url(route: str, values: dict[str, str]) -> str | None:
    try:
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], route)
    except KeyError:
        return None
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values.get(m[1], "json"), url)
    return "/" + url.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "")


def test_no_internal_note_on_any_public_member_or_api_page(
    client: Any, tenant: Any, world: dict[str, str]
) -> None:
    routes = sorted({r for r in _walk(get_resolver()) if _readable(r[1])})
    urls = [u for u in (_url(route, world) for route, _name in routes) if u]
    urls += [f"/api/v1/recommendations/?assembly={world['slug']}"]
    assert any("/power/map/" in u for u in urls) and any("/affiliates/" in u for u in urls)
    fetched = 0
    for who in (None, tenant.member):
        if who is None:
            client.logout()
        else:
            client.force_login(who)
        for url in urls:
            response = client.get(url, HTTP_ACCEPT="text/html,application/json")
            if response.status_code != 200:
                continue
            fetched += 1
            body = response.content.decode(errors="replace")
            for note in NOTES:
                assert note not in body, f"{url} shows an internal note ({who})"
    assert fetched >= 12
    # The map itself was reachable to the member (so the walk was not empty for it).
    assert "Riverside Council" in client.get(f"/portal/{world['slug']}/power/map/").content.decode()
