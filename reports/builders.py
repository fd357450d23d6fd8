"""Who builds each kind of report: apps above register a builder per kind.

``reports`` sits below every domain app, so it cannot know what a final report
says. An app registers, from its ``AppConfig.ready()``::

    from reports import builders

    builders.register(DocumentKind.FINAL, build_final_report)

A builder takes ``(assembly_id, language, as_of, *, version)`` (``as_of``
may be None: "now"; ``version`` is the number the cover may print) and returns a ``Built``: the
HTML that ``reports.pdf`` lays out, and the same content as data (a JSON
object, and a CSV table). The rendering task calls it inside
``translation.override(language)``, so ``gettext`` and ``{% translate %}``
speak the report's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Built:
    title: str
    html: str
    data: dict[str, Any]  # the JSON file's content (the task adds the document's own fields)
    csv_header: list[str] = field(default_factory=list)
    csv_rows: list[list[Any]] = field(default_factory=list)


Builder = Callable[..., Built]  # (assembly_id: int, language: str, as_of: date | None, *, version: int)

BUILDERS: dict[str, Builder] = {}


def register(kind: str, builder: Builder) -> None:
    BUILDERS[str(kind)] = builder


def builder_for(kind: str) -> Builder | None:
    return BUILDERS.get(str(kind))
