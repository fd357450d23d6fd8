"""LEXIMIN sortition engine: plain data in, plain data out, no Django.

Typical use::

    problem = SelectionProblem(respondents, quotas, panel_size=30)
    distribution = leximin(problem)
    lottery = round_to_lottery(distribution, m=1000)
    digest = commitment(problem, algorithm="leximin", panels=lottery.panels,
                        randomness_source="national lottery, 6 Dec")
    index, panel = draw(lottery.panels, digest, randomness="12 19 23 31 40 44")
"""

from .api import check_distribution, leximin, marginals
from .legacy import legacy
from .lottery import commitment, draw, draw_index, round_to_lottery, verify
from .model import (
    ENGINE_VERSION,
    Distribution,
    InfeasibleQuotas,
    InvalidInput,
    Lottery,
    Panel,
    Progress,
    Quota,
    Relaxation,
    Respondent,
    SelectionProblem,
    SortitionError,
)
from .solver import SolverFailure

__all__ = [
    "ENGINE_VERSION",
    "Distribution",
    "InfeasibleQuotas",
    "InvalidInput",
    "Lottery",
    "Panel",
    "Progress",
    "Quota",
    "Relaxation",
    "Respondent",
    "SelectionProblem",
    "SolverFailure",
    "SortitionError",
    "check_distribution",
    "commitment",
    "draw",
    "draw_index",
    "legacy",
    "leximin",
    "marginals",
    "round_to_lottery",
    "verify",
]
