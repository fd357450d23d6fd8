"""The histogram of selection probabilities on the run's screen, as SVG
geometry the template draws (with a table beside it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from assemblies.formatting import percent


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    low: float
    high: float
    count: int
    open_ended: bool = False  # the last bar also counts everyone above ``high``

    @property
    def label(self) -> str:
        if self.open_ended:
            return _("%(low).2f %% or more") % {"low": 100 * self.low}
        return f"{100 * self.low:.2f} – {100 * self.high:.2f} %"


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    baseline_x: float  # k/n
    minimum_x: float
    max_value: float
    top: int
    ticks: list[tuple[float, str, str]]  # x, label, text-anchor
    minimum_label: str = ""
    baseline_label: str = ""


def probability_chart(probabilities: dict[str, float], k: int, *, bins: int = 20) -> Chart | None:
    """A histogram of selection probabilities as SVG geometry (drawn by the template).

    The axis stops at the 95th percentile (or twice k/n, whichever is higher), so
    that a few respondents with a near-certain seat (the only one of their kind
    in the pool) do not squeeze everyone else into one bar; the last bar then
    counts everyone above, and says so."""
    values = list(probabilities.values())
    if not values:
        return None
    n = len(values)
    ordered = sorted(values)
    highest = ordered[-1]
    top_value = min(highest, max(ordered[min(n - 1, int(0.95 * n))], 2 * k / n)) * 1.05 or 1.0
    open_ended = highest >= top_value
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int(v / top_value * bins))] += 1
    width, height, left, bottom, pad_top = 640, 260, 48, 36, 12
    plot_w, plot_h = width - left - 12, height - bottom - pad_top
    top = max(counts) or 1
    bar_w = plot_w / bins
    bars = [
        Bar(
            x=round(left + i * bar_w + 1, 1),
            y=round(pad_top + plot_h - plot_h * c / top, 1),
            width=round(bar_w - 2, 1),
            height=round(plot_h * c / top, 1),
            low=i * top_value / bins,
            high=(i + 1) * top_value / bins,
            count=c,
            open_ended=open_ended and i == bins - 1,
        )
        for i, c in enumerate(counts)
    ]

    def at(p: float) -> float:
        return round(left + plot_w * p / top_value, 1)

    anchors = ["start", "middle", "middle", "middle", "end"]
    ticks = [(at(top_value * t / 4), f"{100 * top_value * t / 4:.1f} %", anchors[t]) for t in range(5)]
    if open_ended:  # the last bar holds everyone above the axis
        x, label, anchor = ticks[-1]
        ticks[-1] = (x, label + "+", anchor)
    return Chart(
        width,
        height,
        bars,
        at(k / n),
        at(min(values)),
        top_value,
        top,
        ticks,
        percent(min(values)),
        percent(k / n),
    )
