"""Celery discovers tasks here; each part of the lottery keeps its own."""

from __future__ import annotations
