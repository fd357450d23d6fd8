"""Demo data for recruitment and selection (called from the demo seed).

``seed_lottery_demo()`` is idempotent (natural keys; a pool only where there
is none) and dates everything from the day it is loaded (``demo_timeline``):

- Northshire Transport (recruiting): 60 seats, ~1,500 respondents, letters.
- Northshire Housing (deliberating): 30 of 300 by LEXIMIN, committed, drawn
  with dice a week later; two declined, reserves took their seats.
- Riverside Housing (published): 48 members drawn the same way, panel final.

The respondents' questions and pools are in ``demo_pool``, the transport
assembly's pool and letters in ``demo_transport``; this module tells the two
selection stories and runs the whole.
"""

from __future__ import annotations

import logging
import time

from django.db import transaction

from assemblies.actors import SYSTEM
from assemblies.models import Assembly, Organisation, Stage
from lottery.models import (
    Answer,
    DrawStatus,
    RecruitmentSettings,
    Respondent,
    RespondentStatus,
    RunKind,
    SelectionRun,
)
from lottery.registration import services as registration_services
from lottery.selection import services
from lottery.selection.reserves import first_fitting_reserve, reserve_checks, vacancies
from lottery.selection.selectors import vacant_seats

from .demo_pool import CATEGORIES, RIVERSIDE_CATEGORIES, _categories, _pool
from .demo_recruitment_texts import apply_texts
from .demo_timeline import Timeline, redate
from .demo_transport import _seed_transport, _seed_transport_letters

logger = logging.getLogger(__name__)

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


# Northshire Housing is between its first and second weekend.
HOUSING = Timeline(registered=(-80, -42), computed=-38, committed=-37, drawn=-30, answers=(-29, -19),
                   sessions=(-9, 19, 47))  # fmt: skip
# Riverside Housing met last year and has published its report.
RIVERSIDE = Timeline(registered=(-270, -230), computed=-224, committed=-222, drawn=-215, answers=(-214, -204),
                     sessions=(-180, -152, -124), final=-200)  # fmt: skip


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
