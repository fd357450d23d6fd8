"""Writes of the lottery: start and compute runs, publish the commitment, draw,
confirm, replace, finalise.

Each public function checks first (raising ValidationError in plain words, or
PermissionDenied) and then mutates inside one transaction with an audit event
that names respondents by pseudonym only. Views call exactly one of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import ensure_user
from assemblies.audit import audit_record
from assemblies.models import Assembly, Member, MemberRole, MemberStatus
from lottery import engine
from lottery.engine.prepare import canonical
from lottery.models import (
    Answer,
    Category,
    DrawStatus,
    Feature,
    RecruitmentSettings,
    Respondent,
    RespondentStatus,
    RunKind,
    SelectionRun,
)
from notifications.services import queue_email

from .bundle import BUNDLE_FORMAT, bundle_commitment, reserve_order

logger = logging.getLogger(__name__)

# The acting user (request.user), or None when the system acts (tasks, the demo seed).
User = Any

#: Seconds the engine may spend after maximin before returning what is fixed.
DEFAULT_TIME_LIMIT = 300
#: Draws of the legacy greedy method used only for the comparison figure.
LEGACY_RUNS = 100
#: Progress is written to the run row at most this often (seconds).
PROGRESS_EVERY = 1.0
#: Seconds past its time limit after which a running run counts as abandoned.
ABANDONED_AFTER = 600

ACTIVE = (DrawStatus.QUEUED, DrawStatus.RUNNING)
# Respondents who may be drawn by a first selection, or seated/drawn by a replacement.
FRESH_POOL = (RespondentStatus.REGISTERED,)
REPLACEMENT_POOL = (
    RespondentStatus.REGISTERED,
    RespondentStatus.RESERVE,
    RespondentStatus.SELECTED,
    RespondentStatus.CONFIRMED,
)
ON_PANEL = (RespondentStatus.SELECTED, RespondentStatus.CONFIRMED)


# --- the problem --------------------------------------------------------------


def household_key(assembly: Assembly, household: str) -> str | None:
    """A keyed hash of the household: equal for the same address, useless to
    anyone trying to guess addresses from the public bundle."""
    if not household or not household.strip():
        return None
    message = f"{assembly.pk}:{canonical(household)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:20]


def quotas_of(assembly: Assembly) -> list[engine.Quota]:
    return [
        engine.Quota(
            category=f.category.name,
            feature=f.value,
            min=f.min_seats,
            max=f.max_seats,
            min_flex=f.min_flex,
            max_flex=f.max_flex,
        )
        for f in Feature.objects.filter(assembly=assembly).select_related("category")
    ]


def pool_of(assembly: Assembly, statuses: Sequence[str] = FRESH_POOL) -> tuple[list[engine.Respondent], int]:
    """Engine respondents (pseudonym ids, sorted) and how many were left out
    because they did not answer every category."""
    categories = list(Category.objects.filter(assembly=assembly).values_list("pk", "name"))
    rows = list(
        Respondent.objects.filter(assembly=assembly, status__in=statuses).values_list(
            "pk", "pseudonym", "household"
        )
    )
    answers: dict[int, dict[str, str]] = {}
    for respondent_id, category, value in Answer.objects.filter(
        assembly=assembly, respondent__status__in=statuses
    ).values_list("respondent_id", "category__name", "feature__value"):
        answers.setdefault(respondent_id, {})[category] = value
    wanted = {name for _, name in categories}
    pool, incomplete = [], 0
    for pk, pseudonym, household in sorted(rows, key=lambda row: row[1]):
        features = answers.get(pk, {})
        if set(features) != wanted:
            incomplete += 1
            continue
        pool.append(engine.Respondent(pseudonym, features, household_key(assembly, household)))
    return pool, incomplete


def panel_size_of(assembly: Assembly) -> int:
    recruitment = RecruitmentSettings.objects.filter(assembly=assembly).first()
    return recruitment.panel_size if recruitment else 0


def build_problem(
    assembly: Assembly, *, seated: Sequence[str] = (), statuses: Sequence[str] = FRESH_POOL
) -> engine.SelectionProblem:
    """The engine's view of the assembly: pseudonyms as ids, feature values
    from the Answers, household keys hashed; ``seated`` pseudonyms are fixed."""
    pool, _ = pool_of(assembly, statuses)
    return engine.SelectionProblem(pool, quotas_of(assembly), panel_size_of(assembly), tuple(seated))


# --- starting and computing a run ---------------------------------------------


def check_can_run_selection(*, assembly: Assembly, by: User) -> None:
    if by is not None and not by.has_perm("lottery.run_selection", assembly):
        raise PermissionDenied(_("You may not run the selection of this assembly."))


def check_no_active_run(*, assembly: Assembly) -> None:
    if SelectionRun.objects.filter(assembly=assembly, status__in=ACTIVE).exists():
        raise ValidationError(
            _(
                "A selection run is already being computed for this assembly. "
                "Wait for it to finish, then try again."
            )
        )


def _create_run(*, assembly: Assembly, request_key: str, by: User, **fields: Any) -> SelectionRun:
    """Create the run, or return the one already created with ``request_key``
    (a double click, a retried request)."""
    existing = SelectionRun.objects.filter(request_key=request_key).first()
    if existing is not None:
        if existing.assembly_id != assembly.pk:
            raise ValidationError(_("This form was already used for another assembly; reload the page."))
        return existing
    check_no_active_run(assembly=assembly)
    try:
        with transaction.atomic():
            run = SelectionRun.objects.create(
                assembly=assembly,
                request_key=request_key,
                requested_by=by if by is not None and by.is_authenticated else None,
                **fields,
            )
    except IntegrityError:
        # Lost a race: either the same key (return that run) or another active run.
        existing = SelectionRun.objects.filter(request_key=request_key).first()
        if existing is not None and existing.assembly_id == assembly.pk:
            return existing
        check_no_active_run(assembly=assembly)
        raise
    return run


def _enqueue(run: SelectionRun, time_limit: int) -> None:
    from .tasks import compute_selection_run

    def publish_selection_run() -> None:
        compute_selection_run.apply_async(
            args=(run.pk,), soft_time_limit=time_limit + 120, time_limit=time_limit + 180
        )

    transaction.on_commit(publish_selection_run, robust=True)


@transaction.atomic
def selection_run_start(
    *, assembly: Assembly, request_key: str, by: User, time_limit: int | None = None
) -> SelectionRun:
    """Queue the computation of a selection run; idempotent on ``request_key``."""
    check_can_run_selection(assembly=assembly, by=by)
    if not request_key or len(request_key) > 64:
        raise ValidationError(_("The form is missing its key; reload the page and try again."))
    existing = SelectionRun.objects.filter(request_key=request_key).first()
    if existing is not None and existing.assembly_id == assembly.pk:
        return existing
    if SelectionRun.objects.filter(
        assembly=assembly, kind=RunKind.SELECTION, status__in=(DrawStatus.COMMITTED, DrawStatus.DRAWN)
    ).exists():
        raise ValidationError(
            _(
                "A commitment for this assembly's lottery is already published: "
                "a new run would let anyone doubt the draw."
            )
        )
    k = panel_size_of(assembly)
    if k < 1:
        raise ValidationError(_("Set the number of seats in the recruitment settings first."))
    limit = int(
        time_limit or getattr(settings, "SELECTION_TIME_LIMIT", DEFAULT_TIME_LIMIT) or DEFAULT_TIME_LIMIT
    )
    run = _create_run(
        assembly=assembly,
        request_key=request_key,
        by=by,
        kind=RunKind.SELECTION,
        panel_size=k,
        progress={"time_limit": limit, "stage": "queued"},
    )
    if (
        run.status == DrawStatus.QUEUED
        and run.progress.get("stage") == "queued"
        and "enqueued" not in run.progress
    ):
        run.progress = {**run.progress, "enqueued": True}
        run.save(update_fields=["progress"])
        audit_record(
            action="lottery.run_started",
            by=by,
            assembly=assembly,
            obj=run,
            data={"panel_size": k, "time_limit": limit},
        )
        _enqueue(run, limit)
    return run


def _progress_writer(run_id: int, base: dict[str, Any]) -> Any:
    last = [0.0]

    def report(event: engine.Progress) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        SelectionRun.objects.filter(pk=run_id).update(
            progress={
                **base,
                "stage": "leximin",
                "level": event.level,
                "panels": event.panels,
                "min": event.minimum,
                "fixed": event.fixed,
                "types": event.types,
            }
        )

    return report


def _abandoned(run: SelectionRun) -> bool:
    """A running run whose worker died (the broker redelivers the message):
    past its time limit plus a margin, it may be claimed again."""
    if run.status != DrawStatus.RUNNING or "started" not in run.progress:
        return False
    started = dt.datetime.fromisoformat(run.progress["started"])
    limit = float(run.progress.get("time_limit", DEFAULT_TIME_LIMIT))
    return timezone.now() - started > dt.timedelta(seconds=limit + ABANDONED_AFTER)


def claim_run(run_id: int) -> SelectionRun | None:
    """Move a queued run to running; None when someone else has it (or it is done)."""
    with transaction.atomic():
        run = SelectionRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or not (run.status == DrawStatus.QUEUED or _abandoned(run)):
            return None
        run.status = DrawStatus.RUNNING
        run.progress = {**run.progress, "stage": "preparing", "started": timezone.now().isoformat()}
        run.save(update_fields=["status", "progress"])
        return run


def selection_run_fail(run_id: int, message: str) -> None:
    SelectionRun.objects.filter(pk=run_id, status__in=ACTIVE).update(status=DrawStatus.FAILED, error=message)


def _seated_for(run: SelectionRun) -> list[str]:
    if run.kind != RunKind.REPLACEMENT:
        return []
    return sorted(
        Respondent.objects.filter(assembly=run.assembly, status__in=ON_PANEL).values_list(
            "pseudonym", flat=True
        )
    )


def explain(error: engine.SortitionError) -> str:
    """The engine's message, plus its suggested relaxation when it has one."""
    return str(error)


