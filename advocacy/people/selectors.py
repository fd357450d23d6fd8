"""Reads of the people part (public pages read only public fields: no
affiliate email, no internal notes)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from advocacy.models import (
    Affiliate,
    AffiliateReport,
    AffiliateStatus,
    InviteStatus,
    MediaInvite,
    MediaItem,
    MediaRequest,
    Spokesperson,
)
from assemblies.models import Assembly, Member, MemberStatus
from recommendations.models import Recommendation

_RECS = Prefetch(
    "recommendations", queryset=Recommendation.objects.order_by("number").only("id", "number", "title")
)


def public_affiliates(assembly: Assembly) -> QuerySet[Affiliate]:
    reports = AffiliateReport.objects.filter(is_public=True).only(
        "id", "affiliate_id", "text", "url", "created_at"
    )
    return (
        Affiliate.objects.filter(assembly=assembly, status=AffiliateStatus.CONFIRMED)
        .only("id", "assembly_id", "name", "organisation", "sector", "website", "commitment", "signed_on")
        .prefetch_related(_RECS, Prefetch("reports", queryset=reports, to_attr="public_reports"))
        .order_by("name", "id")
    )


def public_news(assembly: Assembly) -> QuerySet[MediaItem]:
    return (
        MediaItem.objects.filter(assembly=assembly, is_public=True)
        .only("id", "assembly_id", "title", "url", "outlet", "published_on", "reach", "tone")
        .prefetch_related(_RECS)
        .order_by("-published_on", "-id")
    )


def news_summary(assembly: Assembly) -> dict[str, int]:
    """Public figures: how many items, their total known reach, and by tone."""
    return MediaItem.objects.filter(assembly=assembly, is_public=True).aggregate(
        items=Count("id"),
        reach=Sum("reach", default=0),
        positive=Count("id", filter=Q(tone="positive")),
        neutral=Count("id", filter=Q(tone="neutral")),
        negative=Count("id", filter=Q(tone="negative")),
    )


def spokesperson_of(member: Member) -> Spokesperson | None:
    return Spokesperson.objects.filter(member=member).prefetch_related(_RECS).first()


def member_invites(member: Member) -> QuerySet[MediaInvite]:
    return (
        MediaInvite.objects.filter(spokesperson__member=member)
        .select_related("request")
        .order_by("-request__created_at", "-id")
    )


def available_spokespeople(assembly: Assembly) -> QuerySet[Spokesperson]:
    return (
        Spokesperson.objects.filter(
            member__assembly=assembly, is_available=True, member__status=MemberStatus.CONFIRMED
        )
        .select_related("member")
        .prefetch_related(_RECS)
        .order_by("member__display_name", "id")
    )


def organiser_requests(assembly: Assembly) -> QuerySet[MediaRequest]:
    invites = MediaInvite.objects.select_related("spokesperson__member").order_by("id")
    return (
        MediaRequest.objects.filter(assembly=assembly)
        .prefetch_related(Prefetch("invites", queryset=invites), _RECS)
        .order_by("-created_at", "-id")
    )


def pending_count(member: Member) -> int:
    return MediaInvite.objects.filter(spokesperson__member=member, status=InviteStatus.PENDING).count()
