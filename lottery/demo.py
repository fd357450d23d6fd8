"""Demo data for recruitment and selection (called from the demo seed).

``seed_lottery_demo()`` is idempotent (natural keys; a pool only where there
is none) and dates everything from the day it is loaded (``demo_timeline``):

- Northshire Transport (recruiting): 60 seats, ~1,500 respondents, letters.
- Northshire Housing (deliberating): 30 of 300 by LEXIMIN, committed, drawn
  with dice a week later; two declined, reserves took their seats.
- Riverside Housing (published): 48 members drawn the same way, panel final.
"""

from __future__ import annotations

import logging
import math
import random
import time
import unicodedata
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from assemblies.actors import SYSTEM
from assemblies.demo import FIRST_NAMES, LAST_NAMES
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
from lottery.registration import services as registration_services
from lottery.selection import services
from lottery.selection.reserves import first_fitting_reserve, reserve_checks, vacancies
from lottery.selection.selectors import vacant_seats

from .demo_recruitment_texts import apply_texts
from .demo_timeline import Timeline, at, redate

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
ROUND_NAME = "Invitation letters"

HOUSING_SLUG = "northshire-housing"
RIVERSIDE_SLUG = "riverside-housing"

# Said when the commitment is published, before the dice exist; the draw's
# date is in the timeline below (the commitment's hash covers this text, so
# it names no calendar date that a later reload would contradict).
HOUSING_SOURCE = (
    "Two ten-sided dice, thrown twice by a resident at the assembly's public launch in Northshire Library, "
    "a week after this commitment"
)
HOUSING_RANDOMNESS = "7 2 9 4"
RIVERSIDE_SOURCE = (
    "Three ten-sided dice thrown by the Mayor of Riverside at the launch evening in the Town Hall"
)
RIVERSIDE_RANDOMNESS = "4 1 8"
REPLACEMENT_SOURCE = (
    "One ten-sided die thrown at the organisers' next open meeting, the week after this commitment"
)

# Riverside's questions: its own quotas (housing tenure matters to a housing assembly).
RIVERSIDE_CATEGORIES: list[tuple[str, str, list[tuple[str, str, float, float]]]] = [
    CATEGORIES[0],
    CATEGORIES[1],
    ("tenure", "Do you own or rent your home?", [
        ("own", "Own it (outright or with a mortgage)", 52.0, 1.2),
        ("rent-private", "Rent from a private landlord", 28.0, 0.8),
        ("rent-social", "Rent from the council or a housing association", 20.0, 0.9),
    ]),
    CATEGORIES[3],
]  # fmt: skip


# Northshire Housing is between its first and second weekend.
HOUSING = Timeline(registered=(-80, -42), computed=-38, committed=-37, drawn=-30, answers=(-29, -19),
                   sessions=(-9, 19, 47))  # fmt: skip
# Riverside Housing met last year and has published its report.
RIVERSIDE = Timeline(registered=(-270, -230), computed=-224, committed=-222, drawn=-215, answers=(-214, -204),
                     sessions=(-180, -152, -124), final=-200)  # fmt: skip


def _categories(
    assembly: Assembly,
    panel_size: int,
    tolerance: int = 1,
    categories: list[tuple[str, str, list[tuple[str, str, float, float]]]] = CATEGORIES,
) -> dict[str, list[tuple[Feature, float]]]:
    """Categories and features with census shares and quotas proposed around them
    (French labels where the assembly works in French)."""
    french = "fr" in (assembly.languages or [])
    out: dict[str, list[tuple[Feature, float]]] = {}
    for order, (name, label, values) in enumerate(categories):
        french_question, french_answers = FRENCH.get(name, ("", {}))
        question_fr = {"fr": french_question} if french and french_question else {}
        category, _ = Category.objects.get_or_create(
            assembly=assembly,
            name=name,
            defaults={"label": label, "order": order, "label_translations": question_fr},
        )
        if question_fr and not category.label_translations:  # seeded before the translations existed
            category.label_translations = question_fr
            category.save(update_fields=["label_translations"])
        out[name] = []
        for position, (value, answer, share, bias) in enumerate(values):
            target = panel_size * share / 100
            answer_fr = {"fr": french_answers[value]} if question_fr else {}
            feature, _ = Feature.objects.get_or_create(
                category=category,
                value=value,
                defaults={
                    "assembly": assembly,
                    "label": answer,
                    "label_translations": answer_fr,
                    "order": position,
                    "population_share": Decimal(str(share)),
                    "min_seats": max(0, math.floor(target) - tolerance),
                    "max_seats": math.ceil(target) + tolerance,
                },
            )
            if answer_fr and not feature.label_translations:
                feature.label_translations = answer_fr
                feature.save(update_fields=["label_translations"])
            out[name].append((feature, share * bias))
    return out


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace("'", "")


