"""Publish a run's commitment, then draw the panel with the public randomness."""

from __future__ import annotations

import logging
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import Actor
from assemblies.audit import audit_record
from assemblies.models import Assembly
from lottery import engine
from lottery.models import DrawStatus, Respondent, RespondentStatus, RunKind, SelectionRun
from notifications.services import queue_email

from ..bundle import bundle_commitment, reserve_order
from ..notices import notify_reserve, selected_context
from .runs import check_can_run_selection

logger = logging.getLogger(__name__)


@transaction.atomic
def selection_publish_commitment(*, run: SelectionRun, randomness_source: str, by: Actor) -> SelectionRun:
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
        context=selected_context(respondent, assembly),  # contact, dates, short code, own language
        language=respondent.language,
        assembly=assembly,
    )


@transaction.atomic
def selection_draw(*, run: SelectionRun, randomness: str, by: Actor) -> SelectionRun:
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
            notify_reserve(respondent, assembly)
    audit_record(
        action="lottery.panel_drawn",
        by=by,
        assembly=assembly,
        obj=run,
        data={"randomness": randomness, "panel_index": index, "selected": newly, "reserves": len(reserves)},
    )
    return run
