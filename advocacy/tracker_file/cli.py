"""``manage.py tracker``: the whole tracker in one file, both ways.

    python manage.py tracker export <assembly-slug> --output T.csv   (or T.xlsx)
    python manage.py tracker import <assembly-slug> T.csv [--dry-run]  (or T.xlsx)

Every run ends with a line giving the number of changes ("0 changes",
"1 change", "12 changes"). Bad input (an unknown assembly, a missing file,
a bad cell) exits with status 2 and a plain message naming the row and
column; nothing is applied. Never a traceback.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Protocol

from django.db import DatabaseError
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM
from assemblies.models import Assembly

from . import export as exporter
from .columns import recommendations
from .plan import count_line
from .services import tracker_import

FORMATS = (".csv", ".xlsx")


class Stream(Protocol):
    def write(self, text: str, /) -> object: ...


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _Usage(message)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="manage.py tracker", description="Export or import an assembly's tracker.")
    commands = p.add_subparsers(dest="command", required=True)
    out = commands.add_parser("export", help="Write the tracker to a CSV or XLSX file.")
    out.add_argument("slug", help="the assembly's short name, e.g. riverside-housing")
    out.add_argument("--output", "-o", required=True, help="the file to write: T.csv or T.xlsx")
    inp = commands.add_parser("import", help="Apply an edited tracker file (CSV or XLSX).")
    inp.add_argument("slug")
    inp.add_argument("file")
    inp.add_argument("--dry-run", action="store_true", help="list the changes; apply nothing")
    return p


def _fail(stdout: Stream, stderr: Stream, message: str) -> int:
    stderr.write(message + "\n")
    stdout.write(count_line(0) + "\n")
    return 2


def main(argv: list[str], stdout: Stream, stderr: Stream) -> int:
    try:
        args = parser().parse_args(argv)
    except _Usage as exc:
        stderr.write(parser().format_usage())
        return _fail(stdout, stderr, str(exc))
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    assembly = Assembly.objects.filter(slug=args.slug).first()
    if assembly is None:
        return _fail(stdout, stderr, _("No assembly has the short name “%(slug)s”.") % {"slug": args.slug})
    try:
        if args.command == "export":
            return _export(assembly, Path(args.output), stdout, stderr)
        return _import(assembly, Path(args.file), args.dry_run, stdout, stderr)
    except DatabaseError as exc:
        return _fail(stdout, stderr, _("The database refused the change: %(why)s") % {"why": exc})


def assembly_rows(assembly: Assembly) -> int:
    return recommendations(assembly).count()


def _suffix(path: Path, stdout: Stream, stderr: Stream) -> str | None:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        _fail(stdout, stderr, _("The file must end in .csv or .xlsx: %(path)s") % {"path": path})
        return None
    return suffix


def _export(assembly: Assembly, path: Path, stdout: Stream, stderr: Stream) -> int:
    suffix = _suffix(path, stdout, stderr)
    if suffix is None:
        return 2
    content = exporter.export(assembly, suffix[1:])
    try:
        path.write_bytes(content)
    except OSError as exc:
        return _fail(
            stdout, stderr, _("Cannot write %(path)s: %(why)s") % {"path": path, "why": exc.strerror}
        )
    stdout.write(
        _("Wrote %(path)s: %(n)s recommendations.") % {"path": path, "n": assembly_rows(assembly)} + "\n"
    )
    stdout.write(count_line(0) + "\n")
    return 0


def _import(assembly: Assembly, path: Path, dry_run: bool, stdout: Stream, stderr: Stream) -> int:
    if _suffix(path, stdout, stderr) is None:
        return 2
    try:
        handle = path.open("rb")
    except OSError as exc:
        return _fail(stdout, stderr, _("Cannot read %(path)s: %(why)s") % {"path": path, "why": exc.strerror})
    with handle:
        plan = tracker_import(assembly=assembly, file=handle, name=path.name, by=SYSTEM, dry_run=dry_run)
    for warning in plan.warnings:
        stderr.write(_("Warning: %(problem)s") % {"problem": warning} + "\n")
    if not plan.ok:
        for error in plan.errors:
            stderr.write(str(error) + "\n")
        stderr.write(_("Nothing was applied.") + "\n")
        stdout.write(count_line(0) + "\n")
        return 2
    for change in plan.changes:
        stdout.write(str(change) + "\n")
    if dry_run:
        stdout.write(_("Dry run: nothing was applied.") + "\n")
    stdout.write(count_line(len(plan.changes)) + "\n")
    return 0