def _pool(
    assembly: Assembly,
    features: dict[str, list[tuple[Feature, float]]],
    n: int,
    seed: int,
    domain: str,
    timeline: Timeline | None = None,
) -> None:
    """``n`` respondents with answers drawn from the biased shares (bulk,
    seeded), registered within the timeline's registration days."""
    rng = random.Random(seed)
    first, last = timeline.registered if timeline else (-40, -1)
    sessions = timeline.session_dates if timeline else []
    respondents = []
    homes: list[str] = []
    for i in range(n):
        if homes and rng.random() < 0.06:  # a second person from the same household registers
            home = rng.choice(homes[-50:])
        else:
            home = f"{rng.randint(1, 180)} {rng.choice(STREETS)}, NS{rng.randint(1, 9)}"
            homes.append(home)
        given, family = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        respondents.append(
            Respondent(
                assembly=assembly,
                source=RespondentSource.IMPORT,
                first_name=given,
                last_name=family,
                email=f"{_ascii(given)}.{_ascii(family)}.{i}@{domain}",
                address=home.split(",")[0],
                postcode=f"{home.split(', ')[1]} {rng.randint(1, 9)}{''.join(rng.choices(LETTERS, k=2))}",
                household=home,
                consent_version="1",
                consented_at=at(rng.randint(first, last), rng.randint(8, 22), rng.randint(0, 59)),
                # Most can come every time; some miss one date.
                availability=sessions
                if rng.random() < 0.8
                else rng.sample(sessions, max(0, len(sessions) - 1)),
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
            "stage": Stage.SELECTING,
            "is_public": True,
        },
    )
    return assembly


def _seed_lottery(
    assembly: Assembly,
    timeline: Timeline,
    *,
    seats: int,
    reserves: int,
    pool: int,
    seed: int,
    categories: list[tuple[str, str, list[tuple[str, str, float, float]]]] = CATEGORIES,
) -> bool:
    """Pool, quotas, a computed and committed run, the public draw (once);
    True when the panel is drawn."""
    with transaction.atomic():
        RecruitmentSettings.objects.get_or_create(
            assembly=assembly,
            defaults={"panel_size": seats, "reserves": reserves, "session_dates": timeline.session_dates},
        )
        features = _categories(assembly, seats, categories=categories)
        if not Respondent.objects.filter(assembly=assembly).exists():
            domain = f"{assembly.slug.replace('-', '.')}.example"
            _pool(assembly, features, pool, seed=seed, domain=domain, timeline=timeline)
    if SelectionRun.objects.filter(
        assembly=assembly, kind=RunKind.SELECTION, status=DrawStatus.DRAWN
    ).exists():
        return True
    run = (
        SelectionRun.objects.filter(assembly=assembly, kind=RunKind.SELECTION)
        .exclude(status=DrawStatus.FAILED)
        .first()
    )
    if run is None:
        run = services.selection_run_start(
            assembly=assembly, request_key=f"demo-{assembly.slug}-selection", by=SYSTEM, time_limit=30
        )
    services.selection_run_compute(run.pk)  # inline when no worker; a no-op when the task already ran
    run.refresh_from_db()
    source, randomness = (
        (HOUSING_SOURCE, HOUSING_RANDOMNESS)
        if assembly.slug == HOUSING_SLUG
        else (RIVERSIDE_SOURCE, RIVERSIDE_RANDOMNESS)
    )
    if run.status == DrawStatus.COMPUTED:
        run = services.selection_publish_commitment(run=run, randomness_source=source, by=SYSTEM)
    if run.status != DrawStatus.COMMITTED:
        logger.warning("Demo selection of %s did not compute: %s", assembly.slug, run.error)
        return False
    services.selection_draw(run=run, randomness=randomness, by=SYSTEM)
    return True


def _fillable_decliner(assembly: Assembly, candidates: list[Respondent]) -> Respondent | None:
    """Someone whose seat a reserve can take, so that the story shows the
    rule at work (people whose answers match a reserve's exactly are tried
    first). The draw varies from run to run, so they are found by the
    published rule's own check, not fixed."""
    answers: dict[int, set[int]] = {}
    for respondent_id, feature_id in Answer.objects.filter(assembly=assembly).values_list(
        "respondent_id", "feature_id"
    ):
        answers.setdefault(respondent_id, set()).add(feature_id)
    reserves = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.RESERVE)
    reserve_answers = [answers.get(r.pk) for r in reserves.order_by("reserve_position")]
    matching = [r for r in candidates if answers.get(r.pk) in reserve_answers]
    ordered = [*matching, *(r for r in candidates if r not in matching)]
    return next(
        (r for r in ordered if any(c.fits for c in reserve_checks(assembly, vacant=1, leaving=r))), None
    )


