"""Server-made SVG charts in French: coordinates must keep a decimal point.

French formats 10.5 as "10,5"; an SVG attribute such as y1="10,5" is invalid,
the browser drops the shape and the power map (members' portal, organisers'
screen) and the selection-probability chart were drawn empty in French."""

from __future__ import annotations

import re
from types import SimpleNamespace as NS

from django.template.loader import render_to_string
from django.utils import translation

# A numeric SVG attribute written with a decimal comma.
COMMA_NUMBER = re.compile(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|width|height)="-?\d+,\d+"')


def _svg(body: str) -> str:
    return body.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_power_map_coordinates_stay_numbers_in_french() -> None:
    point = NS(
        stance="ally",
        space="invited",
        form="visible",
        number=1,
        name="Council",
        stance_label="Ally",
        influence=4,
        space_label="Invited",
        level_label="Local",
        form_label="Visible",
        shape="circle",
        x=70.5,
        y=42.25,
        colour="#123456",
        diamond="",
        kind_label="",
        role="",
        stances=[],
        internal_notes="",
    )
    power_map = NS(
        width=340,
        height=300,
        recommendation=None,
        rows=[NS(y0=10.0, y=42.5, label="5")],
        plot=NS(left=48, right=330, top=10, bottom=266, unknown_x=322.0),
        columns=[NS(x=101.5, label="Ally", apart=False)],
        points=[point],
        legend_spaces=[],
    )
    with translation.override("fr"):
        body = render_to_string("advocacy/power/_map.html", {"map": power_map, "show_notes": False})
    svg = _svg(body)
    assert not COMMA_NUMBER.search(svg), COMMA_NUMBER.search(svg)
    assert 'y1="10.0"' in svg and 'cx="70.5"' in svg and 'x="101.5"' in svg


def test_selection_chart_coordinates_stay_numbers_in_french() -> None:
    chart = NS(
        width=600,
        height=240,
        baseline_x=312.75,
        minimum_label="1 %",
        baseline_label="4 %",
        top=12,
        bars=[NS(count=3, x=48.5, y=20.25, width=26.4, height=183.75, label="1–2 %")],
        ticks=[(48.5, "0 %", "start")],
    )
    with translation.override("fr"):
        body = render_to_string("lottery/selection/_chart.html", {"chart": chart, "run": NS(pk=1)})
    svg = _svg(body)
    assert not COMMA_NUMBER.search(svg), COMMA_NUMBER.search(svg)
    assert 'x1="312.75"' in svg and 'width="26.4"' in svg
