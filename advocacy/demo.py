"""Advocacy's part of the demo (``registry.demo``, after recommendations').

Riverside Housing Assembly moves to Follow-up: its twelve adopted
recommendations in every state, with a history at past dates (so the
headline over time has a shape):

- responses: accepted, accepted in principle, accepted with changes,
  referred, rejected, and no response yet (one overdue, one not due yet);
- implementation: not started, in progress, implemented, implemented in a
  weaker form (with the enacted text, shown as a diff), abandoned;
- the institutions they are addressed to, members' ratings of the responses,
  tracker notes; stakeholders, tactics, affiliates and media from the power
  and people parts (``advocacy.power.demo.seed``, ``advocacy.people.demo.seed``
  when they exist); a progress report when the reports pipeline is there.

Idempotent: institutions by (assembly, name), recommendations by (assembly,
title), a recommendation with any history is left as it is; ratings by
(response, member). Dates are relative to today.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import random
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.services import ensure_user
from assemblies.actors import SYSTEM
from assemblies.models import Assembly, Member, MemberStatus, Stage
from recommendations.models import Recommendation, RecommendationStatus

from .models import Institution, Rating, Response, ResponseStatus, StatusChange
from .tracking import services as tracking

RIVERSIDE_SLUG = "riverside-housing"  # recommendations.demo.RIVERSIDE_SLUG
SITE = "https://riverside.example"

INSTITUTIONS = {
    "Riverside Council": ("Housing Committee clerk", "housing@riverside.example", f"{SITE}/council"),
    "National government": ("Ministry of Housing", "correspondence@housing.gov.example", "https://housing.gov.example"),
    "The regional housing authority": ("Policy team", "policy@regional-housing.example", "https://regional-housing.example"),
}  # fmt: skip

#: Enacted text of the weaker form (compared word by word with the recommendation).
ENACTED = (
    "Rents on private tenancies should rise by no more than inflation plus two per cent in any year.\n\n"
    "The council will consider asking for the powers to enforce the cap."
)

# title → (response, days ago it came, justification, [(days ago, kind, status, title, enacted?)], note)
# A response with days None has none yet; its due date is then the default one, or +30 days.
PLAN: dict[str, tuple[str, int | None, str, list[tuple[int, str, str, str, bool]], str]] = {
    "Cap yearly rent rises": (
        ResponseStatus.ACCEPTED_WITH_CHANGES, 100,
        "The council will cap rises at inflation plus two per cent, to keep landlords in the market.",
        [(80, "decree", "in_progress", "Rent cap consultation opened", False),
         (20, "decree", "implemented_weaker", "Rent cap bylaw adopted (inflation + 2 %)", True)],
        "Members' spokespeople met the housing committee twice.",
    ),
    "Open-ended tenancies by default": (
        ResponseStatus.REFERRED, 60, "Tenancy law is a national matter: sent to the Ministry of Housing.",
        [], "",
    ),
    "A register of private landlords": (
        ResponseStatus.ACCEPTED, 105, "The council agrees and will fund the register from licence fees.",
        [(70, "programme", "in_progress", "Register procured", False),
         (15, "programme", "implemented", "Landlord register open to the public", False)],
        "",
    ),
    "Build 400 social homes a year": (
        ResponseStatus.ACCEPTED_IN_PRINCIPLE, 90,
        "The council shares the aim; the number depends on the national grant.",
        [(40, "budget", "in_progress", "Budget line for 150 homes this year", False)],
        "Ask at the budget meeting in spring whether the grant came through.",
    ),
    "Homes near transport": (
        ResponseStatus.REJECTED, 85, "Developers cannot be asked to fund bus routes under current rules.",
        [], "",
    ),
    "Community land trust": (
        ResponseStatus.ACCEPTED, 95, "Land at Mill Lane will be offered to a trust.",
        [(60, "programme", "in_progress", "Trust founded; land surveyed", False),
         (10, "other", "abandoned", "Land sold to a developer instead", False)],
        "The trust's founders want to meet the assembly's members.",
    ),
    "Double council tax on long-empty homes": (
        ResponseStatus.ACCEPTED, 110, "Agreed from the next tax year.",
        [(50, "law", "implemented", "Empty homes premium in force", False)],
        "",
    ),
    "Publish empty homes by ward": (
        ResponseStatus.ACCEPTED, 108, "The first figures will be published this year.",
        [(95, "programme", "implemented", "Empty homes by ward published", False)],
        "",
    ),
    "Warm rented homes by 2030": (
        ResponseStatus.NO_RESPONSE, None, "", [], "Overdue: write to the minister.",
    ),
    "No rent rise for retrofit": (
        ResponseStatus.REJECTED, 70, "The government will not restrict rents after energy works.", [], "",
    ),
    "A tenants' advice service": (
        ResponseStatus.ACCEPTED, 100, "Funded for two years, evenings and Saturdays.",
        [(30, "budget", "in_progress", "Advice service tendered", False)],
        "",
    ),
    "Regional housing compact": (ResponseStatus.NO_RESPONSE, None, "", [], ""),
}  # fmt: skip
#: The one recommendation whose response is not due yet.
NOT_DUE_YET = "Regional housing compact"
RATERS = 8


def _ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def _institutions(assembly: Assembly) -> dict[str, Institution]:
    found = {}
    for name, (contact, email, website) in INSTITUTIONS.items():
        institution, _created = Institution.objects.get_or_create(
            assembly=assembly,
            name=name,
            defaults={"contact_name": contact, "contact_email": email, "website": website},
        )
        found[name] = institution
    return found


def _to_follow_up(assembly: Assembly) -> None:
    if assembly.stage == Stage.PUBLISHED:
        Assembly.objects.filter(pk=assembly.pk).update(stage=Stage.FOLLOW_UP, stage_changed_at=timezone.now())
        assembly.stage = Stage.FOLLOW_UP


def _seed_recommendation(rec: Recommendation, institutions: dict[str, Institution]) -> None:
    """One recommendation's response, milestones and note, at past dates."""
    if StatusChange.objects.filter(recommendation=rec).exists():
        return  # seeded before (or changed by someone trying the demo): left as it is
    status, days, justification, milestones, note = PLAN[rec.title]
    institution = institutions.get(rec.addressee)
    data: dict[str, Any] = {"institution": institution}
    if days is not None:
        data |= {
            "status": status,
            "responded_on": _ago(days),
            "justification": justification,
            "source_url": f"{SITE}/responses/{rec.number}.pdf",
        }
    elif rec.title == NOT_DUE_YET:
        data["due_on"] = timezone.localdate() + dt.timedelta(days=30)
    else:  # overdue: due three months after the report, without an answer
        data["due_on"] = tracking.default_due_on(rec.assembly) or _ago(30)
    tracking.response_record(recommendation=rec, data=data, by=SYSTEM, source="system")
    for ago, kind, state, title, weaker in milestones:
        tracking.milestone_add(
            recommendation=rec,
            data={
                "date": _ago(ago),
                "title": title,
                "kind": kind,
                "status": state,
                "evidence_url": f"{SITE}/evidence/{rec.number}-{ago}",
                "enacted_text": ENACTED if weaker else "",
            },
            by=SYSTEM,
            source="system",
        )
    if note:
        tracking.tracking_update(recommendation=rec, notes=note, by=SYSTEM, source="system")


