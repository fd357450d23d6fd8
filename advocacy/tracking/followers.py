"""Following a recommendation, or a whole assembly, by email: double opt-in
(nothing is sent but the confirmation until the link in it is followed), a
one-click unsubscribe in every email, and a limit per email address on top of
the per-IP limit of the view."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM
from assemblies.audit import audit_record
from assemblies.models import Assembly
from notifications.services import queue_email
from recommendations.models import Recommendation

from ..models import Follower
from .notify import unsubscribe_url

#: Confirmation emails per address and hour (and per IP and hour).
REQUESTS_PER_HOUR = 5
CONFIRM_DAYS = 7


def _over(key: str) -> bool:
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > REQUESTS_PER_HOUR


@transaction.atomic
def follow_request(
    *, assembly: Assembly, recommendation: Recommendation | None, email: str, language: str, ip: str = ""
) -> Follower:
    """Record the wish to follow and send the confirmation link (again, when asked again)."""
    email = email.strip().lower()
    if _over(f"advocacy:follow:email:{email}") or (ip and _over(f"advocacy:follow:ip:{ip}")):
        raise ValidationError(_("Too many requests for this address. Try again in an hour."))
    follower, _created = Follower.objects.get_or_create(
        assembly=assembly, recommendation=recommendation, email=email, defaults={"language": language}
    )
    if follower.confirmed_at is not None and follower.unsubscribed_at is None:
        return follower  # already following: nothing to confirm, nothing said about it
    follower.unsubscribed_at = None
    follower.confirmed_at = None
    follower.language = language
    follower.created_at = timezone.now()  # the confirmation link is valid from the latest request
    follower.save(update_fields=["unsubscribed_at", "confirmed_at", "language", "created_at"])
    site = settings.SITE_URL.rstrip("/")
    queue_email(
        to=email,
        template="advocacy_follow_confirm",
        context={
            "assembly_title": assembly.title,
            "number": recommendation.number if recommendation else None,
            "title": recommendation.title if recommendation else "",
            "url": site + reverse("advocacy:tracker_follow_confirm", args=[follower.token]),
            "unsubscribe_url": unsubscribe_url(follower),
        },
        language=language,
        assembly=assembly,
    )
    audit_record(action="advocacy.follow_requested", by=SYSTEM, assembly=assembly, obj=follower)
    return follower


@transaction.atomic
def follow_confirm(*, token: str) -> Follower | None:
    """Confirm by the link in the email (idempotent); None for an unknown or stale link."""
    follower = Follower.objects.select_for_update().filter(token=token).first()
    if follower is None or follower.unsubscribed_at is not None:
        return None
    if follower.confirmed_at is None:
        if follower.created_at < timezone.now() - dt.timedelta(days=CONFIRM_DAYS):
            return None
        follower.confirmed_at = timezone.now()
        follower.save(update_fields=["confirmed_at"])
        audit_record(action="advocacy.follow_confirmed", by=SYSTEM, assembly=follower.assembly, obj=follower)
    return follower


@transaction.atomic
def unsubscribe(*, follower: Follower) -> None:
    if follower.unsubscribed_at is None:
        follower.unsubscribed_at = timezone.now()
        follower.save(update_fields=["unsubscribed_at"])
        audit_record(action="advocacy.unfollowed", by=SYSTEM, assembly=follower.assembly, obj=follower)
