"""What recommendations put into assemblies' registry (from ``RecommendationsConfig.ready``)."""

from __future__ import annotations

from assemblies.registry import AppUrls, registry


def register() -> None:
    registry.urls(
        AppUrls(
            "recommendations",
            public="recommendations.public_urls",
            site="recommendations.urls",
            portal="recommendations.portal_urls",
        )
    )
    from .ballots.plugin import register as register_deciding

    register_deciding()
    from .drafting.plugin import register as register_drafting

    register_drafting()
    from .report.plugin import register as register_reports

    register_reports()
