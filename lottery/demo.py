"""Demo data for recruitment and selection (called from the demo seed).

``seed_lottery_demo()`` is idempotent: it looks everything up by natural key
and creates a pool only for an assembly that has none. It gives every
selection screen something to show:

- Northshire Transport Assembly (recruiting): 60 seats, five categories with
  census shares and proposed quotas, ~1,500 respondents whose answers lean the
  way real registrations do (older, more degree-educated, slightly more women).
- Northshire Housing Assembly (created here, public): a pool of 300, a panel of
  30 computed by LEXIMIN at seed time, committed, drawn with public dice, with
  reserves, confirmations, a decline and its replacement draw.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import random
import time
import unicodedata
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from assemblies.actors import SYSTEM
from assemblies.demo import FIRST_NAMES, LAST_NAMES, ORGANISER_EMAIL
from assemblies.models import Assembly, Organisation, Stage
from lottery.invitations import services as invitation_services
from lottery.models import (
    Answer,
    Category,
    DrawStatus,
    Feature,
    Invitation,
    InvitationRound,
    JobStatus,
    LetterBatch,
    RecruitmentSettings,
    Respondent,
    RespondentSource,
    RespondentStatus,
    RunKind,
    SelectionRun,
)
from lottery.selection import services

logger = logging.getLogger(__name__)

# name, question, [(value, answer, census share %, self-selection factor)]
CATEGORIES: list[tuple[str, str, list[tuple[str, str, float, float]]]] = [
    ("gender", "Which of these describes you?", [
        ("female", "Woman", 50.6, 1.12),
        ("male", "Man", 48.6, 0.9),
        ("non-binary", "Non-binary or another identity", 0.8, 1.0),
    ]),
    ("age", "How old are you?", [
        ("16-29", "16 to 29", 20.0, 0.6),
        ("30-44", "30 to 44", 23.0, 0.9),
        ("45-64", "45 to 64", 33.0, 1.15),
        ("65-plus", "65 or over", 24.0, 1.3),
    ]),
    ("area", "Where in Northshire do you live?", [
        ("northshire-city", "Northshire city", 38.0, 1.1),
        ("coast", "The coast", 22.0, 0.95),
        ("market-towns", "Market towns", 24.0, 1.0),
        ("rural", "Villages and countryside", 16.0, 0.85),
    ]),
    ("education", "What is your highest qualification?", [
        ("none-gcse", "None, or GCSEs", 36.0, 0.6),
        ("a-level", "A levels or vocational", 30.0, 1.0),
        ("degree", "Degree or above", 34.0, 1.5),
    ]),
    ("car", "Does your household have a car or van?", [
        ("car", "Yes", 76.0, 1.05), ("no-car", "No", 24.0, 0.85),
    ]),
]  # fmt: skip

# name -> (French question, {value: French answer}): the Transport Assembly works in English and French.
FRENCH: dict[str, tuple[str, dict[str, str]]] = {
    "gender": ("Laquelle de ces propositions vous décrit ?", {
        "female": "Femme", "male": "Homme", "non-binary": "Non binaire ou autre identité",
    }),
    "age": ("Quel âge avez-vous ?", {
        "16-29": "16 à 29 ans", "30-44": "30 à 44 ans", "45-64": "45 à 64 ans", "65-plus": "65 ans ou plus",
    }),
    "area": ("Où habitez-vous dans le Northshire ?", {
        "northshire-city": "La ville de Northshire", "coast": "La côte", "market-towns": "Les bourgs",
        "rural": "Villages et campagne",
    }),
    "education": ("Quel est votre diplôme le plus élevé ?", {
        "none-gcse": "Aucun, ou GCSE", "a-level": "A levels ou formation professionnelle",
        "degree": "Licence ou plus",
    }),
    "car": ("Votre foyer a-t-il une voiture ou une camionnette ?", {"car": "Oui", "no-car": "Non"}),
}  # fmt: skip

STREETS = [
    "High Street", "Station Road", "Church Lane", "Mill Road", "Harbour View", "Park Avenue", "Quarry Close",
    "Victoria Terrace", "Orchard Way", "Castle Street", "Marsh Lane", "Ferry Road",
]  # fmt: skip
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

TOWNS = [
    ("Northshire", "northshire-city"),
    ("Saltby", "coast"),
    ("Marketon", "market-towns"),
    ("Fenwick", "rural"),
]
ROUND_NAME = "Spring 2026 letters"

HOUSING_SLUG = "northshire-housing"
HOUSING_SOURCE = (
    "Two ten-sided dice thrown by a resident at the public launch, Northshire Library, 3 February 2026"
)
HOUSING_RANDOMNESS = "7 2 9 4"
REPLACEMENT_SOURCE = "One ten-sided die thrown at the council's open meeting, 17 February 2026"


def _categories(
    assembly: Assembly, panel_size: int, tolerance: int = 1
) -> dict[str, list[tuple[Feature, float]]]:
    """Categories and features with census shares and quotas proposed around them."""
    out: dict[str, list[tuple[Feature, float]]] = {}
    for order, (name, label, values) in enumerate(CATEGORIES):
        french_question, french_answers = FRENCH[name]
        category, _ = Category.objects.get_or_create(
            assembly=assembly,
            name=name,
            defaults={"label": label, "order": order, "label_translations": {"fr": french_question}},
        )
        if not category.label_translations:  # seeded before the translations existed
            category.label_translations = {"fr": french_question}
            category.save(update_fields=["label_translations"])
        out[name] = []
        for position, (value, answer, share, bias) in enumerate(values):
            target = panel_size * share / 100
            feature, _ = Feature.objects.get_or_create(
                category=category,
                value=value,
                defaults={
                    "assembly": assembly,
                    "label": answer,
                    "label_translations": {"fr": french_answers[value]},
                    "order": position,
                    "population_share": Decimal(str(share)),
                    "min_seats": max(0, math.floor(target) - tolerance),
                    "max_seats": math.ceil(target) + tolerance,
                },
            )
            if not feature.label_translations:
                feature.label_translations = {"fr": french_answers[value]}
                feature.save(update_fields=["label_translations"])
            out[name].append((feature, share * bias))
    return out


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace("'", "")


def _pool(
    assembly: Assembly, features: dict[str, list[tuple[Feature, float]]], n: int, seed: int, domain: str
) -> None:
    """``n`` respondents with answers drawn from the biased shares (bulk, seeded)."""
    rng = random.Random(seed)
    now = timezone.now()
    respondents = []
    homes: list[str] = []
    for i in range(n):
        if homes and rng.random() < 0.06:  # a second person from the same household registers
            home = rng.choice(homes[-50:])
        else:
            home = f"{rng.randint(1, 180)} {rng.choice(STREETS)}, NS{rng.randint(1, 9)}"
            homes.append(home)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        respondents.append(
            Respondent(
                assembly=assembly,
                source=RespondentSource.IMPORT,
                first_name=first,
                last_name=last,
                email=f"{_ascii(first)}.{_ascii(last)}.{i}@{domain}",
                address=home.split(",")[0],
                postcode=f"{home.split(', ')[1]} {rng.randint(1, 9)}{''.join(rng.choices(LETTERS, k=2))}",
                household=home,
                consent_version="1",
                consented_at=now - dt.timedelta(days=rng.randint(1, 40), minutes=rng.randint(0, 1440)),
                availability=["all"],
            )
        )
    Respondent.objects.bulk_create(respondents, batch_size=500)
    created = list(Respondent.objects.filter(assembly=assembly).only("pk"))
    answers = []
    for respondent in created:
        for options in features.values():
            feature = rng.choices([f for f, _ in options], weights=[w for _, w in options])[0]
            answers.append(
                Answer(
                    assembly=assembly, respondent=respondent, category_id=feature.category_id, feature=feature
                )
            )
    Answer.objects.bulk_create(answers, batch_size=2000)


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
    round_ = InvitationRound.objects.filter(assembly=assembly, name=ROUND_NAME).first()
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


def _housing_assembly() -> Assembly | None:
    organisation = Organisation.objects.filter(slug="northshire").first()
    if organisation is None:
        return None
    assembly, _ = Assembly.objects.get_or_create(
        slug=HOUSING_SLUG,
        defaults={
            "organisation": organisation,
            "title": "Northshire Housing Assembly",
            "remit": "How can Northshire make sure everyone has a secure, affordable and warm home by 2035?",
            "description": "Thirty residents chosen by a civic lottery meet over three weekends to hear "
            "evidence on rents, new building, empty homes and retrofitting, and to make "
            "recommendations to the council.",
            "languages": ["en"],
            "starts_on": dt.date(2026, 3, 7),
            "ends_on": dt.date(2026, 5, 16),
            "stage": Stage.SELECTING,
            "is_public": True,
        },
    )
    return assembly


def _seed_housing() -> None:
    assembly = _housing_assembly()
    if assembly is None:
        return
    with transaction.atomic():
        RecruitmentSettings.objects.get_or_create(
            assembly=assembly,
            defaults={
                "panel_size": 30,
                "reserves": 10,
                "session_dates": ["2026-03-07", "2026-04-11", "2026-05-16"],
            },
        )
        features = _categories(assembly, 30)
        if not Respondent.objects.filter(assembly=assembly).exists():
            _pool(assembly, features, 300, seed=35, domain="housing.northshire.example")
    organiser = get_user_model().objects.filter(email__iexact=ORGANISER_EMAIL).first()
    drawn = SelectionRun.objects.filter(assembly=assembly, kind=RunKind.SELECTION, status=DrawStatus.DRAWN)
    if not drawn.exists() and not _draw_housing(assembly, organiser):
        return
    if not SelectionRun.objects.filter(assembly=assembly, kind=RunKind.REPLACEMENT).exists():
        _replace_housing(assembly, organiser)
    if assembly.stage == Stage.SELECTING:
        assembly.stage = Stage.DELIBERATING
        assembly.save(update_fields=["stage"])


def _draw_housing(assembly: Assembly, organiser: Any) -> bool:
    run = (
        SelectionRun.objects.filter(assembly=assembly, kind=RunKind.SELECTION)
        .exclude(status=DrawStatus.FAILED)
        .first()
    )
    if run is None:
        run = SelectionRun.objects.create(
            assembly=assembly, request_key="demo-housing-selection", panel_size=30, requested_by=organiser,
            progress={"time_limit": 30, "stage": "queued", "enqueued": True},
        )  # fmt: skip
    services.selection_run_compute(run.pk)
    run.refresh_from_db()
    if run.status == DrawStatus.COMPUTED:
        run = services.selection_publish_commitment(run=run, randomness_source=HOUSING_SOURCE, by=SYSTEM)
    if run.status != DrawStatus.COMMITTED:
        logger.warning("Housing demo selection did not compute: %s", run.error)
        return False
    services.selection_draw(run=run, randomness=HOUSING_RANDOMNESS, by=SYSTEM)
    # Most confirm and two decline; a few are left to answer.
    selected = list(
        Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).order_by("pseudonym")
    )
    for respondent in selected[:2]:
        services.respondent_decline(token=respondent.confirm_token or "", by=SYSTEM)
    for respondent in selected[2:26]:
        services.respondent_confirm(token=respondent.confirm_token or "", by=SYSTEM)
    return True


def _replace_housing(assembly: Assembly, organiser: Any) -> None:
    """One replacement draw refills the two declined seats."""
    declined = (
        Respondent.objects.filter(assembly=assembly, status=RespondentStatus.DECLINED)
        .order_by("pseudonym")
        .first()
    )
    if declined is None:
        return
    replacement = services.replacement_start(
        respondent=declined, by=SYSTEM, request_key="demo-housing-replacement-1"
    )
    services.selection_run_compute(replacement.pk)  # inline when no worker; a no-op when the task already ran
    replacement.refresh_from_db()
    if replacement.status == DrawStatus.COMPUTED:
        replacement = services.selection_publish_commitment(
            run=replacement, randomness_source=REPLACEMENT_SOURCE, by=SYSTEM
        )
        services.selection_draw(run=replacement, randomness="3", by=SYSTEM)


def seed_lottery_demo() -> str | None:
    """Seed the lottery's demo (safe to run again); returns an unused
    registration code of the transport assembly's letters, to try /register/."""
    started = time.monotonic()
    _seed_transport()
    code = _seed_transport_letters()
    _seed_housing()
    logger.info("Lottery demo seeded in %.1f s", time.monotonic() - started)
    return code
