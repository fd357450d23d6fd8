from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from assemblies.registry import registry


class Command(BaseCommand):
    help = "Load the demo organisations, assemblies and people (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        # Each app contributes its part of the demo through the registry, in
        # layer order (assemblies first), so this command never imports them.
        lines: list[str] = []
        for part in registry.demo_parts:
            lines += part.load()
        site = settings.SITE_URL
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at " + f"{site}/accounts/login/"))
        for line in lines:
            self.stdout.write(line)
        if settings.PLENARY_DEMO_MAILBOX:
            self.stdout.write(f"  Read login codes in the demo mailbox: {site}/dev/mailbox/")
