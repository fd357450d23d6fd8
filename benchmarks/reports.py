"""The final report: seconds per report with one worker, and two reports at
once in two worker processes.

    .venv/bin/python benchmarks/reports.py [--recommendations 60] [--reports 2]

Builds a synthetic final report of ``--recommendations`` recommendations (each
with a rationale, a closed ballot's result, its SVG chart and table: the real
template, CSS, charts and WeasyPrint, as ``recommendations.report`` renders
one; about 50 pages for 60), then renders ``--reports`` copies first in one
worker process, one after the other, then in two processes at once, and prints
the pages, the wall and CPU seconds per report and the speed-up. The database
is not touched: rendering is the cost measured (the builder's reads are a few
queries). Targets: under 5 s of worker time per report; two workers about
twice as fast as one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import logging

import django

django.setup()
logging.getLogger("weasyprint").setLevel(logging.ERROR)

from django.template.loader import render_to_string  # noqa: E402
from django.utils import timezone  # noqa: E402

from assemblies.models import Assembly, Organisation  # noqa: E402
from recommendations.ballots import charts  # noqa: E402
from recommendations.ballots.selectors import ballot_result  # noqa: E402
from recommendations.models import (  # noqa: E402
    Ballot,
    BallotStatus,
    MinorityStatement,
    Recommendation,
    Threshold,
)
from recommendations.public.selectors import render_text  # noqa: E402
from recommendations.report.selectors import CompositionLine, ReportedRecommendation, Selection  # noqa: E402
from reports.pdf import render_document  # noqa: E402

WORDS = [
    "the", "council", "should", "make", "sure", "that", "every", "tenant", "can", "rely", "on", "a", "secure",
    "home", "at", "a", "fair", "rent", "with", "repairs", "done", "on", "time", "and", "a", "clear", "way",
    "to", "complain", "when", "they", "are", "not",
]  # fmt: skip


def sentence(seed: int, length: int = 28) -> str:
    words = [WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(length)]
    return " ".join(words).capitalize() + "."


def rationale(i: int) -> str:
    """A rationale as assemblies write them: why, in two sentences, and for
    one in four what the members heard, in a second paragraph."""
    why = f"{sentence(i)} {sentence(i + 1)}"
    return f"{why}\n\n{sentence(i * 3, 24)}" if i % 4 == 0 else why


def context(n: int) -> dict[str, Any]:
    assembly = Assembly(
        slug="benchmark", title="Citizens' Assembly on Housing", remit="How can everyone have a secure home?",
        organisation=Organisation(name="Benchmark Council"), languages=["en"],
        starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 6, 30),
    )  # fmt: skip
    recommendations = []
    for i in range(1, n + 1):
        yes, no = 48 - i % 17, i % 17
        ballot = Ballot(
            status=BallotStatus.CLOSED, threshold=Threshold.TWO_THIRDS,
            results={"counts": {"yes": yes, "no": no, "abstain": 1}, "turnout": yes + no + 1,
                     "electorate": 50},
        )  # fmt: skip
        result = ballot_result(ballot)
        text = "\n\n".join(sentence(i * 5 + p) for p in range(1 + (i % 3 == 0)))
        recommendations.append(
            ReportedRecommendation(
                recommendation=Recommendation(number=i, addressee="Benchmark Council"), number=i,
                title=f"Recommendation {i}: {sentence(i, 6)[:-1]}", text_html=render_text(text),
                rationale_html=render_text(rationale(i)),
                result=result,
                chart=charts.result_chart(result, chart_id=f"rec-{i}-chart"),
                statements=[MinorityStatement(text=sentence(i, 60), signed_as="Two members")]
                if i % 10 == 0 else [],
                topics=["Renting"],
            )
        )  # fmt: skip
    now = timezone.now()
    item = SimpleNamespace(speakers=SimpleNamespace(all=lambda: [SimpleNamespace(name="Dr A. Speaker")]))
    sessions = [
        {"session": SimpleNamespace(starts_at=now, venue_name="Civic Centre", get_status_display="Held"),
         "title": f"Weekend {w}", "items": [{"item": item, "title": f"Talk {k}"} for k in range(6)]}
        for w in range(1, 5)
    ]  # fmt: skip
    selection = Selection(
        run=SimpleNamespace(commitment="ab" * 32, randomness="4 1 8", randomness_source="dice", drawn_at=now),  # type: ignore[arg-type]
        pool=420, seats=48, confirmed=46, lowest="8.10 %", equal="11.43 %",
        composition=[CompositionLine("Age", f"Group {g}", "12.5 %", "5–7", "6") for g in range(12)],
    )  # fmt: skip
    return {
        "assembly": assembly, "language": "en", "version": 1, "title": assembly.title,
        "remit": assembly.remit,
        "description": "", "made_on": now.date(), "selection": selection, "sessions": sessions,
        "speakers": [], "recommendations": recommendations, "adopted": n,
        "statements": [(r, s) for r in recommendations for s in r.statements],
        "evidence": [
            SimpleNamespace(title=f"Evidence {e}", url="", get_kind_display="Talk", summary=sentence(e, 40))
            for e in range(40)
        ],
        "document_title": "Benchmark: final report",
    }  # fmt: skip


def render_one(n: int) -> tuple[int, float, float]:
    """One report, as the worker renders it: pages, wall and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    html = render_to_string("recommendations/report/final.html", context(n))
    document = render_document(html)
    document.write_pdf()
    return len(document.pages), time.perf_counter() - wall, time.process_time() - cpu


def run(workers: int, reports: int, n: int) -> tuple[list[tuple[int, float, float]], float]:
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(render_one, [n] * reports)
    return results, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recommendations", type=int, default=60)
    parser.add_argument("--reports", type=int, default=2)
    args = parser.parse_args()
    render_one(2)  # warm up: imports, fonts, templates

    one, one_wall = run(1, args.reports, args.recommendations)
    two, two_wall = run(2, args.reports, args.recommendations)

    pages = one[0][0]
    print(
        f"Final report: {args.recommendations} recommendations, {pages} pages; {args.reports} reports per run"
    )
    print(f"{'workers':>8} {'wall s':>8} {'s/report':>9} {'worker s/report':>16} {'CPU s/report':>13}")
    for workers, results, wall in ((1, one, one_wall), (2, two, two_wall)):
        print(
            f"{workers:>8} {wall:>8.2f} {wall / len(results):>9.2f} "
            f"{statistics.mean(r[1] for r in results):>16.2f} {statistics.mean(r[2] for r in results):>13.2f}"
        )
    print(f"Two workers are {one_wall / two_wall:.2f}x as fast as one (reports per second).")
    print(f"Load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
