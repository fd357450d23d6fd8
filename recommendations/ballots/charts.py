"""A ballot's result as a small server-side SVG bar chart (no JavaScript).

The SVG is decorative-plus: it has a <title> and <desc> that say the result in
words, and the page always shows the same figures in a table next to it."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors import BallotResult, PriorityRow

WIDTH, BAR_HEIGHT, GAP, LABEL_WIDTH = 320, 22, 10, 118
COLOURS = {"yes": "#1b6e3a", "no": "#a1262b", "abstain": "#5b6470", "4": "#3f8f5a", "5": "#1b6e3a",
           "1": "#a1262b", "2": "#c25a4a", "3": "#5b6470"}  # fmt: skip


def result_chart(result: BallotResult, *, chart_id: str) -> SafeString:
    rows = len(result.options)
    height = rows * (BAR_HEIGHT + GAP) + 30
    bar_space = WIDTH - LABEL_WIDTH - 84  # room for "48 (100 %)" after the longest bar
    summary = _("%(share)s in favour of %(counted)s votes counted; %(needed)s needed; %(outcome)s.") % {
        "share": result.percent,
        "counted": result.counted,
        "needed": f"{result.threshold_share * 100:.0f} %",
        "outcome": _("adopted") if result.adopted else _("not adopted"),
    }
    parts = [
        format_html(
            '<svg class="result-chart" id="{}" viewBox="0 0 {} {}" width="100%" role="img" '
            'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
            chart_id, WIDTH, height, chart_id, chart_id, chart_id, _("Votes by option"), chart_id, summary,
        )
    ]  # fmt: skip
    for i, option in enumerate(result.options):
        y = i * (BAR_HEIGHT + GAP)
        width = round(option.share * bar_space, 1)
        parts.append(
            format_html(
                '<text x="0" y="{}" class="result-chart__label">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" class="result-chart__value">{} ({})</text>',
                y + BAR_HEIGHT - 6, option.label, LABEL_WIDTH, y, max(width, 1), BAR_HEIGHT,
                COLOURS.get(option.choice, "#2a5d9f"), LABEL_WIDTH + width + 4, y + BAR_HEIGHT - 6,
                option.count, option.percent,
            )
        )  # fmt: skip
    # The threshold as a line across the bars: bars are shares of all votes, the
    # threshold a share of the votes counted, so the line sits where "in favour"
    # must reach (exact when abstentions are left out of the count).
    reach = result.threshold_share * (result.counted / result.votes if result.votes else 1)
    line_x = LABEL_WIDTH + round(reach * bar_space, 1)
    parts.append(
        format_html(
            '<line x1="{}" y1="0" x2="{}" y2="{}" stroke="#111" stroke-dasharray="4 3"></line>'
            '<text x="{}" y="{}" class="result-chart__threshold">{}</text></svg>',
            line_x, line_x, rows * (BAR_HEIGHT + GAP), max(line_x - 60, 0), height - 8,
            _("threshold %(share)s") % {"share": f"{result.threshold_share * 100:.0f} %"},
        )
    )  # fmt: skip
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part is format_html


def priority_chart(rows: list[PriorityRow], *, chart_id: str) -> SafeString:
    height = len(rows) * (BAR_HEIGHT + GAP) + 10
    bar_space = WIDTH - 60
    parts = [
        format_html(
            '<svg class="result-chart" id="{}" viewBox="0 0 {} {}" width="100%" role="img" '
            'aria-labelledby="{}-title" xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>',
            chart_id, WIDTH, height, chart_id, chart_id, _("Points by recommendation, highest first"),
        )
    ]  # fmt: skip
    for i, row in enumerate(rows):
        y = i * (BAR_HEIGHT + GAP)
        width = round(row.share * (bar_space - 40), 1)
        parts.append(
            format_html(
                '<text x="0" y="{}" class="result-chart__label">{}</text>'
                '<rect x="40" y="{}" width="{}" height="{}" fill="#2a5d9f"></rect>'
                '<text x="{}" y="{}" class="result-chart__value">{}</text>',
                y + BAR_HEIGHT - 6, f"#{row.recommendation.number}", y, max(width, 1), BAR_HEIGHT,
                44 + width, y + BAR_HEIGHT - 6, row.points,
            )
        )  # fmt: skip
    parts.append(SafeString("</svg>"))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308


__all__ = ["priority_chart", "result_chart"]
