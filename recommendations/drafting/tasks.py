"""The comment digest: new comments reach each working group as one email
per person, never one email per comment.

Beat entry (config/settings.py)::

    "recommendations-comment-digest": {
        "task": "recommendations.drafting.tasks.send_comment_digests",
        "schedule": 3600.0,
    }
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from notifications.services import queue_email
from recommendations.models.drafting import Comment, WorkingGroup

from . import selectors

logger = logging.getLogger(__name__)


def _item(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "member_id": comment.member_id,
        "author": str(comment.member),
        "paragraph": comment.paragraph,
        "text": comment.text,
    }


@transaction.atomic
def digest_group(group: WorkingGroup) -> int:
    """Queue this group's digest; returns the number of emails queued."""
    comments = list(selectors.new_comments(group).select_for_update(of=("self",)))
    if not comments:
        return 0
    assembly = group.assembly
    drafts: dict[int, dict[str, Any]] = {}
    for comment in comments:
        recommendation = comment.recommendation
        entry = drafts.setdefault(
            recommendation.pk,
            {
                "number": recommendation.number,
                "title": recommendation.title,
                "url": settings.SITE_URL
                + reverse("portal:recommendations_draft", args=[assembly.slug, recommendation.number]),
                "comments": [],
            },
        )
        entry["comments"].append(_item(comment))
    sent = 0
    for person in selectors.digest_recipients(group):
        # Nobody is told about their own comments.
        items = []
        for entry in drafts.values():
            theirs = [c for c in entry["comments"] if c["member_id"] != person["member_id"]]
            if theirs:
                items.append({**entry, "comments": theirs})
        if not items:
            continue
        member = person["member"]
        language = (
            selectors.member_language(member) if member is not None else (assembly.languages or ["en"])[0]
        )
        with translation.override(language):
            assembly_title = assembly.title_in(language)
        queue_email(
            to=person["email"],
            template="comment_digest",
            language=language,
            assembly=assembly,
            user=person["user"],
            context={
                "assembly_title": assembly_title,
                "group_name": group.name,
                "count": sum(len(item["comments"]) for item in items),
                "drafts": items,
            },
        )
        sent += 1
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(digested_at=timezone.now())
    return sent


@shared_task(name="recommendations.drafting.tasks.send_comment_digests")
def send_comment_digests() -> int:
    """Each working group with new comments gets its digest; returns the emails queued."""
    total = 0
    for group in selectors.groups_with_new_comments().select_related("assembly", "facilitator"):
        total += digest_group(group)
    logger.info("comment digests: %s emails queued", total)
    return total