def _raters(assembly: Assembly) -> list[Member]:
    confirmed = Member.objects.filter(assembly=assembly, status=MemberStatus.CONFIRMED)
    members = list(confirmed.order_by("id")[:RATERS])
    for i in range(len(members), RATERS):
        user = ensure_user(email=f"riverside-member-{i + 1}@riverside.example")
        member, _created = Member.objects.get_or_create(
            assembly=assembly,
            user=user,
            defaults={"display_name": f"Riverside member {i + 1}", "status": MemberStatus.CONFIRMED},
        )
        members.append(member)
    return members


def _ratings(assembly: Assembly) -> None:
    rng = random.Random(14)  # the same scores every time
    members = _raters(assembly)
    responses = Response.objects.filter(recommendation__assembly=assembly, is_published=True).exclude(
        status=ResponseStatus.NO_RESPONSE
    )
    # A weak answer gets low marks, a full one high marks.
    centre: dict[str, int] = {
        ResponseStatus.ACCEPTED: 8,
        ResponseStatus.ACCEPTED_IN_PRINCIPLE: 5,
        ResponseStatus.ACCEPTED_WITH_CHANGES: 4,
        ResponseStatus.REFERRED: 3,
        ResponseStatus.REJECTED: 1,
    }
    for response in responses.order_by("recommendation__number"):
        for member in members[: rng.randint(5, len(members))]:
            score = max(0, min(10, centre.get(response.status, 5) + rng.randint(-2, 2)))
            if not Rating.objects.filter(response=response, member=member).exists():
                Rating.objects.create(response=response, member=member, score=score)


def _hook(module: str, assembly: Assembly) -> None:
    """The power and people parts add stakeholders, tactics, affiliates and media."""
    if importlib.util.find_spec(module) is None:
        return  # that part has no demo (yet)
    seed: Callable[[Assembly], Any] = importlib.import_module(module).seed
    with transaction.atomic():
        seed(assembly)


def _progress_report(assembly: Assembly) -> None:
    """A progress report as of the latest due date, or today (when the reports pipeline is there)."""
    try:
        from recommendations.report import services as reports
        from reports.models import Document, DocumentKind
    except ImportError:
        return
    from .progress.schedule import latest_due

    if Document.objects.filter(assembly=assembly, kind=DocumentKind.PROGRESS).exists():
        return
    # As of the latest due date; before the first one (the final report was
    # published recently), as of today.
    due = latest_due(assembly) or timezone.localdate()
    try:
        with transaction.atomic():
            made = reports.report_render(assembly=assembly, kind=DocumentKind.PROGRESS, by=SYSTEM, as_of=due)
        for document in made:  # rendered already when tasks run inline (the laptop demo)
            document.refresh_from_db()
            if getattr(document, "rendered_at", None):
                reports.report_publish(document=document, by=SYSTEM)
    except ValidationError:
        return


def seed_riverside(assembly: Assembly) -> list[Recommendation]:
    _to_follow_up(assembly)
    recommendations = list(
        Recommendation.objects.filter(
            assembly=assembly, status=RecommendationStatus.ADOPTED, title__in=PLAN
        ).order_by("number")
    )
    with transaction.atomic():
        institutions = _institutions(assembly)
        for rec in recommendations:
            _seed_recommendation(rec, institutions)
        _ratings(assembly)
    return recommendations


def load() -> list[str]:
    riverside = Assembly.objects.filter(slug=RIVERSIDE_SLUG).first()
    if riverside is None:
        return []
    seed_riverside(riverside)
    _hook("advocacy.power.demo", riverside)
    _hook("advocacy.people.demo", riverside)
    _progress_report(riverside)
    return []