def selection_run_compute(run_id: int) -> SelectionRun | None:
    """Compute LEXIMIN, the legacy baseline and the transparent lottery for a
    queued run (called by the task). Safe to call twice: a run that is not
    queued is left alone. Returns the run, or None when it was skipped."""
    run = claim_run(run_id)
    if run is None:
        return None
    assembly = run.assembly
    base = {"time_limit": run.progress.get("time_limit", DEFAULT_TIME_LIMIT)}
    started = time.monotonic()
    try:
        statuses = REPLACEMENT_POOL if run.kind == RunKind.REPLACEMENT else FRESH_POOL
        seated = _seated_for(run)
        problem = build_problem(assembly, seated=seated, statuses=statuses)
        problem = engine.SelectionProblem(problem.respondents, problem.quotas, run.panel_size, tuple(seated))
        distribution = engine.leximin(
            problem, time_limit=float(base["time_limit"]), progress=_progress_writer(run.pk, base)
        )
        SelectionRun.objects.filter(pk=run.pk).update(progress={**base, "stage": "legacy"})
        try:
            baseline = engine.legacy(problem, runs=LEGACY_RUNS)
            legacy_min: float | None = baseline.stats.get("pooled_min_probability", baseline.min_probability)
        except engine.SortitionError:
            legacy_min = None
        lottery = engine.round_to_lottery(distribution, run.lottery_size)
    except engine.SortitionError as error:
        selection_run_fail(run.pk, explain(error))
        run.refresh_from_db()
        return run
    recruitment = RecruitmentSettings.objects.filter(assembly=assembly).first()
    seconds = round(time.monotonic() - started, 2)
    bundle: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "assembly": assembly.slug,
        "kind": run.kind,
        "algorithm": distribution.algorithm,
        "version": engine.ENGINE_VERSION,
        "k": run.panel_size,
        "seated": sorted(seated),
        "pool": [
            {"id": r.id, "features": dict(r.features), "household": r.household} for r in problem.respondents
        ],
        "quotas": [
            {
                "category": q.category,
                "feature": q.feature,
                "min": q.min,
                "max": q.max,
                "min_flex": q.min_flex,
                "max_flex": q.max_flex,
            }
            for q in problem.quotas
        ],
        "panels": [sorted(p) for p in lottery.panels],
        "reserves_wanted": (recruitment.reserves if recruitment and run.kind == RunKind.SELECTION else 0),
        "probabilities": {rid: round(p, 9) for rid, p in distribution.probabilities.items()},
        "lottery_probabilities": lottery.probabilities,
        "stats": {
            "complete": distribution.complete,
            "levels": distribution.levels,
            "method": distribution.method,
            "seconds": seconds,
            "min_probability": distribution.min_probability,
            "lottery_min_probability": lottery.min_probability,
            "max_probability_change": lottery.max_probability_change,
            "legacy_min_probability": legacy_min,
            "legacy_runs": LEGACY_RUNS,
        },
    }
    with transaction.atomic():
        updated = SelectionRun.objects.filter(pk=run.pk, status=DrawStatus.RUNNING).update(
            status=DrawStatus.COMPUTED,
            bundle=bundle,
            min_probability=distribution.min_probability,
            legacy_min_probability=legacy_min,
            progress={**base, "stage": "done", "seconds": seconds},
        )
        if updated:
            audit_record(
                action="lottery.run_computed",
                by=None,
                assembly=assembly,
                obj=run,
                data={
                    "n": len(problem.respondents),
                    "k": run.panel_size,
                    "min_probability": distribution.min_probability,
                },
            )
    run.refresh_from_db()
    return run


