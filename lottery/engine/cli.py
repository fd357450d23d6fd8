"""Command-line front end of the engine (Django-free; wrapped by ``manage.py sortition``)."""

from __future__ import annotations

import argparse
import json
import math
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from .api import leximin
from .io import read_categories, read_respondents
from .legacy import legacy
from .lottery import commitment, draw, round_to_lottery
from .model import (
    ENGINE_VERSION,
    Distribution,
    Lottery,
    Progress,
    ProgressCallback,
    SelectionProblem,
    SortitionError,
)

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


MAX_PANELS = 10_000  # the lottery's m panels are all written out: 1,000,000 made 2 GB
MAX_LEGACY_RUNS = 10_000
_ASCII_INTEGER = re.compile(r"[+-]?[0-9]+")
_ASCII_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number in digits 0-9 within [low, high]
    (int() alone would take other scripts' digits and "1_000")."""
    allowed = f"from {low} to {high}" if high is not None else f"of at least {low}"

    def parse(text: str) -> int:
        value = int(text) if _ASCII_INTEGER.fullmatch(text.strip()) else None
        if value is None or value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(
                f"must be a whole number {allowed}, written with the digits 0-9, not {text!r}"
            )
        return value

    return parse


def _seconds(text: str) -> float:
    """An argparse type: a positive, finite number of seconds (not nan or inf)."""
    value = float(text) if _ASCII_DECIMAL.fullmatch(text.strip()) else math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(
            f"must be a positive number of seconds, such as 60 or 0.5, not {text!r} "
            "(leave it out for no limit)"
        )
    return value


def build_parser(prog: str = "sortition") -> argparse.ArgumentParser:
    parser = _Parser(prog=prog, description="Select a panel by LEXIMIN and a verifiable lottery.")
    parser.add_argument(
        "--categories", required=True, help="quotas CSV (category,feature,min,max or feature,value,min,max)"
    )
    parser.add_argument("--respondents", required=True, help="respondents CSV")
    parser.add_argument("--panel-size", required=True, type=_whole_number(1), help="number of seats k")
    parser.add_argument("--algorithm", choices=["leximin", "legacy"], default="leximin")
    parser.add_argument(
        "--panels",
        type=_whole_number(1, MAX_PANELS),
        default=1000,
        help=f"m, panels of the uniform lottery (1 to {MAX_PANELS})",
    )
    parser.add_argument("--randomness", help="the public random string; when given, a panel is drawn")
    parser.add_argument("--randomness-source", default="", help="announced source of the randomness")
    parser.add_argument("--id-column", help="id column of the respondents (default nationbuilder_id)")
    parser.add_argument("--household-column", help="column holding a household/address key")
    parser.add_argument(
        "--time-limit", type=_seconds, help="seconds; after maximin, stop and return what is fixed"
    )
    parser.add_argument(
        "--legacy-runs",
        type=_whole_number(1, MAX_LEGACY_RUNS),
        default=1000,
        help=f"draws used to estimate legacy probabilities (1 to {MAX_LEGACY_RUNS})",
    )
    parser.add_argument("--output", required=True, help="where to write the JSON result")
    return parser


def main(argv: list[str], stdout: Stream, stderr: Stream) -> int:
    """Run the command; return the exit status (2: bad input or infeasible quotas)."""
    started = time.monotonic()
    try:
        args = build_parser().parse_args(argv)
        problem = _read_problem(args)
        distribution = _distribution(args, problem, _progress_printer(stderr))
    except (_UsageError, SortitionError) as error:
        stderr.write(f"sortition: error: {error}\n")
        return EXIT_BAD_INPUT
    result, lottery = _result(args, problem, distribution)
    result["seconds"] = round(time.monotonic() - started, 3)
    try:
        Path(args.output).write_text(
            json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    except OSError as error:
        stderr.write(f"sortition: error: cannot write {args.output}: {error.strerror}\n")
        return EXIT_BAD_INPUT
    _summarise(result, distribution, lottery, stdout, stderr)
    return EXIT_OK


def _progress_printer(stderr: Stream) -> ProgressCallback:
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

    return progress


def _read_problem(args: argparse.Namespace) -> SelectionProblem:
    categories = read_categories(args.categories)
    respondents = read_respondents(
        args.respondents,
        categories.quotas,
        format=categories.format,
        id_column=args.id_column,
        household_column=args.household_column,
    )
    return SelectionProblem(respondents, categories.quotas, args.panel_size)


def _distribution(
    args: argparse.Namespace, problem: SelectionProblem, progress: ProgressCallback
) -> Distribution:
    if args.algorithm == "leximin":
        return leximin(problem, time_limit=args.time_limit, progress=progress)
    return legacy(problem, runs=args.legacy_runs)


def _result(
    args: argparse.Namespace, problem: SelectionProblem, distribution: Distribution
) -> tuple[dict[str, Any], Lottery]:
    """The output JSON (without ``seconds``): the distribution, its lottery
    with the commitment, and the drawn panel when randomness was given."""
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
        "n": len(problem.respondents),
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
    return result, lottery


def _summarise(
    result: dict[str, Any], distribution: Distribution, lottery: Lottery, stdout: Stream, stderr: Stream
) -> None:
    if not distribution.complete:
        stderr.write(
            "warning: the time limit was reached; the result fixes "
            f"{distribution.levels} LEXIMIN level(s) and is not fully LEXIMIN-optimal (complete=false).\n"
        )
    stdout.write(
        f"{distribution.algorithm}: n={result['n']} k={result['k']} "
        f"min probability {distribution.min_probability:.6f}; {len(distribution.panels)} panels "
        f"in the distribution; lottery of {lottery.m} panels, "
        f"max change {lottery.max_probability_change:.6f}; commitment {result['lottery']['commitment']}\n"
    )
    if "selected" in result:
        stdout.write(f"selected panel #{result['selected_index']}: {', '.join(result['selected'])}\n")
