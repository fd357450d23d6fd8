"""The power-literacy part of the demo (called by ``advocacy.demo`` for
Riverside Housing Assembly): stakeholders on the power map with their stances,
and tactics of both kinds. Idempotent: stakeholders by (assembly, name),
stances by (stakeholder, recommendation), tactics by (assembly, title)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assemblies.actors import SYSTEM
from assemblies.models import Assembly
from recommendations.models import Recommendation, RecommendationStatus

from . import services

# name → (kind, role, influence, space, level, form, internal notes, {recommendation title: stance})
STAKEHOLDERS = {
    "Riverside Council housing committee": (
        "organisation", "Decides the council's housing policy and budget", 5, "closed", "local", "visible",
        "The chair is retiring in May; the deputy is sympathetic.",
        {"Cap yearly rent rises": "ally", "Community land trust": "opponent",
         "Build 400 social homes a year": "ally", "Double council tax on long-empty homes": "champion"},
    ),
    "Ministry of Housing": (
        "organisation", "Sets tenancy law and the social housing grant", 5, "closed", "national", "visible",
        "",
        {"Open-ended tenancies by default": "neutral", "Warm rented homes by 2030": "opponent",
         "No rent rise for retrofit": "opponent"},
    ),
    "Riverside Landlords' Association": (
        "organisation", "Represents 600 private landlords", 4, "closed", "local", "hidden",
        "Funds two councillors' campaigns; meets the chief executive monthly.",
        {"Cap yearly rent rises": "opponent", "A register of private landlords": "opponent"},
    ),
    "Riverside Tenants' Union": (
        "organisation", "2,000 members, runs a hotline", 2, "claimed", "local", "visible", "",
        {"Cap yearly rent rises": "champion", "A tenants' advice service": "champion",
         "Open-ended tenancies by default": "champion"},
    ),
    "Riverside Echo": (
        "organisation", "The local daily paper and website", 3, "claimed", "local", "invisible",
        "The new editor owns two rental flats.",
        {"Cap yearly rent rises": "neutral", "Publish empty homes by ward": "ally"},
    ),
    "Councillor Amira Haddad": (
        "person", "Opposition housing spokesperson", 3, "invited", "local", "visible", "",
        {"Build 400 social homes a year": "champion", "Homes near transport": "champion"},
    ),
    "Regional Housing Authority": (
        "organisation", "Allocates regional housing funds", 4, "invited", "national", "hidden", "",
        {"Regional housing compact": "unknown", "Build 400 social homes a year": "neutral"},
    ),
    "Green Homes Alliance": (
        "organisation", "National retrofit campaign", 2, "claimed", "global", "invisible", "",
        {"Warm rented homes by 2030": "champion", "No rent rise for retrofit": "champion"},
    ),
}  # fmt: skip

# title → (method, target, [recommendation titles], status, starts days ago, ends in days, outcome)
TACTICS = {
    "Briefing for the housing committee": (
        "briefing", "Riverside Council housing committee", ["Cap yearly rent rises", "Community land trust"],
        "done", 120, -100, "The committee asked for a costed rent cap.",
    ),
    "Submission to the tenancy law review": (
        "submission", "Ministry of Housing", ["Open-ended tenancies by default"], "done", 70, -60,
        "Acknowledged; the review reports in autumn.",
    ),
    "Question at the council meeting on the land trust": (
        "parliamentary_question", "Riverside Council housing committee", ["Community land trust"],
        "done", 30, -30, "The leader said the sale was already agreed.",
    ),
    "Rent cap petition": (
        "petition", "Riverside Council housing committee", ["Cap yearly rent rises"], "under_way", 60, 30,
        "3,400 signatures so far.",
    ),
    "Members on Radio Riverside": (
        "media", "Riverside Echo", ["Cap yearly rent rises", "A tenants' advice service"], "done", 45, -44,
        "Two members on the morning show; 40 calls to the station.",
    ),
    "Warm homes street stalls": (
        "mobilising", "Ministry of Housing", ["Warm rented homes by 2030"], "planned", -14, 60, "",
    ),
}  # fmt: skip


def seed(assembly: Assembly) -> None:
    recs = {
        r.title: r
        for r in Recommendation.objects.filter(assembly=assembly, status=RecommendationStatus.ADOPTED)
    }
    stakeholders = {}
    for name, (kind, role, influence, space, level, form, notes, stances) in STAKEHOLDERS.items():
        stakeholder = stakeholders[name] = services.stakeholder_save(
            assembly=assembly,
            name=name,
            kind=kind,
            role=role,
            influence=influence,
            space=space,
            level=level,
            form=form,
            internal_notes=notes,
            by=SYSTEM,
        )
        for title, stance in stances.items():
            if title in recs:
                services.stance_set(
                    stakeholder=stakeholder, recommendation=recs[title], stance=stance, by=SYSTEM
                )
    today = timezone.localdate()
    for title, (method, target, titles, status, started, ends, outcome) in TACTICS.items():
        services.tactic_save(
            assembly=assembly,
            title=title,
            method=method,
            target=stakeholders.get(target),
            recommendations=[recs[t] for t in titles if t in recs],
            owner_name="Riverside Tenants' Union"
            if method in ("petition", "mobilising")
            else "Assembly team",
            status=status,
            starts_on=today - dt.timedelta(days=started),
            ends_on=today + dt.timedelta(days=ends),
            outcome=outcome,
            by=SYSTEM,
        )