# --- commitment and draw ------------------------------------------------------


@transaction.atomic
def selection_publish_commitment(*, run: SelectionRun, randomness_source: str, by: User) -> SelectionRun:
    """Freeze the run: hash the pool, quotas, algorithm, panels and the announced
    source of randomness, and publish that hash before the randomness exists."""
    check_can_run_selection(assembly=run.assembly, by=by)
    run = SelectionRun.objects.select_for_update().get(pk=run.pk)
    source = " ".join(randomness_source.split())
    if run.status != DrawStatus.COMPUTED:
        raise ValidationError(_("Only a computed run that is not yet committed can be published."))
    if not source:
        raise ValidationError(
            _(
                "Say where the public randomness will come from, "
                "e.g. “three dice thrown at the public meeting on 6 May”."
            )
        )
    if (
        run.kind == RunKind.SELECTION
        and SelectionRun.objects.filter(
            assembly=run.assembly, kind=RunKind.SELECTION, status__in=(DrawStatus.COMMITTED, DrawStatus.DRAWN)
        )
        .exclude(pk=run.pk)
        .exists()
    ):
        raise ValidationError(
            _("Another run of this assembly is already committed: only one lottery may be published.")
        )
    bundle = {**run.bundle, "randomness_source": source}
    bundle["commitment"] = bundle_commitment(bundle)
    run.bundle = bundle
    run.commitment = bundle["commitment"]
    run.randomness_source = source
    run.status = DrawStatus.COMMITTED
    run.committed_at = timezone.now()
    run.save(update_fields=["bundle", "commitment", "randomness_source", "status", "committed_at"])
    audit_record(
        action="lottery.commitment_published",
        by=by,
        assembly=run.assembly,
        obj=run,
        data={"commitment": run.commitment, "randomness_source": source},
    )
    return run


