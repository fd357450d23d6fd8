"""Recompute a published draw: ``python manage.py verify_draw BUNDLE RANDOMNESS``.

Exit 0 when the bundle hashes to its commitment (and prints the panel it
draws); exit 2 with a plain message when the bundle was tampered with.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lottery.selection.bundle import TamperedBundle, verify_bundle

MAX_BUNDLE_BYTES = 100_000_000  # a real bundle is a few MB; stops /dev/zero and the like


class Command(BaseCommand):
    help = "Check a selection bundle against its commitment and reproduce the drawn panel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "bundle", help="the verification bundle (JSON) downloaded from the assembly's page"
        )
        parser.add_argument("randomness", help="the public randomness, exactly as published")
        parser.add_argument(
            "--commitment",
            help="the commitment published on the assembly's page; a bundle rewritten to match a "
            "new hash of its own is caught only by comparing with the published one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with Path(options["bundle"]).open("rb") as handle:
                data = handle.read(MAX_BUNDLE_BYTES + 1)
            if len(data) > MAX_BUNDLE_BYTES:
                raise TamperedBundle(
                    f"The file is larger than {MAX_BUNDLE_BYTES // 1_000_000} MB: not a selection bundle."
                )
            bundle = json.loads(data.decode("utf-8"))
            if not isinstance(bundle, dict):
                raise TamperedBundle("The file is not a selection bundle.")
            result = verify_bundle(bundle, options["randomness"])
        except OSError as error:
            self._fail(f"Cannot read {options['bundle']}: {error.strerror}.")
        except UnicodeDecodeError:
            self._fail("The file is not a selection bundle: it is not UTF-8 text.")
        except json.JSONDecodeError:
            self._fail("The file is not valid JSON.")
        except TamperedBundle as error:
            self._fail(str(error))
        published = (options.get("commitment") or "").strip().lower()
        if published and published != result.commitment:
            self._fail(
                f"The bundle's commitment {result.commitment} is not the published one ({published}): "
                "this is not the bundle of that draw."
            )
        self.stdout.write(f"Commitment OK: {result.commitment}")
        self.stdout.write(
            f"Panel #{result.index} of {len(bundle.get('panels', []))} drawn with {options['randomness']!r}:"
        )
        for pseudonym in result.selected:
            self.stdout.write(f"  {pseudonym}")
        if result.reserves:
            self.stdout.write("Reserves, in order: " + ", ".join(result.reserves))
        if result.agrees_with_published is False:
            self.stdout.write("This randomness does not give the panel recorded in the bundle.")
        elif result.agrees_with_published:
            self.stdout.write("This is the panel recorded in the bundle.")

    def _fail(self, message: str) -> NoReturn:
        raise CommandError(message, returncode=2)
