"""``manage.py tables``: forwards to the table engine's command line (deliberation.engine.cli)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from deliberation.engine.cli import main


class Command(BaseCommand):
    help = "Seat an assembly's members at tables, round after round (balance, then mixing)."

    def run_from_argv(self, argv: list[str]) -> None:
        # argv is [manage.py, tables, ...]; the engine parses the rest itself so that
        # bad input gives exit status 2 and a plain message, never a traceback.
        sys.exit(main(argv[2:], sys.stdout, sys.stderr))

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("args", nargs="*")

    def handle(self, *args: str, **options: Any) -> None:
        # Used by call_command(): the same parser, status kept in SystemExit.
        status = main(list(args), self.stdout, self.stderr)
        if status:
            raise SystemExit(status)
