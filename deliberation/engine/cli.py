"""Command-line front end (Django-free; wrapped by ``manage.py tables``).

Exit status 0 with the plan written (a warning on stderr when the time limit
stopped the search), 2 for bad input or rules that cannot all hold, with a
plain message naming the file and line.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any, Protocol

from .api import allocate
from .io import read_absent, read_apart, read_kept, read_members, read_rules
from .model import Progress, TableError, TablePlan, TableProblem

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


def build_parser(prog: str = "tables") -> argparse.ArgumentParser:
    parser = _Parser(prog=prog, description="Seat an assembly's members at tables, round after round.")
    parser.add_argument("--members", required=True, help="CSV: an id column and one column per attribute")
    parser.add_argument("--tables", required=True, type=int, help="number of tables")
    parser.add_argument("--rounds", required=True, type=int, help="number of rounds")
    parser.add_argument("--output", required=True, help="where to write the plan (JSON)")
    parser.add_argument("--mix", help="attributes to balance, comma-separated (default: every column but id)")
    parser.add_argument("--fixed", help="CSV id,tables,round: allowed tables (space-separated, 1-based)")
    parser.add_argument("--apart", help="CSV id_a,id_b: pairs who never share a table")
    parser.add_argument("--keep", help="an earlier plan (JSON) whose rounds 1..N-1 are kept")
    parser.add_argument("--from-round", type=int, help="N: the first round to compute again")
    parser.add_argument("--absent", help="CSV id: members not present (from round N on with --keep)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    return parser


def _check_args(args: argparse.Namespace) -> str | None:
    if args.tables < 1:
        return "--tables must be at least 1"
    if args.rounds < 1:
        return "--rounds must be at least 1"
    if args.time_limit <= 0:
        return "--time-limit must be positive"
    if (args.keep is None) != (args.from_round is None):
        return "--keep and --from-round go together"
    if args.from_round is not None and not 1 <= args.from_round <= args.rounds:
        return f"--from-round must be between 1 and --rounds ({args.rounds})"
    return None


def load_problem(args: argparse.Namespace) -> TableProblem:
    mix = [c.strip() for c in args.mix.split(",") if c.strip()] if args.mix else None
    members, mix = read_members(args.members, mix)
    ids = {m.id for m in members}
    rules = read_rules(args.fixed, ids, tables=args.tables, rounds=args.rounds) if args.fixed else []
    apart = read_apart(args.apart, ids) if args.apart else []
    absent = read_absent(args.absent, ids) if args.absent else frozenset()
    kept = []
    if args.keep:
        kept = read_kept(args.keep, ids, keep=args.from_round - 1, tables=args.tables)
    present = len(members) - len(absent)
    if present < args.tables:
        source = args.absent if absent else args.members
        raise TableError(
            f"{source}: {present} members present for {args.tables} tables; every table needs a member."
        )
    return TableProblem(members, args.tables, args.rounds, mix, rules, apart, kept, absent)


def plan_json(plan: TablePlan) -> dict[str, Any]:
    e = plan.explanation
    return {
        "rounds": plan.rounds,
        "repeated_pairs": e.repeated_pairs,
        "repeats": [{"a": r.a, "b": r.b, "times": r.times} for r in e.repeats],
        "out_of_band": e.out_of_band,
        "out_of_band_cells": [
            {
                "round": c.round,
                "table": c.table,
                "attribute": c.attribute,
                "value": c.value,
                "count": c.count,
                "target": c.target,
            }
            for c in e.out_of_band_cells
        ],
        "distinct_met_mean": e.distinct_met_mean,
        "seconds": plan.seconds,
        "seed": plan.seed,
    }


def main(argv: list[str], stdout: Stream, stderr: Stream) -> int:
    """Run the command; return the exit status."""
    try:
        args = build_parser().parse_args(argv)
    except _UsageError as error:
        stderr.write(f"tables: error: {error}\n")
        return EXIT_BAD_INPUT
    problem_text = _check_args(args)
    if problem_text:
        stderr.write(f"tables: error: {problem_text}\n")
        return EXIT_BAD_INPUT
    shown: list[tuple[str, float]] = [("", 0.0)]

    def progress(event: Progress) -> None:
        # every new phase, and within a phase at most one line a second
        now = time.monotonic()
        if event.phase == shown[0][0] and now - shown[0][1] < 1.0:
            return
        shown[0] = (event.phase, now)
        stderr.write(
            f"{event.phase}: {event.seconds:.1f} s, {event.repeated_pairs} repeated pairs, "
            f"{event.out_of_band} cells out of band\n"
        )
        stderr.flush()

    try:
        problem = load_problem(args)
        plan = allocate(problem, seed=args.seed, time_limit=args.time_limit, progress=progress)
    except TableError as error:
        stderr.write(f"tables: error: {error}\n")
        return EXIT_BAD_INPUT
    try:
        Path(args.output).write_text(
            json.dumps(plan_json(plan), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    except OSError as error:
        stderr.write(f"tables: error: cannot write {args.output}: {error.strerror}\n")
        return EXIT_BAD_INPUT
    if not plan.complete:
        stderr.write(
            "warning: the time limit was reached before the search converged; the plan is the best "
            "found and every hard rule holds.\n"
        )
    e = plan.explanation
    stdout.write(
        f"{len(problem.members)} members, {problem.tables} tables, {problem.rounds} rounds: "
        f"{e.repeated_pairs} repeated pairs, {e.out_of_band} cells out of band, "
        f"{e.distinct_met_mean:.1f} distinct people met on average ({plan.seconds:.1f} s); "
        f"plan written to {args.output}\n"
    )
    return EXIT_OK
