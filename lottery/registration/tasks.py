"""The beat job that erases respondents who were not selected.

Beat entry (added to settings by the lead)::

    "erase-expired-respondents": {
        "task": "lottery.registration.tasks.erase_expired_respondents",
        "schedule": crontab(hour=3, minute=17),  # or 3600.0
    }
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.utils import timezone

from assemblies.actors import SYSTEM
from lottery.models import RecruitmentSettings

from . import services

logger = logging.getLogger(__name__)


def assemblies_due_for_erasure(now: dt.datetime | None = None) -> list[int]:
    """Ids of assemblies whose panel has been final for ``retention_days`` and
    whose unselected respondents are still there."""
    now = now or timezone.now()
    due = []
    pending = RecruitmentSettings.objects.filter(
        panel_final_at__isnull=False, unselected_erased_at__isnull=True
    )
    for settings in pending.only("assembly_id", "panel_final_at", "retention_days"):
        assert settings.panel_final_at is not None
        if settings.panel_final_at + dt.timedelta(days=settings.retention_days) <= now:
            due.append(settings.assembly_id)
    return due


@shared_task(acks_late=True)
def run_pool_import(pool_import_id: int) -> None:
    """Check or import a stored pool file (claims its job: safe to run twice)."""
    services.pool_import_run(pool_import_id=pool_import_id)


@shared_task
def erase_expired_respondents() -> int:
    """Idempotent: each assembly is erased once (``unselected_erased_at``);
    returns how many assemblies were erased this time."""
    services.pool_import_files_expire()
    erased = 0
    for assembly_id in assemblies_due_for_erasure():
        erase_unselected_respondents.delay(assembly_id)
        erased += 1
    return erased


@shared_task
def erase_unselected_respondents(assembly_id: int) -> None:
    from assemblies.models import Assembly

    assembly = Assembly.objects.filter(pk=assembly_id).first()
    if assembly is None:
        return
    report = services.erase_unselected(assembly=assembly, by=SYSTEM)
    logger.info(
        "erased unselected respondents of assembly %s: %s respondents, %s emails, %s addresses",
        assembly_id,
        report.respondents,
        report.emails,
        report.addresses,
    )
