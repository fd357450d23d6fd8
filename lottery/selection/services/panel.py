"""After the draw: the selected confirm or decline (by their link), members
drop out, vacant seats go to the first reserve who keeps every quota (or, when
none does, to a replacement draw), the panel is made final.

The replacement rule is in ``lottery.selection.reserves``: a decline or a
drop-out offers the seat at once to the first fitting reserve, who is emailed
like anyone drawn; a seat no reserve can take stays vacant until an organiser
starts a replacement draw (which needs public randomness, so it is never
automatic). Once the panel is final, nobody is called any more."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import ensure_user
from assemblies.actors import Actor, authorise
from assemblies.audit import audit_record
from assemblies.models import Assembly, Member, MemberRole, MemberStatus
from lottery.models import (
    DrawStatus,
    RecruitmentSettings,
    Respondent,
    RespondentStatus,
    RunKind,
    SelectionRun,
)
from lottery.rules import FINALISE_PANEL

from ..problem import ON_PANEL
from ..reserves import CALLED, NO_FIT, first_fitting_reserve
from ..selectors import ACTIVE, vacant_seats
from .draw import _notify_selected as notify_selected
from .runs import DEFAULT_TIME_LIMIT, check_can_run_selection, create_run, enqueue_run


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
def respondent_confirm(*, token: str, by: Actor) -> Respondent:
    """The selected respondent takes their seat: a portal account (login by
    emailed code) and a confirmed Member row. Confirming twice changes nothing.

    The link's token is the respondent's authority: the public page passes
    SYSTEM; an organiser acting for them needs RUN_SELECTION."""
    respondent = _by_token(token)
    check_can_run_selection(assembly=respondent.assembly, by=by)
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
    audit_record(action="lottery.respondent_confirmed", by=by, assembly=respondent.assembly, obj=respondent)
    return respondent


@transaction.atomic
def respondent_decline(*, token: str, by: Actor) -> Respondent:
    """The selected respondent gives up their seat (as ``respondent_confirm``)."""
    respondent = _by_token(token)
    check_can_run_selection(assembly=respondent.assembly, by=by)
    if respondent.status == RespondentStatus.DECLINED:
        return respondent
    if respondent.status != RespondentStatus.SELECTED:
        raise ValidationError(_("This invitation is no longer open. Please contact the organisers."))
    respondent.status = RespondentStatus.DECLINED
    respondent.save(update_fields=["status"])
    audit_record(action="lottery.respondent_declined", by=by, assembly=respondent.assembly, obj=respondent)
    _offer_seat(leaving=respondent, by=by)
    return respondent


@transaction.atomic
def respondent_withdraw(*, respondent: Respondent, by: Actor) -> Respondent:
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
    _offer_seat(leaving=respondent, by=by)
    return respondent


def _panel_is_final(assembly: Assembly) -> bool:
    return RecruitmentSettings.objects.filter(assembly=assembly, panel_final_at__isnull=False).exists()


def _offer_seat(*, leaving: Respondent, by: Actor) -> Respondent | None:
    """Give ``leaving``'s seat to the first reserve who keeps every quota:
    they become selected, get their own confirm link and are emailed. Records
    the outcome (who was called, who was skipped and why) either way; returns
    the reserve, or None when none fits (the seat waits for a replacement
    draw) or the panel is final. Runs inside the caller's transaction."""
    assembly = leaving.assembly
    if _panel_is_final(assembly) or vacant_seats(assembly) < 1:
        return None
    # One caller at a time decides who is next on the list.
    list(Respondent.objects.select_for_update().filter(assembly=assembly, status=RespondentStatus.RESERVE))
    chosen, skipped = first_fitting_reserve(assembly)
    passed_over = [
        {"position": c.position, "reserve": c.respondent.pseudonym, "misfit": c.misfit and c.misfit.as_data()}
        for c in skipped
    ]
    if chosen is None:
        audit_record(
            action=NO_FIT,
            by=by,
            assembly=assembly,
            obj=leaving,
            data={"replaces": leaving.pseudonym, "skipped": passed_over},
        )
        return None
    reserve = chosen.respondent
    reserve.status = RespondentStatus.SELECTED
    reserve.reserve_position = None
    reserve.confirm_token = secrets.token_urlsafe(32)
    reserve.save(update_fields=["status", "reserve_position", "confirm_token"])
    audit_record(
        action=CALLED,
        by=by,
        assembly=assembly,
        obj=reserve,
        data={
            "replaces": leaving.pseudonym,
            "reserve": reserve.pseudonym,
            "position": chosen.position,
            "skipped": passed_over,
        },
    )
    notify_selected(reserve, assembly)
    return reserve


@transaction.atomic
def reserve_call(*, respondent: Respondent, by: Actor) -> Respondent:
    """Offer the seat ``respondent`` left to the first reserve who keeps every
    quota (for a vacancy no reserve could take when it arose, e.g. before
    another seat fell vacant). ValidationError when none fits."""
    assembly = respondent.assembly
    check_can_run_selection(assembly=assembly, by=by)
    respondent = Respondent.objects.select_for_update().select_related("assembly").get(pk=respondent.pk)
    _check_refillable(respondent)
    reserve = _offer_seat(leaving=respondent, by=by)
    if reserve is None:
        raise ValidationError(_("No reserve keeps every quota: draw a replacement instead."))
    return reserve


def _check_refillable(respondent: Respondent) -> None:
    if _panel_is_final(respondent.assembly):
        raise ValidationError(_("The panel is final: replacements are closed."))
    if respondent.status not in (RespondentStatus.DECLINED, RespondentStatus.WITHDRAWN):
        raise ValidationError(_("Only a seat left by someone who declined or dropped out can be refilled."))
    if vacant_seats(respondent.assembly) < 1:
        raise ValidationError(_("No seat is vacant: the panel is full."))


@transaction.atomic
def replacement_start(*, respondent: Respondent, by: Actor, request_key: str = "") -> SelectionRun:
    """Queue a replacement run: everyone still on the panel is seated, the
    engine draws the vacant seats so that every quota still holds. Only when
    no reserve keeps the quotas: reserves come first."""
    assembly = respondent.assembly
    check_can_run_selection(assembly=assembly, by=by)
    respondent = Respondent.objects.select_for_update().select_related("assembly").get(pk=respondent.pk)
    if request_key:
        existing = SelectionRun.objects.filter(request_key=request_key, assembly=assembly).first()
        if existing is not None:
            return existing
    _check_refillable(respondent)
    chosen, _skipped = first_fitting_reserve(assembly)
    if chosen is not None:
        raise ValidationError(
            _("Reserve no. %(n)s keeps every quota: offer them the seat before drawing a replacement.")
            % {"n": chosen.position}
        )
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
    run = create_run(
        assembly=assembly,
        request_key=request_key or secrets.token_hex(16),
        by=by,
        kind=RunKind.REPLACEMENT,
        panel_size=first.panel_size,
        lottery_size=first.lottery_size,
        replaces=respondent,
    )
    audit_record(
        action="lottery.replacement_started",
        by=by,
        assembly=assembly,
        obj=run,
        data={"replaces": respondent.pseudonym, "vacant": vacant_seats(assembly)},
    )
    enqueue_run(run, limit)
    return run


@transaction.atomic
def panel_finalise(*, assembly: Assembly, by: Actor) -> RecruitmentSettings:
    """Close replacements; the retention clock for unselected respondents starts."""
    authorise(by, FINALISE_PANEL, assembly, _("You may not finalise this panel."))
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
