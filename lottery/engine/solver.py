"""Thin, deterministic wrappers around HiGHS (highspy).

Every model is single-threaded with a fixed random seed so that results do not
depend on the machine or the run. A solve that ends without a clean status is
retried with other options (another LP algorithm, presolve off) before giving up.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import highspy
import numpy as np

INF = highspy.kHighsInf
_STATUS = highspy.HighsModelStatus


class SolverFailure(RuntimeError):
    """HiGHS could not bring a model to a clean status even after retries."""


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    # highspy prints a banner on construction; keep stdout clean for callers.
    with contextlib.redirect_stdout(io.StringIO()):
        yield


_BANNER_SHOWN = False


def _construct() -> highspy.Highs:
    # HiGHS writes a banner to file descriptor 1 the first time; keep stdout clean.
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        return highspy.Highs()
    _BANNER_SHOWN = True
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return h


quiet_run = _quiet


def new_highs(*, mip_gap: float = 1e-9) -> highspy.Highs:
    with _quiet():
        h = _construct()
    for name, value in (
        ("output_flag", False),
        ("log_to_console", False),
        ("threads", 1),
        ("random_seed", 0),
        ("mip_rel_gap", mip_gap),
        ("mip_abs_gap", 1e-10),
        ("primal_feasibility_tolerance", 1e-9),
        ("dual_feasibility_tolerance", 1e-9),
        ("mip_feasibility_tolerance", 1e-9),
    ):
        h.setOptionValue(name, value)
    return h


@dataclass
class Result:
    status: str  # "optimal", "infeasible" or "unbounded"
    objective: float
    x: np.ndarray
    row_dual: np.ndarray


_RETRIES: Sequence[dict[str, bool | float | str | int]] = (
    {},
    {"solver": "simplex", "simplex_strategy": 1},
    {"presolve": "off"},
    {"solver": "ipm", "run_crossover": "on"},
    {"presolve": "off", "solver": "simplex", "simplex_strategy": 4},
)


def solve(h: highspy.Highs) -> Result:
    """Run ``h``; retry with other options until the status is clean."""
    last = None
    for options in _RETRIES:
        for name, value in options.items():
            h.setOptionValue(name, value)
        with _quiet():
            h.run()
        status = h.getModelStatus()
        last = status
        if status == _STATUS.kOptimal:
            sol = h.getSolution()
            return Result(
                "optimal",
                float(h.getInfo().objective_function_value),
                np.asarray(sol.col_value, dtype=float),
                np.asarray(sol.row_dual, dtype=float),
            )
        if status == _STATUS.kInfeasible:
            return Result("infeasible", float("nan"), np.empty(0), np.empty(0))
        if status in (_STATUS.kUnbounded, _STATUS.kUnboundedOrInfeasible) and options:
            # Ambiguous from presolve: the retries decide.
            pass
        h.clearSolver()
    if last == _STATUS.kUnbounded:
        return Result("unbounded", float("nan"), np.empty(0), np.empty(0))
    raise SolverFailure(f"HiGHS ended with status {h.modelStatusToString(h.getModelStatus())}")


def add_rows(
    h: highspy.Highs,
    lower: Sequence[float],
    upper: Sequence[float],
    rows: Sequence[tuple[Sequence[int], Sequence[float]]],
) -> None:
    starts = []
    indices: list[int] = []
    values: list[float] = []
    for idx, val in rows:
        starts.append(len(indices))
        indices.extend(idx)
        values.extend(val)
    h.addRows(
        len(rows),
        np.asarray(lower, dtype=float),
        np.asarray(upper, dtype=float),
        len(indices),
        np.asarray(starts, dtype=np.int32),
        np.asarray(indices, dtype=np.int32),
        np.asarray(values, dtype=float),
    )


def set_integer(h: highspy.Highs, columns: Sequence[int]) -> None:
    if columns:
        h.changeColsIntegrality(
            len(columns),
            np.asarray(columns, dtype=np.int32),
            np.asarray([highspy.HighsVarType.kInteger] * len(columns)),
        )


def set_costs(h: highspy.Highs, costs: Sequence[float] | np.ndarray, offset: int = 0) -> None:
    n = len(costs)
    h.changeColsCost(n, np.arange(offset, offset + n, dtype=np.int32), np.asarray(costs, dtype=float))


def set_time_limit(h: highspy.Highs, seconds: float | None) -> None:
    h.setOptionValue("time_limit", float(seconds) if seconds is not None else INF)


__all__ = ["INF", "Result", "SolverFailure", "add_rows", "new_highs", "set_costs", "set_integer", "solve"]
