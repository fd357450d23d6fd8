"""One rule for counts that leave the organisers' area (public pages, the API).

A group of 1 to SMALL_GROUP - 1 people is never shown as a number, so that
nobody can be singled out by combining figures; an empty group is shown as 0.
Selectors suppress with ``suppress``; templates and strings show the result
with ``shown``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

#: Groups smaller than this are shown as "fewer than 5", never as a number.
SMALL_GROUP = 5


def suppress(count: int) -> int | None:
    """``count``, or None for a small group (1 to SMALL_GROUP - 1)."""
    return None if 0 < count < SMALL_GROUP else count


def shown(count: int | None) -> str:
    """A public count as text: a suppressed count reads "fewer than 5"."""
    if count is None:
        return _("fewer than %(n)s") % {"n": SMALL_GROUP}
    return str(count)


def shown_count(count: int) -> str:
    """Suppress, then show: the text of a raw count on a public page."""
    return shown(suppress(count))
