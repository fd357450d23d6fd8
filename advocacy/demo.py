"""Advocacy's part of the demo (placeholder, filled below)."""

from __future__ import annotations


def load() -> list[str]:
    return []
