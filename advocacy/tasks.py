"""Advocacy tasks: each part imports its own here (Celery discovers this module)."""