def _notify_selected(respondent: Respondent, assembly: Assembly) -> None:
    if not respondent.email:
        return  # the printable letter reaches them
    try:
        validate_email(respondent.email)
    except ValidationError:
        logger.warning("Not emailing %s: invalid address; print their letter instead.", respondent)
        return
    queue_email(
        to=respondent.email,
        template="selected",
        context={
            "assembly_title": assembly.title,
            "first_name": respondent.first_name,
            "url": settings.SITE_URL.rstrip("/")
            + reverse("lottery:selection_confirm", args=[respondent.confirm_token]),
            "session_dates": [
                str(d) for d in getattr(getattr(assembly, "recruitment", None), "session_dates", [])
            ],
        },
        language=respondent.language,
        assembly=assembly,
    )


@transaction.atomic
def selection_draw(*, run: SelectionRun, randomness: str, by: User) -> SelectionRun:
    """Draw the committed lottery with the public randomness: mark the panel
    selected (they are emailed a confirm link) and the reserves in order."""
    check_can_run_selection(assembly=run.assembly, by=by)
    run = SelectionRun.objects.select_for_update().select_related("assembly").get(pk=run.pk)
    randomness = randomness.strip()
    if run.status != DrawStatus.COMMITTED:
        raise ValidationError(_("Publish the commitment before the draw; this run cannot be drawn now."))
    if not randomness:
        raise ValidationError(
            _("Enter the public randomness exactly as announced (e.g. the dice, in order).")
        )
    bundle = dict(run.bundle)
    index, panel = engine.draw(bundle["panels"], run.commitment, randomness)
    wanted = int(bundle.get("reserves_wanted") or 0)
    reserves = reserve_order(bundle["pool"], panel, run.commitment, randomness)[:wanted]
    bundle.update(randomness=randomness, panel_index=index, selected=list(panel), reserves=reserves)
    run.bundle = bundle
    run.randomness = randomness
    run.panel_index = index
    run.selected = list(panel)
    run.reserves = reserves
    run.status = DrawStatus.DRAWN
    run.drawn_at = timezone.now()
    run.save(
        update_fields=["bundle", "randomness", "panel_index", "selected", "reserves", "status", "drawn_at"]
    )

    assembly = run.assembly
    newly = [p for p in panel if p not in set(bundle.get("seated", []))]
    respondents = {
        r.pseudonym: r
        for r in Respondent.objects.filter(assembly=assembly, pseudonym__in=[*newly, *reserves])
    }
    for pseudonym in newly:
        respondent = respondents.get(pseudonym)
        if respondent is None:  # erased since the computation: the seat stays empty, a replacement fills it
            continue
        respondent.status = RespondentStatus.SELECTED
        respondent.reserve_position = None
        respondent.confirm_token = secrets.token_urlsafe(32)
        respondent.save(update_fields=["status", "reserve_position", "confirm_token"])
        _notify_selected(respondent, assembly)
    for position, pseudonym in enumerate(reserves, start=1):
        respondent = respondents.get(pseudonym)
        if respondent is not None:
            respondent.status = RespondentStatus.RESERVE
            respondent.reserve_position = position
            respondent.save(update_fields=["status", "reserve_position"])
    audit_record(
        action="lottery.panel_drawn",
        by=by,
        assembly=assembly,
        obj=run,
        data={"randomness": randomness, "panel_index": index, "selected": newly, "reserves": len(reserves)},
    )
    return run


