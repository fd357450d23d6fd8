"""``manage.py sortition``: forwards to the engine's command line (lottery.engine.cli)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from lottery.engine.cli import main


class Command(BaseCommand):
    help = "Compute a LEXIMIN panel distribution, its transparent lottery and (optionally) draw."

    def run_from_argv(self, argv: list[str]) -> None:
        # argv is [manage.py, sortition, ...]; the engine parses the rest itself
        # so that bad input gives exit status 2 and a plain message.
        sys.exit(main(argv[2:], sys.stdout, sys.stderr))

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("args", nargs="*")

    def handle(self, *args: str, **options: Any) -> None:
        # Used by call_command(): the same parser, status kept in SystemExit.
        status = main(list(args), self.stdout, self.stderr)
        if status:
            raise SystemExit(status)
