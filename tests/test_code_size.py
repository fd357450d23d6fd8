"""Size limits of production code (issue 8).

No production module over 500 lines and no function over 80 lines, outside
migrations, tests and benchmarks. A module that grows past the limit is split
into a package along its workflows (see ``lottery/invitations/services/``); a
function that grows past it gives its steps names of their own.

The walk covers every ``.py`` file under the repository except the virtualenv,
hidden and cache folders, ``benchmarks/``, any ``tests`` folder and any
``migrations`` folder. Lines are physical lines of the file; a function's
length runs from its ``def`` (or first decorator) to its last line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
SKIPPED_FOLDERS = {"tests", "migrations", "benchmarks", "node_modules", "__pycache__"}


def production_files(root: Path = REPO) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts[:-1]
        if any(part.startswith(".") or part in SKIPPED_FOLDERS for part in parts):
            continue
        yield path


def module_too_long(path: Path, source: str) -> str | None:
    lines = len(source.splitlines())
    if lines > MAX_MODULE_LINES:
        return f"{path}: module has {lines} lines (limit {MAX_MODULE_LINES})"
    return None


def functions_too_long(path: Path, source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
        length = (node.end_lineno or node.lineno) - first + 1
        if length > MAX_FUNCTION_LINES:
            found.append(
                f"{path}:{node.lineno}: function {node.name} has {length} lines (limit {MAX_FUNCTION_LINES})"
            )
    return found


def size_violations(root: Path = REPO) -> list[str]:
    violations = []
    for path in production_files(root):
        source = path.read_text(encoding="utf-8")
        relative = path.relative_to(root)
        too_long = module_too_long(relative, source)
        if too_long:
            violations.append(too_long)
        violations.extend(functions_too_long(relative, source))
    return violations


def test_walk_finds_the_production_code_and_skips_the_rest() -> None:
    files = {path.relative_to(REPO).as_posix() for path in production_files()}
    assert "lottery/invitations/services/draw.py" in files
    assert "manage.py" in files
    assert not [name for name in files if name.startswith(("tests/", "benchmarks/", ".venv/"))]
    assert not [name for name in files if "/migrations/" in name]


def test_no_production_module_or_function_over_the_limits() -> None:
    violations = size_violations()
    assert not violations, "Split these (issue 8):\n" + "\n".join(violations)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("x = 1\n" * MAX_MODULE_LINES, []),
        ("x = 1\n" * (MAX_MODULE_LINES + 1), ["module has 501 lines"]),
        ("def f():\n" + "    x = 1\n" * (MAX_FUNCTION_LINES - 1), []),
        ("def f():\n" + "    x = 1\n" * MAX_FUNCTION_LINES, ["function f has 81 lines"]),
        (
            "@staticmethod\n@property\ndef f():\n" + "    x = 1\n" * (MAX_FUNCTION_LINES - 2),
            ["function f has 81 lines"],
        ),
        (
            "class A:\n    async def g(self):\n" + "        x = 1\n" * MAX_FUNCTION_LINES,
            ["function g has 81 lines"],
        ),
    ],
)
def test_the_limits_are_measured_as_stated(tmp_path: Path, body: str, expected: list[str]) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "module.py").write_text(body)
    for skipped in ("tests", "migrations", "benchmarks", ".venv"):
        (tmp_path / skipped).mkdir()
        (tmp_path / skipped / "huge.py").write_text("x = 1\n" * 1000)
    (app / "tests").mkdir()
    (app / "tests" / "huge.py").write_text("x = 1\n" * 1000)

    violations = size_violations(tmp_path)

    assert len(violations) == len(expected)
    for violation, text in zip(violations, expected, strict=True):
        assert violation.startswith("app/module.py")
        assert text in violation
