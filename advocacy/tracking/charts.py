"""The headline over time as a server-made SVG (stacked columns, one per date
on which something changed), with a title and a description in words; the
page shows the same figures in a table next to it."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors import Headline

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 320, 180, 28, 34, 8
#: Colours with at least 3:1 contrast against white, told apart by the legend's order too.
COLOURS = {"full": "#1b6e3a", "part": "#6a8f1f", "none": "#a1262b", "no_response": "#5b6470"}
MAX_POINTS = 24


def labels() -> dict[str, str]:
    return {
        "full": _("Implemented in full"),
        "part": _("Implemented in part"),
        "none": _("Not implemented"),
        "no_response": _("No response"),
    }


def headline_chart(series: list[Headline], *, chart_id: str = "headline-chart") -> SafeString:
    points = series[-MAX_POINTS:]
    if not points:
        return mark_safe("")
    total = max((p.total for p in points), default=0) or 1
    last = points[-1]
    summary = _(
        "On %(date)s: %(full)s implemented in full, %(part)s in part, %(none)s not at all, "
        "%(no_response)s without a response."
    ) % {
        "date": date_format(last.as_of, "DATE_FORMAT"),
        "full": last.full,
        "part": last.part,
        "none": last.none,
        "no_response": last.no_response,
    }
    plot_w, plot_h = WIDTH - LEFT - 4, HEIGHT - BOTTOM - TOP
    step = plot_w / len(points)
    bar = max(step * 0.7, 2)
    parts = [
        format_html(
            '<svg class="headline-chart" id="{}" viewBox="0 0 {} {}" width="100%" role="img" '
            'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
            chart_id, WIDTH, HEIGHT, chart_id, chart_id, chart_id,
            _("Recommendations by implementation over time"), chart_id, summary,
        )
    ]  # fmt: skip
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#111"></line>'
            '<text x="0" y="{}" class="headline-chart__axis">{}</text>'
            '<text x="0" y="{}" class="headline-chart__axis">0</text>',
            LEFT, TOP + plot_h, WIDTH - 4, TOP + plot_h, TOP + 10, total, TOP + plot_h,
        )
    )  # fmt: skip
    for i, point in enumerate(points):
        x = round(LEFT + i * step + (step - bar) / 2, 1)
        y = TOP + plot_h
        for key in ("full", "part", "none", "no_response"):
            value = getattr(point, key)
            if not value:
                continue
            height = round(plot_h * value / total, 1)
            y = round(y - height, 1)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} ({})</title></rect>',
                    x, y, round(bar, 1), height, COLOURS[key], labels()[key], value,
                    date_format(point.as_of, "SHORT_DATE_FORMAT"),
                )
            )  # fmt: skip
    first, final = points[0].as_of, points[-1].as_of
    parts.append(
        format_html(
            '<text x="{}" y="{}" class="headline-chart__axis">{}</text>'
            '<text x="{}" y="{}" text-anchor="end" class="headline-chart__axis">{}</text></svg>',
            LEFT, HEIGHT - BOTTOM + 16, date_format(first, "SHORT_DATE_FORMAT"),
            WIDTH - 4, HEIGHT - BOTTOM + 16, date_format(final, "SHORT_DATE_FORMAT"),
        )
    )  # fmt: skip
    return mark_safe("".join(parts))  # noqa: S308 (every part is format_html)
