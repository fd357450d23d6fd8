"""What deliberation puts into assemblies' registry (from ``DeliberationConfig.ready``):
each part of the app (sessions, evidence, tables, attendance, voice) registers its own."""

from __future__ import annotations

from assemblies.registry import AppUrls, registry


def register() -> None:
    from .attendance.plugin import register as attendance
    from .evidence.plugin import register as evidence
    from .sessions.plugin import register as sessions
    from .tables.plugin import register as tables
    from .voice.plugin import register as voice

    registry.urls(
        AppUrls(
            "deliberation",
            public="deliberation.public_urls",
            site="deliberation.urls",
            portal="deliberation.portal_urls",
        )
    )
    for part in (sessions, evidence, tables, attendance, voice):
        part()
