"""The vote chart, the table beside it and the sentence above it say the same
numbers: shares of the votes counted (what the threshold is measured against),
abstentions shown with their count and no share when the ballot leaves them
out, and a threshold line that never runs through a value label."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from recommendations.ballots import charts
from recommendations.ballots.selectors import BallotResult, ballot_result
from recommendations.models import Ballot, BallotKind, BallotStatus, Threshold

SVG = "{http://www.w3.org/2000/svg}"
#: A generous width per character at the chart's 13 px (DejaVu Sans digits are 8.3 px).
CHAR = 8.5


def result_of(
    counts: dict[str, int], *, abstentions_count: bool = False, kind: str = BallotKind.YES_NO
) -> BallotResult:
    ballot = Ballot(
        kind=kind, threshold=Threshold.TWO_THIRDS, abstentions_count=abstentions_count, quorum=0,
        status=BallotStatus.CLOSED, results={"counts": counts},
    )  # fmt: skip
    return ballot_result(ballot)


def svg_of(result: BallotResult) -> ElementTree.Element:
    # Our own output, not untrusted input.
    return ElementTree.fromstring(str(charts.result_chart(result, chart_id="c")))  # noqa: S314


def texts(svg: ElementTree.Element, cls: str) -> list[ElementTree.Element]:
    return [t for t in svg.iter(f"{SVG}text") if t.get("class") == cls]


def table_text(result: BallotResult) -> str:
    html = render_to_string(
        "recommendations/ballots/_result.html",
        {"result": result, "chart": charts.result_chart(result, chart_id="c")},
    )
    table = html[html.index("<table") : html.index("</table>")]
    return " ".join(strip_tags(re.sub(r"</t[hd]>", " | ", table)).split())


def test_yes_30_no_15_abstain_3_reads_67_percent_everywhere() -> None:
    result = result_of({"yes": 30, "no": 15, "abstain": 3})
    svg = svg_of(result)

    assert (result.counted, result.percent, result.adopted) == (45, "67 %", True)
    values = [t.text for t in texts(svg, "result-chart__value")]
    assert values == ["30 (67 %)", "15 (33 %)"]  # the abstentions have no bar, no share
    assert [t.text for t in texts(svg, "result-chart__note")] == ["Abstain: 3, not counted"]
    # The "in favour" bar reaches the threshold line exactly (two thirds of 45 is 30).
    yes_bar = next(svg.iter(f"{SVG}rect"))
    line = next(svg.iter(f"{SVG}line"))
    assert float(yes_bar.get("x", 0)) + float(yes_bar.get("width", 0)) == pytest.approx(
        float(line.get("x1", 0)), abs=0.2
    )
    # The text alternative says the same.
    desc = svg.find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert "67 % in favour of 45 votes counted; 67 % needed; adopted." in desc.text
    assert "Yes: 30 (67 %); No: 15 (33 %)." in desc.text and "Abstain: 3, not counted." in desc.text
    # The table: the same shares, and totals that say which total they are.
    table = table_text(result)
    assert "Yes | 30 | 67 % |" in table and "No | 15 | 33 % |" in table
    assert "Abstain | 3 | not counted |" in table
    assert "Votes counted | 45 | 100 % |" in table and "Abstentions, not counted | 3 |" in table
    assert "Votes cast | 48 |" in table and "Total" not in table


def test_counted_abstentions_are_a_bar_with_their_share() -> None:
    result = result_of({"yes": 30, "no": 15, "abstain": 3}, abstentions_count=True)
    svg = svg_of(result)

    assert result.percent == "62 %"
    assert [t.text for t in texts(svg, "result-chart__value")] == ["30 (62 %)", "15 (31 %)", "3 (6 %)"]
    assert texts(svg, "result-chart__note") == []
    table = table_text(result)
    assert "Votes counted | 48 | 100 % |" in table and "not counted" not in table


@pytest.mark.parametrize(
    "counts",
    [
        {"yes": 14, "no": 35, "abstain": 0},
        {"yes": 48, "no": 0, "abstain": 0},
        {"yes": 0, "no": 0, "abstain": 5},
    ],
)
def test_the_threshold_line_never_crosses_a_value_label(counts: dict[str, int]) -> None:
    for threshold in Threshold.values:
        ballot = Ballot(
            kind=BallotKind.YES_NO,
            threshold=threshold,
            quorum=0,
            status=BallotStatus.CLOSED,
            results={"counts": counts},
        )
        svg = svg_of(ballot_result(ballot))
        line_x = float(next(svg.iter(f"{SVG}line")).get("x1", 0))
        for value in texts(svg, "result-chart__value"):
            assert value.get("text-anchor") == "end"
            left = float(value.get("x", 0)) - CHAR * len(value.text or "")
            assert left > line_x, (value.text, threshold)


def test_a_scale_ballot_shares_the_counted_votes_and_says_its_threshold_in_words() -> None:
    result = result_of({"1": 1, "2": 2, "3": 4, "4": 3, "5": 6}, kind=BallotKind.SCALE)
    svg = svg_of(result)

    assert (result.counted, result.percent) == (12, "75 %")
    assert [t.text for t in texts(svg, "result-chart__value")] == [
        "1 (8 %)",
        "2 (17 %)",
        "3 (25 %)",
        "6 (50 %)",
    ]
    assert [t.text for t in texts(svg, "result-chart__note")] == ["3 – neutral: 4, not counted"]
    assert list(svg.iter(f"{SVG}line")) == []  # "in favour" is two bars: no line across one
    assert [t.text for t in texts(svg, "result-chart__threshold")] == ["threshold 67 %"]
