"""The people part of the demo (called by ``advocacy.demo`` for Riverside
Housing Assembly): a spokesperson with an accepted media request, affiliates
with their commitments (one has reported), and media items. Idempotent:
spokesperson by member, media requests by (assembly, title), affiliates by
(assembly, name), media items by (assembly, title, outlet)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from advocacy.models import InviteStatus, MediaInvite, MediaRequest, Tactic
from assemblies.actors import SYSTEM
from assemblies.models import Assembly, Member, MemberStatus
from recommendations.models import Recommendation, RecommendationStatus

from . import services

# name → (organisation, sector, website, commitment, [recommendation titles], report or "")
AFFILIATES = {
    "Riverside Builders' Federation": (
        "", "business", "https://builders.riverside.example",
        "Our members will offer land for the community land trust at cost "
        "and build to the warm homes standard.",
        ["Community land trust", "Warm rented homes by 2030"],
        "We offered two plots to the trust and trained 40 site managers in the new standard.",
    ),
    "Riverside Echo": (
        "Riverside Echo", "media", "https://echo.riverside.example",
        "We will publish the council's progress on each recommendation every quarter.",
        ["Publish empty homes by ward", "Cap yearly rent rises"], "",
    ),
    "Citizens Advice Riverside": (
        "", "civil_society", "https://advice.riverside.example",
        "We will staff the tenants' advice service on Saturdays and share what tenants tell us.",
        ["A tenants' advice service"], "",
    ),
    "Cllr Tom Okafor": (
        "Riverside Council", "politics", "",
        "I will table the rent cap at every housing committee until it is adopted in full.",
        ["Cap yearly rent rises"], "",
    ),
}  # fmt: skip

# title → (outlet, days ago, reach, tone, url, [recommendation titles], [tactic titles])
MEDIA_ITEMS = {
    "Residents' assembly calls for a rent cap": (
        "Riverside Echo", 110, 24000, "positive", "https://echo.riverside.example/rent-cap",
        ["Cap yearly rent rises"], [],
    ),
    "Assembly members on the morning show": (
        "Radio Riverside", 44, 15000, "positive", "https://radio.riverside.example/morning",
        ["Cap yearly rent rises", "A tenants' advice service"], ["Members on Radio Riverside"],
    ),
    "Landlords warn the rent cap will shrink supply": (
        "Riverside Echo", 40, 22000, "negative", "https://echo.riverside.example/landlords",
        ["Cap yearly rent rises"], [],
    ),
    "What happened to the land trust?": (
        "Housing Today", 8, 6000, "neutral", "https://housingtoday.example/land-trust",
        ["Community land trust"], ["Question at the council meeting on the land trust"],
    ),
}  # fmt: skip


def seed(assembly: Assembly) -> None:
    recs = {
        r.title: r
        for r in Recommendation.objects.filter(assembly=assembly, status=RecommendationStatus.ADOPTED)
    }
    today = timezone.localdate()
    for name, (organisation, sector, website, commitment, titles, report) in AFFILIATES.items():
        affiliate = services.affiliate_add(
            assembly=assembly,
            name=name,
            organisation=organisation,
            sector=sector,
            website=website,
            email=f"{sector.replace('_', '-')}@affiliates.riverside.example",
            commitment=commitment,
            recommendations=[recs[t] for t in titles if t in recs],
            signed_on=today - dt.timedelta(days=90),
            by=SYSTEM,
        )
        if report and not affiliate.reports.exists():
            services.affiliate_report(affiliate=affiliate, text=report, url=website)
    tactics = {t.title: t for t in Tactic.objects.filter(assembly=assembly)}
    for title, (outlet, days, reach, tone, url, titles, tactic_titles) in MEDIA_ITEMS.items():
        services.media_item_save(
            assembly=assembly,
            title=title,
            outlet=outlet,
            published_on=today - dt.timedelta(days=days),
            reach=reach,
            tone=tone,
            url=url,
            recommendations=[recs[t] for t in titles if t in recs],
            tactics=[tactics[t] for t in tactic_titles if t in tactics],
            by=SYSTEM,
        )
    _spokesperson(assembly, recs)


def _spokesperson(assembly: Assembly, recs: dict[str, Recommendation]) -> None:
    member = Member.objects.filter(assembly=assembly, status=MemberStatus.CONFIRMED).order_by("id").first()
    if member is None:
        return
    spokesperson = services.spokesperson_opt_in(
        member=member,
        recommendations=[
            recs[t] for t in ("Cap yearly rent rises", "A tenants' advice service") if t in recs
        ],
        media=["radio", "events"],
        by=SYSTEM,
    )
    if spokesperson.training_done_on is None:
        services.spokesperson_record_training(
            spokesperson=spokesperson,
            done_on=timezone.localdate() - dt.timedelta(days=60),
            notes="Half-day media training",
            by=SYSTEM,
        )
    title = "Drive-time interview on the rent cap"
    if not MediaRequest.objects.filter(assembly=assembly, title=title).exists():
        request = services.media_request_send(
            assembly=assembly,
            title=title,
            outlet="Radio Riverside",
            medium="radio",
            starts_at=timezone.now() + dt.timedelta(days=5),
            place="Radio Riverside studio, Bridge Street",
            details="Ten minutes live, with a landlord on the phone. The producer calls you the day before.",
            recommendations=[recs[t] for t in ("Cap yearly rent rises",) if t in recs],
            spokespeople=[spokesperson],
            by=SYSTEM,
        )
        MediaInvite.objects.filter(request=request).update(
            status=InviteStatus.ACCEPTED, answered_at=timezone.now()
        )
    title = "Speak at the tenants' union annual meeting"
    if not MediaRequest.objects.filter(assembly=assembly, title=title).exists():
        services.media_request_send(
            assembly=assembly,
            kind="speaking",
            title=title,
            outlet="Riverside Tenants' Union",
            medium="events",
            starts_at=timezone.now() + dt.timedelta(days=20),
            place="Riverside Community Hall",
            details="Five minutes on what the assembly recommends for renters, then questions.",
            recommendations=[recs[t] for t in ("A tenants' advice service",) if t in recs],
            spokespeople=[spokesperson],
            by=SYSTEM,
        )
