"""Audit details in plain words for organisers (``AuditEvent.details_text``).

Events store their details as JSON written by code; organisers read them in
the audit log and on the dashboard. Dictionaries, lists and booleans are
written out as words ("coast 10, rural 10"; "P-0012, P-0031 and 28 more"),
never as Python's reprs ("{'coast': 10}", "['P-0012', ...]").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: A list longer than this shows its first items and "and N more".
LIST_ITEMS_SHOWN = 5


def _label(key: str) -> str:
    """``rows_imported`` → "rows imported"."""
    return str(key).replace("_", " ").replace("-", " ").strip()


def value_text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return number_format(value, force_grouping=True)
    if isinstance(value, Mapping):
        if not value:
            return "—"
        return ", ".join(f"{_label(k)} {value_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set):
        items = [value_text(v) for v in value]
        if not items:
            return _("none")
        if len(items) > LIST_ITEMS_SHOWN + 1:
            rest = len(items) - LIST_ITEMS_SHOWN
            more = ngettext("and %(count)d more", "and %(count)d more", rest) % {"count": rest}
            return ", ".join(items[:LIST_ITEMS_SHOWN]) + " " + more
        return ", ".join(items)
    return str(value)


def details_text(data: Mapping[str, Any]) -> str:
    """ "rows imported: 1,500; per region: coast 10, rural 10" (keys in a stable order)."""
    return "; ".join(f"{_label(key)}: {value_text(value)}" for key, value in sorted(data.items()))
