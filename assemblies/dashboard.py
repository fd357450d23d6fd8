"""Figures other apps add to an assembly's dashboard.

``assemblies`` must not import the apps built on it, so they register a
function here from their ``AppConfig.ready`` (as lottery does for recruitment):
it gets the assembly and returns a titled group of figures, or None when it has
nothing to say about this assembly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .models import Assembly


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | str


@dataclass(frozen=True)
class Section:
    key: str  # for the heading's id
    title: str
    figures: list[Figure]
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)


SectionFunction = Callable[[Assembly], Section | None]
SECTIONS: list[SectionFunction] = []


def register(function: SectionFunction) -> SectionFunction:
    if function not in SECTIONS:
        SECTIONS.append(function)
    return function


def sections_for(assembly: Assembly) -> list[Section]:
    return [section for function in SECTIONS if (section := function(assembly)) is not None]
