"""The demo's contact, privacy notice, last day to register and letter
texts (values in ``lottery/demo_texts.py``, written for Riverside) applied
to each demo assembly, in its own council's words."""

from __future__ import annotations

from typing import Any

from assemblies.models import Assembly, Organisation
from lottery.models import RecruitmentSettings

from . import demo_texts
from .demo_timeline import Timeline, day


def _local(value: Any, organisation: Organisation) -> Any:
    """The demo texts (written for Riverside) for the assembly's own council."""
    if isinstance(value, dict):
        return {k: _local(v, organisation) for k, v in value.items()}
    if not isinstance(value, str) or organisation.slug == "riverside":
        return value
    place = organisation.slug.title()
    text = value.replace("Riverside Council", organisation.name).replace("Riverside", place)
    return text.replace("riverside", organisation.slug).replace("RV1 1AA", "NS1 1AA")


def apply_texts(slug: str, *, recruiting: bool, timeline: Timeline | None = None) -> None:
    """Contact, privacy notice, last day to register and letter texts
    (lottery/demo_texts.py): set once, except the last day, which follows
    the calendar. Without a privacy notice registration cannot open."""
    assembly = Assembly.objects.select_related("organisation").filter(slug=slug).first()
    if assembly is None:
        return
    organisation = assembly.organisation
    contact = _local(demo_texts.assembly_contact(organisation.name), organisation)
    Assembly.objects.filter(pk=assembly.pk, contact_email="", contact_phone="").update(**contact)
    texts = _local(demo_texts.recruitment_texts(today=day(0), recruiting=recruiting), organisation)
    closes_on = texts.pop("registration_closes_on")
    if timeline is not None:
        closes_on = day(timeline.registered[1])
    RecruitmentSettings.objects.filter(assembly=assembly, privacy_notice="").update(**texts)
    RecruitmentSettings.objects.filter(assembly=assembly).update(registration_closes_on=closes_on)