def _answer(assembly: Assembly, *, declines: int, unanswered: int) -> None:
    """The selected answer: ``declines`` decline one after the other (each
    seat goes to the first reserve who keeps every quota; a seat no reserve
    can take is filled by a replacement draw), all but ``unanswered`` of the
    others confirm."""
    selected = list(
        Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).order_by("pseudonym")
    )
    declining: list[Respondent] = []
    for _ in range(declines):
        candidates = [r for r in selected if r not in declining]
        person = _fillable_decliner(assembly, candidates) or candidates[0]
        services.respondent_decline(token=person.confirm_token or "", by=SYSTEM)
        declining.append(person)
        _fill_open_seats(assembly)
    staying = [r for r in selected if r not in declining]
    called = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).exclude(
        pk__in=[r.pk for r in selected]
    )
    for respondent in [*staying[: len(staying) - unanswered], *called]:
        services.respondent_confirm(token=respondent.confirm_token or "", by=SYSTEM)


def _fill_open_seats(assembly: Assembly) -> None:
    """Seats still open after the declines, in the order they fell vacant: a
    reserve who keeps every quota now (a later decline can make one fit) is
    called, as an organiser would from the selection screen; else a draw."""
    for vacancy in vacancies(assembly):
        if vacancy.outcome != "open" or vacancy.left is None or vacant_seats(assembly) < 1:
            continue
        if first_fitting_reserve(assembly)[0] is not None:
            services.reserve_call(respondent=vacancy.left, by=SYSTEM)
        else:
            _replacement_draw(assembly, vacancy.left)


def _replacement_draw(assembly: Assembly, declined: Respondent) -> None:
    """No reserve keeps the quotas: a replacement draw, committed before its die is thrown."""
    run = services.replacement_start(
        respondent=declined, by=SYSTEM, request_key=f"demo-{assembly.slug}-replacement-{declined.pk}"
    )
    services.selection_run_compute(run.pk)  # inline when no worker; a no-op when the task already ran
    run.refresh_from_db()
    if run.status == DrawStatus.COMPUTED:
        run = services.selection_publish_commitment(run=run, randomness_source=REPLACEMENT_SOURCE, by=SYSTEM)
        services.selection_draw(run=run, randomness="3", by=SYSTEM)


def _answered(assembly: Assembly) -> bool:
    return Respondent.objects.filter(
        assembly=assembly, status__in=(RespondentStatus.CONFIRMED, RespondentStatus.DECLINED)
    ).exists()


def _seed_housing() -> None:
    """Northshire Housing (deliberating): drawn a month ago; two declined and
    the first fitting reserves took their seats; four have not answered."""
    assembly = _housing_assembly()
    if assembly is None:
        return
    if not _seed_lottery(assembly, HOUSING, seats=30, reserves=10, pool=300, seed=35):
        return
    if not _answered(assembly):
        _answer(assembly, declines=2, unanswered=4)
    if assembly.stage == Stage.SELECTING:
        assembly.stage = Stage.DELIBERATING
        assembly.save(update_fields=["stage"])
    redate(assembly, HOUSING)


def _seed_riverside() -> None:
    """Riverside Housing (published) chose its 48 members with the platform:
    its report can say how."""
    assembly = Assembly.objects.filter(slug=RIVERSIDE_SLUG).first()
    if assembly is None:
        return
    if not _seed_lottery(
        assembly, RIVERSIDE, seats=48, reserves=12, pool=420, seed=48, categories=RIVERSIDE_CATEGORIES
    ):
        return
    if not _answered(assembly):
        _answer(assembly, declines=2, unanswered=0)
        services.panel_finalise(assembly=assembly, by=SYSTEM)
        # Long past its retention period: those not selected are erased, as the beat job would.
        registration_services.erase_unselected(assembly=assembly, by=SYSTEM)
    redate(assembly, RIVERSIDE)


def seed_lottery_demo() -> str | None:
    """Seed the lottery's demo (safe to run again); returns an unused
    registration code of the transport assembly's letters, to try /register/."""
    started = time.monotonic()
    _seed_transport()
    apply_texts("northshire-transport", recruiting=True)
    code = _seed_transport_letters()
    _seed_housing()
    apply_texts(HOUSING_SLUG, recruiting=False, timeline=HOUSING)
    _seed_riverside()
    apply_texts(RIVERSIDE_SLUG, recruiting=False, timeline=RIVERSIDE)
    logger.info("Lottery demo seeded in %.1f s", time.monotonic() - started)
    return code
