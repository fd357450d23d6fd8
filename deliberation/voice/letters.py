"""Printed letters of an announcement: one page per member it reached by letter
(no email address), each in the member's language."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from ..models import Announcement
from . import selectors


def letters_html(announcement: Announcement) -> str | None:
    """The HTML of the letters (one ``.letter`` page each), or None when nobody needs one."""
    assembly = announcement.assembly
    pages = []
    for recipient in selectors.letter_recipients(announcement):
        with translation.override(recipient.language):
            pages.append(
                render_to_string(
                    "deliberation/voice/letter_page.html",
                    {
                        "assembly_title": assembly.title_in(recipient.language),
                        "member": recipient.member,
                        "subject": announcement.subject_in(recipient.language),
                        "body": announcement.body_in(recipient.language),
                        "sent_at": announcement.sent_at,
                        "contact": assembly.contact_details(),
                        "language": recipient.language,
                    },
                )
            )
    if not pages:
        return None
    return render_to_string("deliberation/voice/letters.html", {"pages": pages})
