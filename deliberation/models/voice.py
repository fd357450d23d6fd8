"""Members' voice and care: announcements from the organisers, the code of
conduct and safeguarding contacts, and concerns members raise privately."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assemblies.models import Assembly, Member
from assemblies.translations import translated

from .sessions import Session


class AssemblyCare(models.Model):
    """What a member reads before raising a concern: the code of conduct and
    the people who look after safeguarding (one row per assembly)."""

    assembly = models.OneToOneField(Assembly, on_delete=models.CASCADE, related_name="care")
    code_of_conduct = models.TextField(_("code of conduct"), blank=True)
    code_of_conduct_translations = models.JSONField(
        _("code of conduct in other languages"), default=dict, blank=True
    )
    safeguarding_contacts = models.TextField(
        _("safeguarding contacts"),
        blank=True,
        help_text=_("One person a line: name, role, how to reach them."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("code of conduct and safeguarding")
        verbose_name_plural = _("codes of conduct and safeguarding")

    def __str__(self) -> str:
        return str(self.assembly)

    def code_of_conduct_in(self, language: str | None = None) -> str:
        return translated(self.code_of_conduct, self.code_of_conduct_translations, language)

    @property
    def contact_lines(self) -> list[str]:
        return [line.strip() for line in self.safeguarding_contacts.splitlines() if line.strip()]


class Audience(models.TextChoices):
    ALL = "all", _("All active members")
    SESSION = "session", _("The members invited to a session")
    TABLE = "table", _("The members of a table")
    # A kind of group another app adds (deliberation.voice.audiences), e.g. a working group.
    GROUP = "group", _("The members of a group")


class Announcement(models.Model):
    """A message from the organisers to members, sent once through the outbox
    (a printed letter for those without an email address)."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="announcements")
    audience = models.CharField(_("to"), max_length=20, choices=Audience.choices, default=Audience.ALL)
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("session"),
    )
    # A table of a table plan (the tables part's model), kept as plain text
    # so the announcement outlives a re-plan.
    group_label = models.CharField(_("group"), max_length=200, blank=True)
    # For Audience.GROUP: the kind of group (a key of deliberation.voice.audiences,
    # e.g. "working_group") and its id, plain values since its model lives in another app.
    group_key = models.CharField(_("kind of group"), max_length=40, blank=True)
    group_id = models.PositiveIntegerField(_("group id"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    subject_translations = models.JSONField(_("subject in other languages"), default=dict, blank=True)
    body_translations = models.JSONField(_("message in other languages"), default=dict, blank=True)
    emails = models.PositiveIntegerField(_("emails"), default=0)
    letters = models.PositiveIntegerField(_("letters"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.subject

    def subject_in(self, language: str | None = None) -> str:
        return translated(self.subject, self.subject_translations, language)

    def body_in(self, language: str | None = None) -> str:
        return translated(self.body, self.body_translations, language)

    def audience_label(self) -> str:
        """Who it went to: "All active members", or the kind of group ("The members of a working group")."""
        if self.audience == Audience.GROUP:
            from ..voice.audiences import get

            extra = get(self.group_key)
            if extra is not None:
                return str(extra.label)
        return str(self.get_audience_display())


class Delivery(models.TextChoices):
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Printed letter")


class AnnouncementRecipient(models.Model):
    """Who an announcement reached and how (so a member sees exactly the
    announcements sent to them)."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="recipients")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="announcements_received")
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    language = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["announcement", "member"], name="announcement_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.member_id}"


class ConcernStatus(models.TextChoices):
    OPEN = "open", _("Sent, not yet read")
    ACKNOWLEDGED = "acknowledged", _("Read by the organisers")
    CLOSED = "closed", pgettext_lazy("concern status", "Closed")


class Concern(models.Model):
    """A member's private concern, read only by organisers who may see personal data."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="concerns")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="concerns")
    text = models.TextField(_("your concern"))
    status = models.CharField(
        _("status"), max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.OPEN
    )
    note = models.TextField(
        _("note to the member"), blank=True, help_text=_("The member reads this with the status.")
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        indexes = [models.Index(fields=["assembly", "status"])]

    def __str__(self) -> str:
        # Never the text: this string reaches audit events.
        return f"Concern #{self.pk}"
