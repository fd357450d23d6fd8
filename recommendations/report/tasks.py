"""Making a report in the background: one ``jobs.Job`` per version, whose task
takes the document's id (the job's target), claims the job, reports each step
and ends it. Safe to run twice: a version is never rendered twice, and only
the holder of the job's claim stores anything."""

from __future__ import annotations

import contextlib
import logging

from celery import shared_task
from django.utils.translation import gettext as _

from jobs.services import JobSuperseded, job_claim, job_fail, job_finish, job_progress
from reports.models import Document
from reports.services import STEPS, document_render

logger = logging.getLogger(__name__)

RENDER_JOB = "reports.render"


def report_render_run(*, document_id: int) -> None:
    job_id = Document.objects.filter(pk=document_id).values_list("job_id", flat=True).first()
    if job_id is None:
        return
    token = job_claim(job_id)
    if token is None:
        return
    try:

        def progress(done: int, message: str) -> None:
            job_progress(job_id, token, done=done, total=STEPS, message=message)

        document = document_render(document_id=document_id, progress=progress)
        pages = document.pages if document is not None else 0
        job_finish(job_id, token, message=_("%(pages)s pages") % {"pages": pages} if pages else "")
    except JobSuperseded:
        logger.info("Rendering of document %s no longer wanted", document_id)
    except Exception:
        logger.exception("Rendering of document %s failed", document_id)
        with contextlib.suppress(JobSuperseded):
            job_fail(job_id, token, message=_("The report could not be made. Make it again, or tell us."))


@shared_task(acks_late=True)
def render_report(document_id: int) -> None:
    report_render_run(document_id=document_id)
