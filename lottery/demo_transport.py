"""Demo data: Northshire Transport (recruiting), its pool and its invitation
letters (addresses imported, drawn by region, letters made)."""

from __future__ import annotations

import random

from django.core.files.base import ContentFile
from django.db import transaction

from assemblies.actors import SYSTEM
from assemblies.models import Assembly
from lottery.invitations import services as invitation_services
from lottery.models import (
    Invitation,
    InvitationRound,
    JobStatus,
    LetterBatch,
    RecruitmentSettings,
    Respondent,
)

from .demo_pool import LETTERS, STREETS, _categories, _pool

TOWNS = [
    ("Northshire", "northshire-city"),
    ("Saltby", "coast"),
    ("Marketon", "market-towns"),
    ("Fenwick", "rural"),
]
ROUND_NAME = "Invitation letters"


def _seed_transport() -> None:
    assembly = Assembly.objects.filter(slug="northshire-transport").first()
    if assembly is None:
        return
    with transaction.atomic():
        RecruitmentSettings.objects.get_or_create(
            assembly=assembly, defaults={"panel_size": 60, "reserves": 15}
        )
        features = _categories(assembly, 60)
        if not Respondent.objects.filter(assembly=assembly).exists():
            _pool(assembly, features, 1500, seed=2026, domain="transport.northshire.example")


def _address_file(n: int, seed: int) -> bytes:
    """A print-ready address file (as from a postal address register), seeded."""
    rng = random.Random(seed)
    lines = ["Address1,Address2,Town,Postcode,Region"]
    for i in range(n):
        town, region = rng.choice(TOWNS)
        flat = f"Flat {rng.randint(1, 12)}" if i % 7 == 0 else ""
        postcode = f"NS{rng.randint(1, 9)} {rng.randint(1, 9)}{''.join(rng.choices(LETTERS, k=2))}"
        lines.append(f"{rng.randint(1, 180)} {rng.choice(STREETS)},{flat},{town},{postcode},{region}")
    return ("\n".join(lines) + "\n").encode()


def _seed_transport_letters() -> str | None:
    """Stage 1 for the transport assembly: 2,000 addresses imported, 40 drawn
    by region, their letters made. Returns an unused registration code."""
    assembly = Assembly.objects.filter(slug="northshire-transport").first()
    if assembly is None:
        return None
    round_ = InvitationRound.objects.filter(assembly=assembly).order_by("pk").first()
    if round_ is None:
        round_ = InvitationRound(
            assembly=assembly,
            name=ROUND_NAME,
            region_column="Region",
            address_file=ContentFile(_address_file(2000, seed=11), name="northshire-addresses.csv"),
        )
        with transaction.atomic():
            invitation_services.invitation_round_upload(round=round_, by=SYSTEM)
        # Inline, in case no worker runs; a no-op when the task already did it.
        invitation_services.invitation_round_import_run(round_id=round_.pk)
        round_.refresh_from_db()
    if round_.drawn_at is None and round_.import_status == JobStatus.DONE:
        per_region = {region: 10 for _, region in TOWNS}
        invitation_services.invitation_round_draw(
            round=round_, per_region=per_region, seed="northshire-spring-2026", by=SYSTEM
        )
        round_.refresh_from_db()
    if round_.drawn_at is not None and round_.letters_status == JobStatus.IDLE:
        with transaction.atomic():
            invitation_services.invitation_round_letters_start(round=round_, by=SYSTEM)
        for batch_id in LetterBatch.objects.filter(round=round_).values_list("pk", flat=True):
            invitation_services.letter_batch_render_run(batch_id=batch_id)  # a no-op if done
    return (
        Invitation.objects.filter(round=round_, used_at__isnull=True)
        .order_by("sequence")
        .values_list("code", flat=True)
        .first()
    )
