"""Emails of the tracker, all through the outbox: followers' confirmation and
news of status changes (once per change), organisers' weekly reminder of each
overdue response (once per response and ISO week)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assemblies.models import Assembly
from notifications.services import queue_email

from ..models import (
    Follower,
    ImplementationStatus,
    Notified,
    Reminder,
    Response,
    ResponseStatus,
    StatusChange,
)
from . import selectors

OVERDUE_REMINDER = "overdue_response"


def _language(assembly: Assembly) -> str:
    return assembly.languages[0] if assembly.languages else settings.LANGUAGE_CODE


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def week_of(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def unsubscribe_url(follower: Follower) -> str:
    return _site(reverse("advocacy:tracker_unsubscribe", args=[follower.token]))


def _label(name: str, value: str) -> str:
    choices: Any = ResponseStatus if name == "response_status" else ImplementationStatus
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _what_changed(change: StatusChange) -> tuple[str | None, str, str]:
    """What followers are told: ("response" or "implementation", old, new
    labels), or None when the public cannot see it (an unpublished response).
    Publishing a response recorded earlier announces it then."""
    response = Response.objects.filter(recommendation_id=change.recommendation_id).first()
    published = response is not None and response.is_published
    if change.field == "implementation_status":
        return "implementation", _label(change.field, change.old), _label(change.field, change.new)
    if change.field == "response_status":
        if not published:
            return None, "", ""
        return "response", _label(change.field, change.old), _label(change.field, change.new)
    if (
        change.new == "yes"
        and published
        and response is not None
        and response.status != ResponseStatus.NO_RESPONSE
    ):
        return (
            "response",
            _label("response_status", ResponseStatus.NO_RESPONSE),
            _label("response_status", response.status),
        )
    return None, "", ""


def announce_changes(change_ids: list[int]) -> int:
    """One email per confirmed follower per change; a change already announced is skipped."""
    sent = 0
    changes = StatusChange.objects.filter(
        pk__in=change_ids, field__in=("response_status", "implementation_status", "response_published")
    ).select_related("recommendation", "recommendation__assembly")
    for change in changes:
        recommendation = change.recommendation
        assembly = recommendation.assembly
        if not selectors.tracker_is_public(assembly):
            continue
        what, old, new = _what_changed(change)
        if what is None:
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    marker = Notified.objects.create(change=change)
            except IntegrityError:
                continue  # already announced
            followers = Follower.objects.filter(
                assembly=assembly, confirmed_at__isnull=False, unsubscribed_at__isnull=True
            ).filter(Q(recommendation__isnull=True) | Q(recommendation=recommendation))
            emails: set[str] = set()
            for follower in followers.order_by("recommendation_id", "id"):
                if follower.email.lower() in emails:
                    continue  # follows both the assembly and this recommendation
                emails.add(follower.email.lower())
                queue_email(
                    to=follower.email,
                    template="advocacy_status_changed",
                    context={
                        "assembly_title": assembly.title,
                        "number": recommendation.number,
                        "title": recommendation.title,
                        "what": what,
                        "old": old,
                        "new": new,
                        "url": _site(reverse("advocacy:tracker", args=[assembly.slug]))
                        + f"#recommendation-{recommendation.number}",
                        "unsubscribe_url": unsubscribe_url(follower),
                    },
                    language=follower.language or _language(assembly),
                    assembly=assembly,
                )
                sent += 1
            marker.recipients = len(emails)
            marker.save(update_fields=["recipients"])
    return sent


def remind_overdue(today: dt.date | None = None) -> int:
    """Remind each assembly's organisers of its overdue responses, once per response and week."""
    today = today or timezone.localdate()
    week = week_of(today)
    from assemblies.models import Assembly as AssemblyModel

    from .services import ensure_responses

    for reported in AssemblyModel.objects.filter(stage__in=selectors.PUBLIC_STAGES):
        ensure_responses(assembly=reported)
    sent = 0
    by_assembly: dict[int, list[Any]] = {}
    for response in selectors.overdue_responses(today=today):
        by_assembly.setdefault(response.recommendation.assembly_id, []).append(response)
    for responses in by_assembly.values():
        assembly = responses[0].recommendation.assembly
        if assembly.stage not in selectors.PUBLIC_STAGES:
            continue
        with transaction.atomic():
            fresh = []
            for response in responses:
                _reminder, created = Reminder.objects.get_or_create(
                    kind=OVERDUE_REMINDER, object_id=response.pk, week=week
                )
                if created:
                    fresh.append(response)
            if not fresh:
                continue
            items = [
                {
                    "number": r.recommendation.number,
                    "title": r.recommendation.title,
                    "due": r.due_on.isoformat() if r.due_on else "",
                    "institution": r.institution.name if r.institution else "",
                }
                for r in fresh
            ]
            url = _site(reverse("admin:advocacy_response_overdue", args=[assembly.pk]))
            for user in selectors.organisers_to_remind(assembly):
                queue_email(
                    to=user.email,
                    template="advocacy_overdue_responses",
                    context={
                        "assembly_title": assembly.title,
                        "items": items,
                        "count": len(items),
                        "url": url,
                    },
                    language=_language(assembly),
                    assembly=assembly,
                    user=user,
                )
                sent += 1
    return sent
