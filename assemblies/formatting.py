"""One way to write a share as a percentage, everywhere (screens, public pages,
emails): two decimals and a no-break space, "12.34 %" ("12,34 %" in French: the
decimal mark follows the language, like every other number on the page; the
space never lets a line break between the number and its sign); "—" when
there is none."""

from __future__ import annotations

from django.utils.formats import get_format


def percent(share: float | None) -> str:
    if share is None:
        return "—"
    return f"{100 * share:.2f}".replace(".", str(get_format("DECIMAL_SEPARATOR"))) + "\u00a0%"
