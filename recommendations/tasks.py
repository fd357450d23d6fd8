"""Recommendations' tasks: each part keeps its own module, imported here so
that Celery's autodiscovery (which looks for ``<app>.tasks``) finds them."""

from .ballots.tasks import open_and_close_ballots  # noqa: F401
from .drafting.tasks import send_comment_digests  # noqa: F401
from .report.tasks import render_report  # noqa: F401
