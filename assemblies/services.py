"""Writes that change an assembly's life. Keyword-only, one transaction each."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from notifications.services import queue_email

from .audit import audit_record
from .models import Assembly, AssemblyKind, Member, MemberStatus, Stage
from .registry import registry
from .rules import CHANGE_STAGE

User = AbstractBaseUser | AnonymousUser
# has_perm lives on PermissionsMixin; every user model here has it.

# Allowed moves. Backwards moves exist only where organisers genuinely need to
# reopen a step (e.g. recruitment fell short, or a ballot must be rerun).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.DRAFT: (Stage.RECRUITING,),
    Stage.RECRUITING: (Stage.SELECTING, Stage.DRAFT),
    Stage.SELECTING: (Stage.DELIBERATING, Stage.RECRUITING),
    Stage.DELIBERATING: (Stage.DECIDING,),
    Stage.DECIDING: (Stage.PUBLISHED, Stage.DELIBERATING),
    Stage.PUBLISHED: (Stage.FOLLOW_UP, Stage.CLOSED),
    Stage.FOLLOW_UP: (Stage.CLOSED,),
    Stage.CLOSED: (),
}
# Community assemblies are hosted by anyone and have no lottery of their own.
COMMUNITY_EXTRA: dict[str, tuple[str, ...]] = {Stage.DRAFT: (Stage.DELIBERATING,)}

# Stages that members are told about by email.
MEMBER_NOTICE_STAGES = (Stage.DELIBERATING, Stage.DECIDING, Stage.PUBLISHED, Stage.FOLLOW_UP)


def allowed_stages(assembly: Assembly) -> list[str]:
    moves = list(TRANSITIONS[assembly.stage])
    if assembly.kind == AssemblyKind.COMMUNITY:
        moves += COMMUNITY_EXTRA.get(assembly.stage, ())
    return moves


def check_assembly_transition(*, assembly: Assembly, to_stage: str, by: User) -> None:
    """Raise PermissionDenied or ValidationError when the move is not allowed."""
    if not by.has_perm(CHANGE_STAGE, assembly):  # type: ignore[union-attr]
        raise PermissionDenied(_("You may not change this assembly's stage."))
    if to_stage not in Stage.values:
        raise ValidationError(_("“%(stage)s” is not a stage.") % {"stage": to_stage})
    if to_stage not in allowed_stages(assembly):
        raise ValidationError(
            _("An assembly cannot go from %(from)s to %(to)s.")
            % {"from": Stage(assembly.stage).label, "to": Stage(to_stage).label}
        )
    # Other apps' conditions, e.g. "a ballot is still open".
    if refusals := registry.refusals(assembly, to_stage):
        raise ValidationError([str(reason) for reason in refusals])


@transaction.atomic
def assembly_transition(*, assembly: Assembly, to_stage: str, by: User) -> Assembly:
    """Move an assembly to another stage: check, save, audit, notify on commit.

    Locks the assembly row so that two organisers clicking at once cannot both
    move it from the same stage.
    """
    locked = Assembly.objects.select_for_update().get(pk=assembly.pk)
    check_assembly_transition(assembly=locked, to_stage=to_stage, by=by)
    from_stage = locked.stage
    locked.stage = to_stage
    locked.stage_changed_at = timezone.now()
    locked.save(update_fields=["stage", "stage_changed_at"])
    audit_record(
        action="assembly.stage_changed",
        by=by,
        assembly=locked,
        obj=locked,
        data={"from": from_stage, "to": to_stage},
    )
    if to_stage in MEMBER_NOTICE_STAGES:
        _notify_members_of_stage(locked)
    for hook in registry.stage_hooks:
        transaction.on_commit(
            lambda hook=hook: hook(locked, from_stage, to_stage, by)  # type: ignore[misc]
        )
    assembly.stage, assembly.stage_changed_at = locked.stage, locked.stage_changed_at
    return locked


def _notify_members_of_stage(assembly: Assembly) -> None:
    url = settings.SITE_URL + reverse("portal:assembly", kwargs={"slug": assembly.slug})
    languages = assembly.languages or ["en"]
    members = (
        Member.objects.active()
        .filter(assembly=assembly, status=MemberStatus.CONFIRMED)
        .select_related("user")
    )
    with translation.override(languages[0]):
        stage_label = str(Stage(assembly.stage).label)
    for member in members:
        email = member.user.email
        if not email:
            continue
        queue_email(
            to=email,
            template="stage_changed",
            language=languages[0],
            assembly=assembly,
            user=member.user,
            context={"assembly_title": assembly.title, "stage_label": stage_label, "url": url},
        )
