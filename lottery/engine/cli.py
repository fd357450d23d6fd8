"""Command-line front end of the engine (Django-free; wrapped by ``manage.py sortition``)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any, Protocol

from .api import leximin
from .io import read_categories, read_respondents
from .legacy import legacy
from .lottery import commitment, draw, round_to_lottery
from .model import ENGINE_VERSION, Progress, SelectionProblem, SortitionError

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class Stream(Protocol):
    def write(self, text: str, /) -> object: ...

    def flush(self) -> object: ...


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # never sys.exit from inside the engine
        raise _UsageError(message)


def build_parser(prog: str = "sortition") -> argparse.ArgumentParser:
    parser = _Parser(prog=prog, description="Select a panel by LEXIMIN and a verifiable lottery.")
    parser.add_argument(
        "--categories", required=True, help="quotas CSV (category,feature,min,max or feature,value,min,max)"
    )
    parser.add_argument("--respondents", required=True, help="respondents CSV")
    parser.add_argument("--panel-size", required=True, type=int, help="number of seats k")
    parser.add_argument("--algorithm", choices=["leximin", "legacy"], default="leximin")
    parser.add_argument("--panels", type=int, default=1000, help="m, panels of the uniform lottery")
    parser.add_argument("--randomness", help="the public random string; when given, a panel is drawn")
    parser.add_argument("--randomness-source", default="", help="announced source of the randomness")
    parser.add_argument("--id-column", help="id column of the respondents (default nationbuilder_id)")
    parser.add_argument("--household-column", help="column holding a household/address key")
    parser.add_argument(
        "--time-limit", type=float, help="seconds; after maximin, stop and return what is fixed"
    )
    parser.add_argument(
        "--legacy-runs", type=int, default=1000, help="draws used to estimate legacy probabilities"
    )
    parser.add_argument("--output", required=True, help="where to write the JSON result")
    return parser


def main(argv: list[str], stdout: Stream, stderr: Stream) -> int:
    """Run the command; return the exit status (2: bad input or infeasible quotas)."""
    started = time.monotonic()
    try:
        args = build_parser().parse_args(argv)
    except _UsageError as error:
        stderr.write(f"sortition: error: {error}\n")
        return EXIT_BAD_INPUT
    if args.panels < 1:
        stderr.write("sortition: error: --panels must be at least 1\n")
        return EXIT_BAD_INPUT
    if args.time_limit is not None and args.time_limit <= 0:
        stderr.write("sortition: error: --time-limit must be positive\n")
        return EXIT_BAD_INPUT

    shown = {"level": -1, "at": 0.0}

    def progress(event: Progress) -> None:
        # Every new level, and within a level at most one line a second.
        now = time.monotonic()
        if event.level == shown["level"] and now - shown["at"] < 1.0:
            return
        shown.update(level=event.level, at=now)
        stderr.write(
            f"level {event.level}: {event.fixed}/{event.types} types fixed, "
            f"{event.panels} panels generated, current minimum {event.minimum:.6f}\n"
        )
        stderr.flush()

    try:
        categories = read_categories(args.categories)
        respondents = read_respondents(
            args.respondents,
            categories.quotas,
            format=categories.format,
            id_column=args.id_column,
            household_column=args.household_column,
        )
        problem = SelectionProblem(respondents, categories.quotas, args.panel_size)
        if args.algorithm == "leximin":
            distribution = leximin(problem, time_limit=args.time_limit, progress=progress)
        else:
            distribution = legacy(problem, runs=args.legacy_runs)
    except SortitionError as error:
        stderr.write(f"sortition: error: {error}\n")
        return EXIT_BAD_INPUT

    lottery = round_to_lottery(distribution, args.panels)
    commit = commitment(
        problem,
        algorithm=distribution.algorithm,
        panels=lottery.panels,
        randomness_source=args.randomness_source,
    )
    result: dict[str, Any] = {
        "algorithm": distribution.algorithm,
        "version": ENGINE_VERSION,
        "complete": distribution.complete,
        "method": distribution.method,
        "n": len(respondents),
        "k": args.panel_size,
        "min_probability": distribution.min_probability,
        "probabilities": distribution.probabilities,
        "panels": [{"members": list(p.members), "probability": p.probability} for p in distribution.panels],
        "lottery": {
            "m": lottery.m,
            "panels": [list(p) for p in lottery.panels],
            "commitment": commit,
            "randomness_source": args.randomness_source,
            "max_probability_change": lottery.max_probability_change,
            "min_probability": lottery.min_probability,
        },
    }
    if args.randomness is not None:
        index, selected = draw(lottery.panels, commit, args.randomness)
        result["randomness"] = args.randomness
        result["selected_index"] = index
        result["selected"] = list(selected)
    result["seconds"] = round(time.monotonic() - started, 3)
    try:
        Path(args.output).write_text(
            json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    except OSError as error:
        stderr.write(f"sortition: error: cannot write {args.output}: {error.strerror}\n")
        return EXIT_BAD_INPUT
    if not distribution.complete:
        stderr.write(
            "warning: the time limit was reached; the result fixes "
            f"{distribution.levels} LEXIMIN level(s) and is not fully LEXIMIN-optimal (complete=false).\n"
        )
    stdout.write(
        f"{distribution.algorithm}: n={len(respondents)} k={args.panel_size} "
        f"min probability {distribution.min_probability:.6f}; {len(distribution.panels)} panels "
        f"in the distribution; lottery of {lottery.m} panels, "
        f"max change {lottery.max_probability_change:.6f}; commitment {commit}\n"
    )
    if "selected" in result:
        stdout.write(f"selected panel #{result['selected_index']}: {', '.join(result['selected'])}\n")
    return EXIT_OK