# --- confirmation, drop-outs and replacements -----------------------------------


def _by_token(token: str) -> Respondent:
    respondent = (
        Respondent.objects.select_for_update().select_related("assembly").filter(confirm_token=token).first()
        if token
        else None
    )
    if respondent is None:
        raise Respondent.DoesNotExist
    return respondent


@transaction.atomic
def respondent_confirm(*, token: str) -> Respondent:
    """The selected respondent takes their seat: a portal account (login by
    emailed code) and a confirmed Member row. Confirming twice changes nothing."""
    respondent = _by_token(token)
    if respondent.status == RespondentStatus.CONFIRMED:
        return respondent
    if respondent.status != RespondentStatus.SELECTED:
        raise ValidationError(_("This invitation is no longer open. Please contact the organisers."))
    if not respondent.email:
        raise ValidationError(
            _(
                "We have no email address for you, so we cannot open your account. "
                "Please contact the organisers."
            )
        )
    user = ensure_user(email=respondent.email)
    member, _created = Member.objects.get_or_create(
        assembly=respondent.assembly,
        user=user,
        defaults={
            "role": MemberRole.MEMBER,
            "status": MemberStatus.CONFIRMED,
            "display_name": respondent.first_name,
        },
    )
    if member.status != MemberStatus.CONFIRMED or member.role != MemberRole.MEMBER:
        member.status, member.role = MemberStatus.CONFIRMED, MemberRole.MEMBER
        member.save(update_fields=["status", "role"])
    respondent.status = RespondentStatus.CONFIRMED
    respondent.member = member
    respondent.save(update_fields=["status", "member"])
    audit_record(action="lottery.respondent_confirmed", by=None, assembly=respondent.assembly, obj=respondent)
    return respondent


@transaction.atomic
def respondent_decline(*, token: str) -> Respondent:
    respondent = _by_token(token)
    if respondent.status == RespondentStatus.DECLINED:
        return respondent
    if respondent.status != RespondentStatus.SELECTED:
        raise ValidationError(_("This invitation is no longer open. Please contact the organisers."))
    respondent.status = RespondentStatus.DECLINED
    respondent.save(update_fields=["status"])
    audit_record(action="lottery.respondent_declined", by=None, assembly=respondent.assembly, obj=respondent)
    return respondent


