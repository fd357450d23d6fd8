"""Members as the deliberation sees them: badge code, calendar feed, access
needs, and their attendance at each session."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assemblies.models import Member

from .sessions import Session

# Badge codes avoid letters and digits that look alike (0/O, 1/I/L).
BADGE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_badge_code() -> str:
    return "".join(secrets.choice(BADGE_ALPHABET) for _ in range(6))


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class AccessNeed(models.TextChoices):
    STEP_FREE = "step_free", _("Step-free access")
    INTERPRETER = "interpreter", _("Interpreter")
    HEARING_LOOP = "hearing_loop", _("Hearing loop")
    DIET = "diet", _("Dietary needs")
    CHILDCARE = "childcare", _("Childcare")


class Participant(models.Model):
    """One per member (created on first need): the short code on their badge,
    the token of their private calendar feed, and their access needs (taken
    from their registration, editable by organisers)."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="participant")
    badge_code = models.CharField(_("badge code"), max_length=12, unique=True, default=new_badge_code)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token, editable=False)
    access_needs = models.JSONField(_("access needs"), default=list, blank=True)  # AccessNeed values
    interpreter_language = models.CharField(_("interpreter for"), max_length=80, blank=True)
    access_notes = models.TextField(_("other needs"), blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return str(self.member)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    """Whether a member came to a session. One row per member and session;
    a check-in carries the key its phone made, so a retry is never doubled."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("status"), max_length=20, choices=AttendanceStatus.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_key = models.CharField(max_length=64, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"], name="one_attendance_per_member_and_session"
            ),
            models.UniqueConstraint(
                fields=["client_key"], condition=~models.Q(client_key=""), name="attendance_client_key_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.session}"
