"""Workers for stage 1: import an address file, render a batch of letters.

Each round's work is a ``jobs.Job``; see ``lottery.invitations.services``.

Tasks take primary keys and call one service; the services claim their row,
so a task delivered twice (late acks after a crash) does its work once.
"""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def import_addresses(round_id: int) -> None:
    services.invitation_round_import_run(round_id=round_id)


@shared_task(acks_late=True)
def render_letter_batch(batch_id: int) -> None:
    services.letter_batch_render_run(batch_id=batch_id)


@shared_task(acks_late=True)
def resume_letters(round_id: int) -> None:
    """The letters job's task, for ``jobs.tasks.requeue_stale_jobs``: publish
    the round's unfinished batches again."""
    services.invitation_round_letters_resume(round_id=round_id)
