from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from assemblies.registry import registry

# Without a worker every task runs inline and Celery logs one line per task
# (hundreds of emails): the person who typed `make run` wants the logins.
QUIET_LOGGERS = ("celery.app.trace", "celery.worker", "kombu.connection")


@contextmanager
def _quiet(names: tuple[str, ...]) -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = "Load the demo organisations, assemblies and people (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        # Each app contributes its part of the demo through the registry, in
        # layer order (assemblies first), so this command never imports them.
        lines: list[str] = []
        with _quiet(QUIET_LOGGERS):
            for part in registry.demo_parts:
                lines += part.load()
        site = settings.SITE_URL
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at " + f"{site}/accounts/login/"))
        if settings.PLENARY_DEMO_MAILBOX:
            self.stdout.write(f"  Read login codes and other emails in the demo mailbox: {site}/dev/mailbox/")
        # The logins last, so that they are what the terminal shows above the server's banner.
        for line in lines:
            self.stdout.write(line)
