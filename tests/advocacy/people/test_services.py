"""People who carry it forward: spokespeople and media requests, affiliates
(signed by organisers or online, confirmed by email, reminded once per period),
media items."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from advocacy.models import AffiliateReport, AffiliateStatus, InviteStatus, MediaInvite
from advocacy.people import services
from assemblies.models import AuditEvent, Member
from notifications.models import OutboxMessage
from tests.factories import AffiliateFactory, MemberFactory, TacticFactory, make_adopted

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership(tenant: Any) -> Member:
    return Member.objects.get(assembly=tenant.assembly, user=tenant.member)


def test_member_opts_in_and_changes_their_mind(membership: Member, tenant: Any) -> None:
    rec = make_adopted(tenant.assembly)
    spokesperson = services.spokesperson_opt_in(
        member=membership, recommendations=[rec], media=["radio", "events"], by=tenant.member
    )
    assert spokesperson.media == ["radio", "events"]
    assert list(spokesperson.recommendations.all()) == [rec]
    services.spokesperson_opt_in(
        member=membership, recommendations=[], media=[], is_available=False, by=tenant.member
    )
    spokesperson.refresh_from_db()
    assert not spokesperson.is_available
    assert AuditEvent.objects.filter(action="advocacy.spokesperson_changed").count() == 1


def test_opt_in_refuses_unknown_media_and_other_people(
    membership: Member, tenant: Any, organiser: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.spokesperson_opt_in(
            member=membership, recommendations=[], media=["pigeon"], by=tenant.member
        )
    assert "media" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.spokesperson_opt_in(member=membership, recommendations=[], media=[], by=tenant.member)
    with pytest.raises(PermissionDenied):
        services.spokesperson_opt_in(member=membership, recommendations=[], media=["tv"], by=organiser)


def test_media_request_reaches_chosen_spokespeople_and_they_answer(
    membership: Member, tenant: Any, organiser: Any
) -> None:
    rec = make_adopted(tenant.assembly)
    chosen = services.spokesperson_opt_in(
        member=membership, recommendations=[rec], media=["radio"], by=tenant.member
    )
    other = MemberFactory(assembly=tenant.assembly)
    services.spokesperson_opt_in(member=other, recommendations=[], media=["tv"], by=other.user)

    request = services.media_request_send(
        assembly=tenant.assembly,
        title="Morning show interview",
        outlet="Radio Riverside",
        medium="radio",
        recommendations=[rec],
        spokespeople=[chosen],
        by=organiser,
    )
    assert [i.spokesperson for i in request.invites.all()] == [chosen]
    email = OutboxMessage.objects.get(recipient=tenant.member.email, template="advocacy_request")
    assert "Morning show interview" in email.subject
    assert f"/portal/{tenant.assembly.slug}/media-requests/{request.pk}/" in email.body_text

    invite = MediaInvite.objects.get(request=request)
    with pytest.raises(PermissionDenied):
        services.invite_answer(invite=invite, accept=True, by=other.user)
    services.invite_answer(invite=invite, accept=True, by=tenant.member)
    invite.refresh_from_db()
    assert invite.status == InviteStatus.ACCEPTED and invite.answered_at is not None


def test_media_request_needs_spokespeople_of_this_assembly(
    tenant: Any, other_tenant: Any, organiser: Any
) -> None:
    foreign = MemberFactory(assembly=other_tenant.assembly)
    spokesperson = services.spokesperson_opt_in(
        member=foreign, recommendations=[], media=["tv"], by=foreign.user
    )
    with pytest.raises(ValidationError) as exc:
        services.media_request_send(
            assembly=tenant.assembly, title="X", spokespeople=[spokesperson], by=organiser
        )
    assert "spokespeople" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.media_request_send(assembly=tenant.assembly, title="X", spokespeople=[], by=organiser)


def test_affiliate_signs_online_then_confirms(assembly: Any) -> None:
    rec = make_adopted(assembly)
    affiliate = services.affiliate_sign(
        assembly=assembly,
        name="Riverside Builders",
        email="ceo@builders.example.org",
        commitment="We build every new home to the standard.",
        recommendations=[rec],
        sector="business",
    )
    assert affiliate.status == AffiliateStatus.UNCONFIRMED
    email = OutboxMessage.objects.get(recipient="ceo@builders.example.org")
    assert affiliate.confirm_token in email.body_text
    assert services.affiliate_confirm(assembly=assembly, token="wrong") is None
    confirmed = services.affiliate_confirm(assembly=assembly, token=affiliate.confirm_token)
    assert confirmed is not None and confirmed.status == AffiliateStatus.CONFIRMED and confirmed.report_token


def test_affiliate_sign_says_which_field_is_wrong(assembly: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.affiliate_sign(
            assembly=assembly, name="", email="a@example.org", commitment="", recommendations=[], sector="x"
        )
    assert set(exc.value.message_dict) == {"name", "commitment", "sector", "recommendations"}


def test_reminders_go_once_per_period_through_the_outbox(assembly: Any) -> None:
    assembly.stage = "follow_up"
    assembly.save(update_fields=["stage"])
    due = AffiliateFactory(assembly=assembly, signed_on=dt.date(2026, 1, 1))
    fresh = AffiliateFactory(assembly=assembly, signed_on=timezone.localdate())  # signed today: not yet
    AffiliateFactory(assembly=assembly, signed_on=dt.date(2026, 1, 1), status="withdrawn")
    now = timezone.now()

    assert services.affiliates_remind(now=now) == 1
    assert services.affiliates_remind(now=now + dt.timedelta(days=10)) == 0
    # A period later: the first one again, and the fresh one for the first time.
    assert services.affiliates_remind(now=now + dt.timedelta(days=services.REMINDER_DAYS + 1)) == 2
    emails = OutboxMessage.objects.filter(template="advocacy_request_affiliate_report").order_by("id")
    assert sorted(e.recipient for e in emails) == sorted([due.email, due.email, fresh.email])
    assert due.report_token in emails[0].body_text


def test_no_reminders_before_the_report(assembly: Any) -> None:
    AffiliateFactory(assembly=assembly, signed_on=dt.date(2026, 1, 1))  # assembly still deliberating
    assert services.affiliates_remind() == 0


def test_affiliate_report_needs_text(assembly: Any) -> None:
    affiliate = AffiliateFactory(assembly=assembly)
    with pytest.raises(ValidationError):
        services.affiliate_report(affiliate=affiliate, text="  ")
    services.affiliate_report(affiliate=affiliate, text="We briefed the council.")
    assert AffiliateReport.objects.get(affiliate=affiliate).text == "We briefed the council."


def test_media_item_ties_to_recommendations_and_tactics(
    assembly: Any, other_assembly: Any, organiser: Any
) -> None:
    rec = make_adopted(assembly)
    tactic = TacticFactory(assembly=assembly, method="media")
    item = services.media_item_save(
        assembly=assembly,
        title="Residents want a rent cap",
        outlet="Echo",
        published_on=dt.date(2026, 9, 2),
        reach=12000,
        tone="positive",
        recommendations=[rec],
        tactics=[tactic],
        by=organiser,
    )
    assert list(item.tactics.all()) == [tactic] and list(item.recommendations.all()) == [rec]
    with pytest.raises(ValidationError):
        services.media_item_save(
            assembly=assembly,
            title="Other",
            outlet="Echo",
            published_on=dt.date(2026, 9, 2),
            tactics=[TacticFactory(assembly=other_assembly)],
            by=organiser,
        )
