"""The tracker's background work: followers hear of status changes, organisers
are reminded of overdue responses (once per response and week)."""

from __future__ import annotations

from celery import shared_task

from . import notify


@shared_task(acks_late=True)
def notify_followers(change_ids: list[int]) -> int:
    """Email the confirmed followers of each change (once per change)."""
    return notify.announce_changes(change_ids)


@shared_task(acks_late=True)
def remind_overdue_responses() -> int:
    """Beat: tell the organisers of each overdue response, at most once a week."""
    return notify.remind_overdue()
