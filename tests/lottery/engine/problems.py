"""Small problems for the engine tests."""

from __future__ import annotations

from pathlib import Path

from lottery.engine import Quota, Respondent, SelectionProblem

REPO_ROOT = Path(__file__).resolve().parents[3]
DATA = REPO_ROOT.parent / "shared" / "data" / "sortition"


def problem(
    rows: list[tuple[str, str]],
    quotas: dict[tuple[str, str], tuple[int, int]],
    k: int,
    households: dict[int, str] | None = None,
    seated: tuple[str, ...] = (),
) -> SelectionProblem:
    """Respondent i has features gender=rows[i][0], age=rows[i][1]."""
    households = households or {}
    respondents = [
        Respondent(f"r{i}", {"gender": g, "age": a}, households.get(i)) for i, (g, a) in enumerate(rows)
    ]
    qs = [Quota(c, f, lo, hi) for (c, f), (lo, hi) in quotas.items()]
    return SelectionProblem(respondents, qs, k, seated)


def skewed() -> SelectionProblem:
    """Seven respondents where several leximin levels differ."""
    rows = [
        ("f", "young"),
        ("f", "old"),
        ("f", "old"),
        ("m", "young"),
        ("m", "old"),
        ("m", "old"),
        ("m", "old"),
    ]
    quotas = {
        ("gender", "f"): (1, 2),
        ("gender", "m"): (1, 2),
        ("age", "young"): (1, 1),
        ("age", "old"): (1, 2),
    }
    return problem(rows, quotas, 3, households={4: "h1", 5: "h1"})


def off_relaxation() -> SelectionProblem:
    """Households make the LP relaxation's LEXIMIN point unreachable by valid
    panels here, so the engine has to fall back to column generation."""
    rows = [
        ("f", "old"),
        ("f", "young"),
        ("f", "young"),
        ("m", "young"),
        ("f", "young"),
        ("m", "old"),
        ("m", "old"),
        ("m", "young"),
        ("m", "young"),
    ]
    quotas = {
        ("gender", "f"): (1, 1),
        ("gender", "m"): (1, 2),
        ("age", "young"): (1, 3),
        ("age", "old"): (2, 2),
    }
    return problem(rows, quotas, 3, households={0: "h1", 1: "h0", 3: "h2", 4: "h2", 7: "h1"})
