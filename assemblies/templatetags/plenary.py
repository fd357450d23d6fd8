from __future__ import annotations

from django import template

from assemblies.models import Stage

register = template.Library()


@register.simple_tag
def stage_steps(current: str) -> list[tuple[str, str, str]]:
    """(value, label, state) for each stage; state is done, current or todo."""
    values = list(Stage.values)
    position = values.index(current) if current in values else -1
    return [
        (value, str(label), "done" if i < position else "current" if i == position else "todo")
        for i, (value, label) in enumerate(Stage.choices)
    ]


@register.filter
def as_date(value: object) -> object:
    """A date from an ISO string (emails' contexts are stored as JSON, so their
    dates arrive as text); anything else unchanged. Then ``|date`` formats it
    in the reader's language: ``{{ d|as_date|date:"l j F Y" }}``."""
    import datetime as dt

    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value


@register.filter(name="percent")
def percent_filter(share: float | None) -> str:
    """``{{ run.min_probability|percent }}`` → "2.60 %" (``assemblies.formatting``)."""
    from assemblies.formatting import percent

    return percent(share)
