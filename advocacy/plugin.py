"""What advocacy puts into assemblies' registry (from ``AdvocacyConfig.ready``)."""

from __future__ import annotations

from assemblies.registry import AppUrls, DemoPart, registry


def register() -> None:
    registry.urls(
        AppUrls(
            "advocacy", public="advocacy.public_urls", site="advocacy.urls", portal="advocacy.portal_urls"
        )
    )
    from .tracking.plugin import register as register_tracking

    register_tracking()
    from .tracker_file.plugin import register as register_tracker_file

    register_tracker_file()
    from .progress.plugin import register as register_progress

    register_progress()
    registry.demo(DemoPart("advocacy", _load_demo, order=50))
    from .people.plugin import register as register_people
    from .power.plugin import register as register_power

    register_power()
    register_people()


def _load_demo() -> list[str]:
    from .demo import load

    return load()
