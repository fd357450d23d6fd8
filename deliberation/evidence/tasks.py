"""Background tasks of this part (imported by deliberation.tasks for Celery)."""
