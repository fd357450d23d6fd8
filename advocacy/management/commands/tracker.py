"""``manage.py tracker``: forwards to advocacy.tracker_file.cli (export and import)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from advocacy.tracker_file.cli import main


class Command(BaseCommand):
    help = "Export an assembly's tracker to CSV/XLSX, or import an edited one (with --dry-run)."

    def run_from_argv(self, argv: list[str]) -> None:
        # argv is [manage.py, tracker, ...]: bad input gives exit status 2 and a
        # plain message, never a traceback.
        sys.exit(main(argv[2:], sys.stdout, sys.stderr))

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("args", nargs="*")

    def handle(self, *args: str, **options: Any) -> None:
        # Used by call_command(): the same parser, status kept in SystemExit.
        status = main(list(args), self.stdout, self.stderr)
        if status:
            raise SystemExit(status)
