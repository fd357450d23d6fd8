"""Members' spokesperson pages, the organisers' media-request screen, the
public affiliates, signing, reporting and news pages: stage gating, tenancy,
answers on a phone, pinned query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advocacy.models import Affiliate, AffiliateStatus, InviteStatus, MediaInvite, MediaRequest
from advocacy.people import services
from assemblies.models import Member
from notifications.models import OutboxMessage
from tests.factories import AffiliateFactory, MediaItemFactory, make_adopted

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow_up(assembly: Any) -> Any:
    assembly.stage = "follow_up"
    assembly.save(update_fields=["stage"])
    return assembly


@pytest.fixture
def membership(tenant: Any) -> Member:
    return Member.objects.get(assembly=tenant.assembly, user=tenant.member)


def test_member_offers_to_speak_in_the_portal(
    client: Any, tenant: Any, follow_up: Any, membership: Member
) -> None:
    rec = make_adopted(follow_up, title="Rent cap")
    client.force_login(tenant.member)
    url = reverse("portal:advocacy_spokesperson", args=[follow_up.slug])
    page = client.get(url).content.decode()
    assert "Offer to speak" in page and "Rent cap" in page
    response = client.post(
        url, {"is_available": "on", "channels": ["radio", "print"], "recommendations": [rec.pk]}
    )
    assert response.status_code == 302
    assert membership.spokesperson.media == ["radio", "print"]
    # No media chosen while available: the field is named, nothing saved.
    response = client.post(url, {"is_available": "on", "recommendations": [rec.pk]})
    assert response.status_code == 400
    assert "Choose at least one kind of media" in response.content.decode()
    membership.spokesperson.refresh_from_db()
    assert membership.spokesperson.media == ["radio", "print"]


def test_organiser_sends_a_request_and_the_member_accepts(
    client: Any, tenant: Any, follow_up: Any, membership: Member
) -> None:
    services.spokesperson_opt_in(member=membership, recommendations=[], media=["radio"], by=tenant.member)
    client.force_login(tenant.organiser)
    screen = reverse("admin:advocacy_mediarequest_send", args=[follow_up.pk])
    assert "Alpha Member" in client.get(screen).content.decode()
    response = client.post(
        screen,
        {
            "kind": "media",
            "title": "Drive-time interview",
            "outlet": "Radio Riverside",
            "spokespeople": [membership.spokesperson.pk],
        },
    )
    assert response.status_code == 302
    request = MediaRequest.objects.get(title="Drive-time interview")
    assert OutboxMessage.objects.filter(recipient=tenant.member.email, template="advocacy_request").exists()
    # A bad post names the field and keeps the rest.
    response = client.post(screen, {"kind": "media", "title": "No one"})
    assert response.status_code == 400 and "This field is required" in response.content.decode()

    client.force_login(tenant.member)
    url = reverse("portal:advocacy_request", args=[follow_up.slug, request.pk])
    assert "Drive-time interview" in client.get(url).content.decode()
    client.post(url, {"answer": "accept"})
    assert MediaInvite.objects.get(request=request).status == InviteStatus.ACCEPTED
    client.force_login(tenant.organiser)
    assert "Accepted" in client.get(screen).content.decode()


def test_requests_are_private_to_their_spokesperson(
    client: Any, tenant: Any, other_tenant: Any, follow_up: Any, membership: Member
) -> None:
    spokesperson = services.spokesperson_opt_in(
        member=membership, recommendations=[], media=["tv"], by=tenant.member
    )
    request = services.media_request_send(
        assembly=follow_up, title="TV", spokespeople=[spokesperson], by=tenant.organiser
    )
    url = reverse("portal:advocacy_request", args=[follow_up.slug, request.pk])
    from tests.factories import MemberFactory

    neighbour = MemberFactory(assembly=follow_up)
    for user in (neighbour.user, other_tenant.member, other_tenant.organiser):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"answer": "accept"}).status_code == 404
    assert MediaInvite.objects.get(request=request).status == InviteStatus.PENDING
    client.force_login(other_tenant.organiser)
    assert client.get(reverse("admin:advocacy_mediarequest_send", args=[follow_up.pk])).status_code == 404


def test_public_pages_wait_for_the_report(client: Any, assembly: Any) -> None:
    AffiliateFactory(assembly=assembly, name="Riverside Builders")
    for name in ("advocacy:affiliates", "advocacy:news", "advocacy:affiliate_sign"):
        assert client.get(reverse(name, args=[assembly.slug])).status_code == 404  # still deliberating
    assembly.stage = "published"
    assembly.save(update_fields=["stage"])
    assert (
        "Riverside Builders"
        in client.get(reverse("advocacy:affiliates", args=[assembly.slug])).content.decode()
    )
    assembly.is_public = False
    assembly.save(update_fields=["is_public"])
    assert client.get(reverse("advocacy:affiliates", args=[assembly.slug])).status_code == 404


def test_affiliates_page_shows_commitments_not_emails(client: Any, follow_up: Any) -> None:
    rec = make_adopted(follow_up, title="Rent cap")
    signed = AffiliateFactory(
        assembly=follow_up, name="Riverside Builders", email="secret@builders.example.org"
    )
    signed.recommendations.add(rec)
    services.affiliate_report(affiliate=signed, text="We briefed our members.")
    AffiliateFactory(assembly=follow_up, name="Not yet confirmed", status=AffiliateStatus.UNCONFIRMED)
    body = client.get(reverse("advocacy:affiliates", args=[follow_up.slug])).content.decode()
    assert "Riverside Builders" in body and "Rent cap" in body and "We briefed our members." in body
    assert "secret@builders.example.org" not in body and signed.report_token not in body
    assert "Not yet confirmed" not in body
    # The assembly page links to it.
    assert (
        reverse("advocacy:affiliates", args=[follow_up.slug])
        in client.get(follow_up.get_absolute_url()).content.decode()
    )


def test_sign_confirm_and_report_through_the_public_pages(client: Any, follow_up: Any) -> None:
    rec = make_adopted(follow_up)
    sign = reverse("advocacy:affiliate_sign", args=[follow_up.slug])
    response = client.post(
        sign,
        {
            "name": "",
            "sector": "business",
            "email": "x@example.org",
            "recommendations": [rec.pk],
            "commitment": "Build.",
        },
    )
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = client.post(
        sign,
        {
            "name": "Echo Media",
            "sector": "media",
            "email": "ed@echo.example.org",
            "recommendations": [rec.pk],
            "commitment": "We will cover it.",
        },
    )
    assert "Check your email" in response.content.decode()
    affiliate = Affiliate.objects.get(name="Echo Media")
    listing = reverse("advocacy:affiliates", args=[follow_up.slug])
    assert "Echo Media" not in client.get(listing).content.decode()
    assert client.get(reverse("advocacy:affiliate_confirm", args=[follow_up.slug, "nope"])).status_code == 404
    client.get(reverse("advocacy:affiliate_confirm", args=[follow_up.slug, affiliate.confirm_token]))
    assert "Echo Media" in client.get(listing).content.decode()
    affiliate.refresh_from_db()
    report = reverse("advocacy:affiliate_report", args=[follow_up.slug, affiliate.report_token])
    assert client.post(report, {"text": "Three articles."}).status_code == 200
    assert "Three articles." in client.get(listing).content.decode()
    assert client.get(reverse("advocacy:affiliate_report", args=[follow_up.slug, "wrong"])).status_code == 404


def test_news_lists_public_items_only(client: Any, follow_up: Any) -> None:
    MediaItemFactory(assembly=follow_up, title="Residents back a rent cap", reach=5000, tone="positive")
    MediaItemFactory(assembly=follow_up, title="Embargoed piece", is_public=False)
    body = client.get(reverse("advocacy:news", args=[follow_up.slug])).content.decode()
    assert "Residents back a rent cap" in body and "Embargoed piece" not in body
    assert "5000" in body or "5,000" in body


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_affiliate(assembly: Any) -> None:
    affiliate = AffiliateFactory(assembly=assembly)
    affiliate.recommendations.add(make_adopted(assembly, title=f"R {affiliate.pk}"))
    services.affiliate_report(affiliate=affiliate, text="Done.")


def _add_item(assembly: Any) -> None:
    MediaItemFactory(assembly=assembly, published_on=dt.date(2026, 9, 3)).recommendations.add(
        make_adopted(assembly, title="R")
    )


@pytest.mark.parametrize(
    ("name", "add"), [("advocacy:affiliates", _add_affiliate), ("advocacy:news", _add_item)]
)
def test_public_lists_do_not_query_per_row(client: Any, follow_up: Any, name: str, add: Any) -> None:
    url = reverse(name, args=[follow_up.slug])
    add(follow_up)
    few = _count(client, url)
    for _ in range(5):
        add(follow_up)
    assert _count(client, url) == few <= 20


def test_organiser_requests_screen_does_not_query_per_row(client: Any, tenant: Any, follow_up: Any) -> None:
    from tests.factories import MemberFactory

    def add() -> None:
        member = MemberFactory(assembly=follow_up)
        person = services.spokesperson_opt_in(member=member, recommendations=[], media=["tv"], by=member.user)
        services.media_request_send(
            assembly=follow_up, title="TV", spokespeople=[person], by=tenant.organiser
        )

    client.force_login(tenant.organiser)
    url = reverse("admin:advocacy_mediarequest_send", args=[follow_up.pk])
    add()
    few = _count(client, url)
    for _ in range(5):
        add()
    assert _count(client, url) == few <= 30


def test_signing_is_rate_limited(client: Any, follow_up: Any, settings: Any) -> None:
    import uuid

    # A client address of its own: the counters live in the cache, which the
    # other test worker shares (and may clear) when it is Redis.
    address = f"test-{uuid.uuid4()}"
    settings.PLENARY_REGISTRATION_CODE_RATE_LIMIT = 2
    sign = reverse("advocacy:affiliate_sign", args=[follow_up.slug])
    statuses = [client.post(sign, {"name": ""}, REMOTE_ADDR=address).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert "Too many attempts" in client.post(sign, {"name": ""}, REMOTE_ADDR=address).content.decode()


def test_viewers_see_no_spokespeople_and_no_affiliate_emails(
    client: Any, tenant: Any, follow_up: Any
) -> None:
    from tests.factories import TeamMembershipFactory, UserFactory

    viewer = UserFactory(username="alpha-viewer@example.org")
    TeamMembershipFactory(team=tenant.team, user=viewer, role="viewer")
    affiliate = AffiliateFactory(assembly=follow_up, email="private@builders.example.org")
    client.force_login(viewer)
    page = client.get(reverse("admin:advocacy_affiliate_change", args=[affiliate.pk]))
    assert page.status_code == 200 and "private@builders.example.org" not in page.content.decode()
    assert client.get(reverse("admin:advocacy_mediarequest_send", args=[follow_up.pk])).status_code == 403
    assert client.get(reverse("admin:advocacy_spokesperson_changelist")).status_code == 403
    client.force_login(tenant.organiser)
    page = client.get(reverse("admin:advocacy_affiliate_change", args=[affiliate.pk]))
    assert "private@builders.example.org" in page.content.decode()


def test_organisers_see_answers_and_reports_in_the_admin(
    client: Any, tenant: Any, follow_up: Any, membership: Member
) -> None:
    spokesperson = services.spokesperson_opt_in(
        member=membership, recommendations=[], media=["tv"], by=tenant.member
    )
    request = services.media_request_send(
        assembly=follow_up, title="TV", spokespeople=[spokesperson], by=tenant.organiser
    )
    affiliate = AffiliateFactory(assembly=follow_up)
    services.affiliate_report(affiliate=affiliate, text="We wrote to every councillor.")
    client.force_login(tenant.organiser)
    body = client.get(reverse("admin:advocacy_mediarequest_change", args=[request.pk])).content.decode()
    assert "Alpha Member" in body and "Waiting for an answer" in body
    body = client.get(reverse("admin:advocacy_affiliate_change", args=[affiliate.pk])).content.decode()
    assert "We wrote to every councillor." in body
