"""One way to write a share as a percentage, everywhere (screens, public pages,
emails): two decimals and a space, "12.34 %"; "—" when there is none."""

from __future__ import annotations


def percent(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.2f} %"