@transaction.atomic
def respondent_withdraw(*, respondent: Respondent, by: User) -> Respondent:
    """A member (or a selected respondent) drops out; their seat can be replaced."""
    check_can_run_selection(assembly=respondent.assembly, by=by)
    respondent = Respondent.objects.select_for_update().get(pk=respondent.pk)
    if respondent.status not in ON_PANEL:
        raise ValidationError(_("Only someone on the panel can drop out."))
    respondent.status = RespondentStatus.WITHDRAWN
    respondent.save(update_fields=["status"])
    if respondent.member_id:
        Member.objects.filter(pk=respondent.member_id).update(status=MemberStatus.WITHDRAWN)
    audit_record(action="lottery.respondent_withdrawn", by=by, assembly=respondent.assembly, obj=respondent)
    return respondent


def vacant_seats(assembly: Assembly) -> int:
    drawn = (
        SelectionRun.objects.filter(assembly=assembly, kind=RunKind.SELECTION, status=DrawStatus.DRAWN)
        .only("panel_size")
        .first()
    )
    if drawn is None:
        return 0
    return max(
        0, drawn.panel_size - Respondent.objects.filter(assembly=assembly, status__in=ON_PANEL).count()
    )


@transaction.atomic
def replacement_start(*, respondent: Respondent, by: User, request_key: str = "") -> SelectionRun:
    """Queue a replacement run: everyone still on the panel is seated, the
    engine draws the vacant seats so that every quota still holds."""
    assembly = respondent.assembly
    check_can_run_selection(assembly=assembly, by=by)
    respondent = Respondent.objects.select_for_update().get(pk=respondent.pk)
    recruitment = RecruitmentSettings.objects.filter(assembly=assembly).first()
    if recruitment is not None and recruitment.panel_final_at is not None:
        raise ValidationError(_("The panel is final: replacements are closed."))
    if respondent.status not in (RespondentStatus.DECLINED, RespondentStatus.WITHDRAWN):
        raise ValidationError(_("Only a seat left by someone who declined or dropped out can be refilled."))
    if request_key:
        existing = SelectionRun.objects.filter(request_key=request_key, assembly=assembly).first()
        if existing is not None:
            return existing
    if vacant_seats(assembly) < 1:
        raise ValidationError(_("No seat is vacant: the panel is full."))
    if SelectionRun.objects.filter(
        assembly=assembly,
        kind=RunKind.REPLACEMENT,
        status__in=(*ACTIVE, DrawStatus.COMPUTED, DrawStatus.COMMITTED),
    ).exists():
        raise ValidationError(
            _("A replacement draw is already under way: finish it first (it fills every vacant seat).")
        )
    first = SelectionRun.objects.filter(
        assembly=assembly, kind=RunKind.SELECTION, status=DrawStatus.DRAWN
    ).first()
    assert first is not None  # vacant_seats() > 0 implies a drawn selection
    limit = int(getattr(settings, "SELECTION_TIME_LIMIT", DEFAULT_TIME_LIMIT))
    run = _create_run(
        assembly=assembly,
        request_key=request_key or secrets.token_hex(16),
        by=by,
        kind=RunKind.REPLACEMENT,
        panel_size=first.panel_size,
        lottery_size=first.lottery_size,
        replaces=respondent,
        progress={"time_limit": limit, "stage": "queued", "enqueued": True},
    )
    audit_record(
        action="lottery.replacement_started",
        by=by,
        assembly=assembly,
        obj=run,
        data={"replaces": respondent.pseudonym, "vacant": vacant_seats(assembly)},
    )
    _enqueue(run, limit)
    return run


@transaction.atomic
def panel_finalise(*, assembly: Assembly, by: User) -> RecruitmentSettings:
    """Close replacements; the retention clock for unselected respondents starts."""
    if by is not None and not by.has_perm("lottery.finalise_panel", assembly):
        raise PermissionDenied(_("You may not finalise this panel."))
    recruitment = RecruitmentSettings.objects.select_for_update().filter(assembly=assembly).first()
    if (
        recruitment is None
        or not SelectionRun.objects.filter(
            assembly=assembly, kind=RunKind.SELECTION, status=DrawStatus.DRAWN
        ).exists()
    ):
        raise ValidationError(_("Draw the panel before finalising it."))
    if recruitment.panel_final_at is not None:
        return recruitment
    recruitment.panel_final_at = timezone.now()
    recruitment.save(update_fields=["panel_final_at"])
    audit_record(
        action="lottery.panel_finalised",
        by=by,
        assembly=assembly,
        obj=recruitment,
        data={"retention_days": recruitment.retention_days},
    )
    return recruitment
