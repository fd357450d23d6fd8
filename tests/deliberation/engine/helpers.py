"""Room builders and the hard-rule checker shared by the engine's tests."""

from __future__ import annotations

from collections import Counter

from deliberation.engine import Member, SeatRule, TablePlan, TableProblem


def room(values: list[tuple[str, ...]], tables: int, rounds: int, **extra) -> TableProblem:
    """Members m0, m1, ... with attributes a0, a1, ... taken from ``values``."""
    width = len(values[0]) if values else 0
    members = [Member(f"m{k}", {f"a{x}": v[x] for x in range(width)}) for k, v in enumerate(values)]
    return TableProblem(members, tables, rounds, [f"a{x}" for x in range(width)], **extra)


def allowed_tables(problem: TableProblem, member: str, round_: int) -> set[int]:
    allowed = set(range(1, problem.tables + 1))
    for rule in problem.rules:
        if rule.member == member and rule.round in (None, round_):
            allowed &= set(rule.tables)
    return allowed


def assert_hard_rules(problem: TableProblem, plan: TablePlan) -> None:
    """Every rule the engine promises, checked on the plan itself."""
    assert len(plan.rounds) == problem.rounds
    kept = len(problem.kept)
    ids = {m.id for m in problem.members}
    for r, tables in enumerate(plan.rounds, start=1):
        assert len(tables) == problem.tables
        if r <= kept:
            assert tables == [list(t) for t in problem.kept[r - 1]]
            continue
        seated = Counter(m for t in tables for m in t)
        assert set(seated) == ids - problem.absent, f"round {r}: not every present member is seated"
        assert max(seated.values()) == 1, f"round {r}: a member sits twice"
        sizes = [len(t) for t in tables]
        assert max(sizes) - min(sizes) <= 1, f"round {r}: sizes {sizes}"
        where = {m: n for n, t in enumerate(tables, start=1) for m in t}
        for m, n in where.items():
            assert n in allowed_tables(problem, m, r), f"round {r}: {m} at table {n}"
        for a, b in problem.apart:
            assert where.get(a) is None or where.get(a) != where.get(b), f"round {r}: {a} with {b}"


def rules(*pins: tuple[str, set[int], int | None]) -> list[SeatRule]:
    return [SeatRule(m, frozenset(t), r) for m, t, r in pins]
