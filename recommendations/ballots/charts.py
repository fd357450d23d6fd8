"""A ballot's result as a small server-side SVG bar chart (no JavaScript).

The SVG is decorative-plus: it has a <title> and <desc> that say the result in
words, and the page always shows the same figures in a table next to it."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..models import BallotKind
from .selectors import BallotResult, PriorityRow

WIDTH, BAR_HEIGHT, GAP, LABEL_WIDTH = 320, 22, 10, 144  # "1 – strongly against" at 13 px
#: The value labels ("48 (100 %)") sit in a column of their own right of the
#: bars, so the threshold line, drawn over the bars, never runs through one.
VALUE_WIDTH = 82
COLOURS = {"yes": "#1b6e3a", "no": "#a1262b", "abstain": "#5b6470", "4": "#3f8f5a", "5": "#1b6e3a",
           "1": "#a1262b", "2": "#c25a4a", "3": "#5b6470"}  # fmt: skip


def _summary(result: BallotResult) -> str:
    """The chart's text alternative: the same figures as the bars and the note."""
    text = _("%(share)s in favour of %(counted)s votes counted; %(needed)s needed; %(outcome)s.") % {
        "share": result.percent,
        "counted": result.counted,
        "needed": f"{result.threshold_share * 100:.0f} %",
        "outcome": _("adopted") if result.adopted else _("not adopted"),
    }
    bars = "; ".join(f"{o.label}: {o.count} ({o.percent})" for o in result.options if o.counted)
    left_out = [o for o in result.options if not o.counted]
    notes = "".join(
        " " + _("%(label)s: %(count)s, not counted.") % {"label": o.label, "count": o.count} for o in left_out
    )
    return f"{text} {bars}.{notes}"


def result_chart(result: BallotResult, *, chart_id: str) -> SafeString:
    """Bars for the options the threshold is measured against (shares of the
    votes counted, the same as the table and the sentence); an option left out
    of the count (abstentions, unless the ballot counts them) is a note under
    the chart with its count and no share. The threshold line is drawn across
    the "in favour" bar of a yes/no ballot (on the 1-5 scale "in favour" is two
    bars together, so the threshold is only said in words)."""
    bars = [o for o in result.options if o.counted]
    left_out = [o for o in result.options if not o.counted]
    bars_height = len(bars) * (BAR_HEIGHT + GAP)
    height = bars_height + 30 + 18 * len(left_out)
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        format_html(
            '<svg class="result-chart" id="{}" viewBox="0 0 {} {}" width="100%" role="img" font-size="13" '
            'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
            chart_id, WIDTH, height, chart_id, chart_id,
            chart_id, _("Votes by option"), chart_id, _summary(result),
        )
    ]  # fmt: skip
    for i, option in enumerate(bars):
        y = i * (BAR_HEIGHT + GAP)
        width = round(option.share * bar_space, 1)
        parts.append(
            format_html(
                '<text x="0" y="{}" class="result-chart__label">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" text-anchor="end" class="result-chart__value">{} ({})</text>',
                y + BAR_HEIGHT - 6, option.label, LABEL_WIDTH, y, max(width, 1), BAR_HEIGHT,
                COLOURS.get(option.choice, "#2a5d9f"),
                WIDTH, y + BAR_HEIGHT - 6, option.count, option.percent,
            )
        )  # fmt: skip
    threshold = _("threshold %(share)s") % {"share": f"{result.threshold_share * 100:.0f} %"}
    if result.kind == BallotKind.SCALE:
        parts.append(
            format_html(
                '<text x="0" y="{}" class="result-chart__threshold">{}</text>',
                bars_height + 12,
                threshold,
            )
        )
    else:
        # Bars and threshold are both shares of the votes counted: the "in
        # favour" bar reaches the line exactly when the threshold is met.
        line_x = LABEL_WIDTH + round(result.threshold_share * bar_space, 1)
        parts.append(
            format_html(
                '<line x1="{}" y1="0" x2="{}" y2="{}" stroke="#111" stroke-dasharray="4 3"></line>'
                '<text x="{}" y="{}" text-anchor="middle" class="result-chart__threshold">{}</text>',
                line_x, line_x, bars_height, line_x, bars_height + 12, threshold,
            )
        )  # fmt: skip
    for i, option in enumerate(left_out):
        parts.append(
            format_html(
                '<text x="0" y="{}" class="result-chart__note">{}</text>',
                bars_height + 30 + 18 * i,
                _("%(label)s: %(count)s, not counted") % {"label": option.label, "count": option.count},
            )
        )
    parts.append(SafeString("</svg>"))
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
