"""The kinds of job apps run, registered from their ``AppConfig.ready()``:
a label for the progress display, the task that runs one (by name, so that a
stale job can be published again) and, optionally, a template that explains
its progress in the domain's words (e.g. a LEXIMIN level)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class JobKind:
    kind: str
    label: Any
    task: str  # dotted Celery task name taking the job's domain id
    detail_template: str | None = None


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    KINDS[kind.kind] = kind


def kind_of(name: str) -> JobKind | None:
    return KINDS.get(name)
