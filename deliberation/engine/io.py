"""Readers for the command's files (no Django). Errors name the file and the line."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

from .model import InvalidInput, Member, SeatRule


def _rows(path: Path, expected: Sequence[str] | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line, cells) rows; ``expected`` is the exact set of columns, when fixed."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            rows = [(reader.line_num, [cell.strip() for cell in row]) for row in reader]
    except FileNotFoundError:
        raise InvalidInput(f"{path}: file not found.") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InvalidInput(f"{path}: cannot be read ({error}).") from None
    rows = [(n, r) for n, r in rows if any(r)]
    if not rows:
        raise InvalidInput(f"{path}: the file is empty.")
    line, header = rows[0]
    for k, name in enumerate(header):
        if not name:
            raise InvalidInput(f"{path}, line {line}: column {k + 1} has no name.")
        if name in header[:k]:
            raise InvalidInput(f"{path}, line {line}: the column {name!r} appears twice.")
    if expected is not None:
        for name in expected:
            if name not in header:
                raise InvalidInput(f"{path}, line {line}: missing column {name!r}.")
        for name in header:
            if name not in expected:
                raise InvalidInput(
                    f"{path}, line {line}: unknown column {name!r} (expected {', '.join(expected)})."
                )
    for n, row in rows[1:]:
        if len(row) != len(header):
            raise InvalidInput(f"{path}, line {n}: expected {len(header)} columns, found {len(row)}.")
    return header, rows[1:]


def read_members(path: Path | str, mix: Sequence[str] | None) -> tuple[list[Member], list[str]]:
    """Members and the attributes to mix (every column but id when ``mix`` is None)."""
    path = Path(path)
    header, rows = _rows(path)
    if "id" not in header:
        raise InvalidInput(f"{path}, line 1: missing column 'id'.")
    attributes = [h for h in header if h != "id"]
    if mix is None:
        mix = attributes
    for name in mix:
        if name not in attributes:
            raise InvalidInput(f"{path}, line 1: unknown column {name!r} in --mix.")
    if not rows:
        raise InvalidInput(f"{path}: the file has a header but no members.")
    members: list[Member] = []
    seen: dict[str, int] = {}
    where = header.index("id")
    for line, row in rows:
        member = row[where]
        if not member:
            raise InvalidInput(f"{path}, line {line}: the id is empty.")
        if member in seen:
            raise InvalidInput(f"{path}, line {line}: the id {member!r} repeats line {seen[member]}.")
        seen[member] = line
        values = dict(zip(header, row, strict=True))
        del values["id"]
        members.append(Member(member, values))
    return members, list(mix)


def _known(path: Path, line: int, member: str, ids: set[str]) -> str:
    if not member:
        raise InvalidInput(f"{path}, line {line}: the id is empty.")
    if member not in ids:
        raise InvalidInput(f"{path}, line {line}: unknown member id {member!r}.")
    return member


def read_rules(path: Path | str, ids: set[str], *, tables: int, rounds: int) -> list[SeatRule]:
    path = Path(path)
    header, rows = _rows(path, ["id", "tables", "round"])
    col = {name: header.index(name) for name in header}
    rules: list[SeatRule] = []
    seen: dict[tuple[str, int | None], int] = {}
    for line, row in rows:
        member = _known(path, line, row[col["id"]], ids)
        numbers = row[col["tables"]].split()
        if not numbers:
            raise InvalidInput(f"{path}, line {line}: no table listed for {member!r}.")
        allowed = set()
        for text in numbers:
            if not text.isdigit():
                raise InvalidInput(f"{path}, line {line}: {text!r} is not a table number.")
            if not 1 <= int(text) <= tables:
                raise InvalidInput(f"{path}, line {line}: table {text} is out of range 1..{tables}.")
            allowed.add(int(text))
        text = row[col["round"]]
        number = None
        if text:
            if not text.isdigit() or not 1 <= int(text) <= rounds:
                raise InvalidInput(f"{path}, line {line}: round {text!r} is out of range 1..{rounds}.")
            number = int(text)
        if (member, number) in seen:
            raise InvalidInput(
                f"{path}, line {line}: {member!r} already has a rule for "
                f"{'every round' if number is None else f'round {number}'} (line {seen[member, number]})."
            )
        seen[member, number] = line
        rules.append(SeatRule(member, frozenset(allowed), number, f"{path.name}, line {line}"))
    return rules


def read_apart(path: Path | str, ids: set[str]) -> list[tuple[str, str]]:
    path = Path(path)
    header, rows = _rows(path, ["id_a", "id_b"])
    a_col, b_col = header.index("id_a"), header.index("id_b")
    pairs = []
    for line, row in rows:
        a = _known(path, line, row[a_col], ids)
        b = _known(path, line, row[b_col], ids)
        if a == b:
            raise InvalidInput(f"{path}, line {line}: member {a!r} is kept apart from themselves.")
        pairs.append((a, b))
    return pairs


def read_absent(path: Path | str, ids: set[str]) -> frozenset[str]:
    path = Path(path)
    _, rows = _rows(path, ["id"])
    return frozenset(_known(path, line, row[0], ids) for line, row in rows)


def read_kept(path: Path | str, ids: set[str], *, keep: int, tables: int) -> list[list[list[str]]]:
    """Rounds 1..keep of an earlier plan, checked: known ids, one seat each, ``tables`` tables."""
    path = Path(path)
    try:
        plan = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"{path}: file not found.") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{path}, line {error.lineno}: not valid JSON ({error.msg}).") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path}: cannot be read ({error}).") from None
    rounds = plan.get("rounds") if isinstance(plan, dict) else None
    if not isinstance(rounds, list):
        raise InvalidInput(f'{path}: not a plan (no "rounds" list).')
    if len(rounds) < keep:
        raise InvalidInput(f"{path}: the plan has {len(rounds)} rounds; --from-round needs {keep} kept.")
    kept = []
    for r, round_ in enumerate(rounds[:keep], start=1):
        if not isinstance(round_, list) or len(round_) != tables:
            raise InvalidInput(f"{path}, round {r}: expected a list of {tables} tables.")
        seen: set[str] = set()
        for t, table in enumerate(round_, start=1):
            if not isinstance(table, list) or not all(isinstance(m, str) for m in table):
                raise InvalidInput(f"{path}, round {r}, table {t}: expected a list of member ids.")
            for member in table:
                if member not in ids:
                    raise InvalidInput(f"{path}, round {r}, table {t}: unknown member id {member!r}.")
                if member in seen:
                    raise InvalidInput(f"{path}, round {r}, table {t}: {member!r} already sits at a table.")
                seen.add(member)
        kept.append([list(table) for table in round_])
    return kept
