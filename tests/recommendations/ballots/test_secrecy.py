"""Secret ballots: walk every relevant route, the API, the exports and the
audit trail as each persona, and find no link between a member and a choice.

The test is a non-interference check: two states of the world that differ
only in *who* chose *what* (the same counts, the same turnout) must give the
same response to every request, byte for byte (after removing CSRF tokens).
The one exception is a member's own ballot page while it is open, which shows
them (and only them) their own current choice."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver

from assemblies.models import AuditEvent, Member, Stage
from recommendations.ballots import services
from recommendations.models import Ballot, BallotStatus, Vote
from tests.factories import TeamMembershipFactory, UserFactory
from tests.recommendations.ballots.helpers import make_members, make_recommendation
from tests.test_url_permissions import ROUTES

pytestmark = pytest.mark.django_db

RELEVANT = re.compile(
    r"^(recommendations:|portal:|admin:recommendations_|admin:assemblies_auditevent_|"
    r"admin:assemblies_assembly_(dashboard|change)|api:|assemblies:public-detail|admin:index)"
)
# Per-request values: CSRF tokens, nonces, and the time a member's data file was made.
TOKENS = re.compile(r'(csrfmiddlewaretoken" value="|csrf_token": "|nonce="|"downloaded_at": ")[^"]+')


def _fill(route: str, values: dict[str, str]) -> str | None:
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        if match[1] not in values:
            missing = True
            return ""
        return values[match[1]]

    url = re.sub(r"<(?:\w+:)?(\w+)>", value, route)
    if missing or "(?P<" in url or "^" in url:
        return None
    return "/" + url


def _urls(world: dict[str, Any]) -> list[str]:
    assembly, ballot = world["assembly"], world["ballot"]
    urls = set()
    for r in ROUTES:
        if not RELEVANT.match(r.name) or r.name.endswith(
            ("_delete", "_add", "transition", "_open", "_close")
        ):
            continue
        values = {"slug": assembly.slug, "number": "1", "pk": str(assembly.pk), "object_id": str(ballot.pk)}
        if r.name.startswith("portal:recommendations_ballot") or r.name.startswith(
            "portal:recommendations_prior"
        ):
            values["pk"] = str(ballot.pk)
        url = _fill(r.route, values)
        if url is not None:
            urls.add(url)
    urls |= {
        f"/api/v1/recommendations/?assembly={assembly.slug}",
        f"/admin/assemblies/auditevent/?assembly__id__exact={assembly.pk}",
        f"/api/v1/manage/assemblies/{assembly.pk}/audit-events/",
        f"/admin/recommendations/ballot/{world['shown'].pk}/change/",
        f"/portal/{assembly.slug}/ballots/{world['shown'].pk}/",
    }
    urls |= {
        f"/admin/assemblies/auditevent/{pk}/change/" for pk in AuditEvent.objects.values_list("pk", flat=True)
    }
    return sorted(urls)


def _walk(world: dict[str, Any], prefix: str = "/") -> dict[tuple[str, str], str]:
    bodies = {}
    urls = [url for url in _urls(world) if url.startswith(prefix)]
    for name, user in world["personas"].items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for url in urls:
            if name == "superuser" and url.startswith("/portal/"):
                continue  # assemblies.access.member_assembly answers 500 to a superuser (reported)
            response = client.get(url, HTTP_ACCEPT="text/html,application/json")
            assert response.status_code < 500, f"{name} {url}: {response.status_code}"
            body = response.content.decode(errors="replace")
            for secret in world["secrets"]():
                assert secret not in body, f"{name} {url} shows a vote's key or id"
            bodies[(name, url)] = TOKENS.sub(r"\1", body)
    return bodies


def _compare(
    a: dict[tuple[str, str], str], b: dict[tuple[str, str], str], own_pages: set[tuple[str, str]]
) -> None:
    import difflib

    differ = [key for key in a if a[key] != b[key] and key not in own_pages]
    details = [
        f"{name} {url}:\n"
        + "\n".join(
            list(difflib.unified_diff(a[(name, url)].splitlines(), b[(name, url)].splitlines(), lineterm=""))[
                :20
            ]
        )
        for name, url in differ
    ]
    assert not differ, "Responses that depend on who voted what:\n" + "\n".join(details)


@pytest.fixture
def world(tenant: Any, other_tenant: Any) -> dict[str, Any]:
    assembly = tenant.assembly
    assembly.stage = Stage.DECIDING
    assembly.save(update_fields=["stage"])
    organiser = tenant.organiser
    rec = make_recommendation(assembly, 1)
    rec2 = make_recommendation(assembly, 2)
    ballot = services.ballot_create(assembly=assembly, recommendation=rec, question="Adopt 1?", by=organiser)
    shown = services.ballot_create(
        assembly=assembly, recommendation=rec2, question="Adopt 2?", by=organiser, show_running_results=True
    )
    for b in (ballot, shown):
        services.ballot_open(ballot=b, by=organiser)
    first = Member.objects.get(assembly=assembly, user=tenant.member)
    (second,) = make_members(assembly, 1, prefix="second")
    facilitator = UserFactory(username="alpha-facilitator@example.org")
    TeamMembershipFactory(team=tenant.team, user=facilitator, role="facilitator")
    superuser = UserFactory(username="root@example.org", is_superuser=True, is_staff=True)

    def secrets() -> list[str]:
        keys = [v.voter for v in Vote.objects.all()] + [str(v.pk) for v in Vote.objects.all()]
        keys += [bytes(b.secret).hex() for b in Ballot.objects.exclude(secret=None)]
        return keys

    return {
        "assembly": assembly,
        "ballot": ballot,
        "shown": shown,
        "first": first,
        "second": second,
        "secrets": secrets,
        "personas": {
            "anonymous": None,
            "first": tenant.member,
            "second": second.user,
            "organiser": organiser,
            "facilitator": facilitator,
            "superuser": superuser,
            "other-member": other_tenant.member,
            "other-organiser": other_tenant.organiser,
        },
    }


def _vote(world: dict[str, Any], first: str, second: str) -> None:
    for ballot in (world["ballot"], world["shown"]):
        for member, choice in ((world["first"], first), (world["second"], second)):
            services.vote_cast(ballot=ballot, member=member, choice=choice, by=member.user)


def test_no_response_links_a_member_to_a_choice(world: dict[str, Any]) -> None:
    assembly = world["assembly"]
    _walk(
        world, prefix="/portal/"
    )  # pages that create rows on a first visit (a participant's badge) do it now
    # While the ballots are open: first says yes and second no, then the other way round.
    _vote(world, "yes", "no")
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    state_a = _walk(world)
    _vote(world, "no", "yes")
    AuditEvent.objects.filter(pk__gt=last_event).delete()  # the same trail in both states
    state_b = _walk(world)
    own = {
        (name, f"/portal/{assembly.slug}/ballots/{b.pk}/")
        for name in ("first", "second")
        for b in (world["ballot"], world["shown"])
    }
    for key in own:
        # Their own page shows their own choice, and nothing about the other member's.
        assert "Your vote now" in state_a[key]
    _compare(state_a, state_b, own)

    # Closed (key destroyed) and published: swapping the stored choices changes no response.
    for ballot in (world["ballot"], world["shown"]):
        services.ballot_close(ballot=ballot, by=world["personas"]["organiser"])
    assert not Ballot.objects.exclude(secret=None).exists()
    assembly.stage = Stage.PUBLISHED
    assembly.save(update_fields=["stage"])
    state_c = _walk(world)
    for ballot in (world["ballot"], world["shown"]):
        yes, no = (Vote.objects.get(ballot=ballot, choice=c) for c in ("yes", "no"))
        Vote.objects.filter(pk=yes.pk).update(choice="no")
        Vote.objects.filter(pk=no.pk).update(choice="yes")
        assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.CLOSED
    state_d = _walk(world)
    _compare(state_c, state_d, set())
    assert not any("Your vote now" in body for body in state_c.values())
    # The walk reached the pages that matter.
    walked = {url for _, url in state_c}
    assert f"/assemblies/{assembly.slug}/recommendations/1/" in walked
    assert f"/admin/recommendations/ballot/assembly/{assembly.pk}/" in walked
    assert any("/auditevent/" in url and url.endswith("/change/") for url in walked)
    assert state_c[("anonymous", f"/assemblies/{assembly.slug}/recommendations/download.csv")].startswith(
        "number"
    )
    assert get_resolver() is not None
