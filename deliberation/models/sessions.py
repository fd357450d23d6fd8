"""The learning programme: sessions, their agenda, speakers, topics and evidence."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class SessionQuerySet(models.QuerySet["Session"]):
    def public(self) -> SessionQuerySet:
        """Sessions the public may see: marked public, of a public assembly, not cancelled."""
        return self.filter(is_public=True, assembly__is_public=True).exclude(status=SessionStatus.CANCELLED)

    def upcoming(self, now: dt.datetime) -> SessionQuerySet:
        return self.filter(ends_at__gte=now).exclude(status=SessionStatus.CANCELLED)


class Session(models.Model):
    """A day (or half-day) of the assembly: where, when, and for whom."""

    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("assembly")
    )
    title = models.CharField(_("title"), max_length=200)
    title_translations = models.JSONField(_("title in other languages"), default=dict, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(
        _("where"), max_length=20, choices=SessionMode.choices, default=SessionMode.IN_PERSON
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.TextField(_("venue address"), blank=True)
    access_info = models.TextField(
        _("how to get there and access"),
        blank=True,
        help_text=_("Public transport, parking, step-free entrance, hearing loop, quiet room."),
    )
    online_url = models.URLField(_("link to join online"), blank=True)
    is_public = models.BooleanField(
        _("public session"),
        default=False,
        help_text=_("Listed in the public programme and its calendar feed."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    notes_for_members = models.TextField(_("notes for members"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Reminders already sent (the beat job sends each once).
    week_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    day_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The iCal SEQUENCE: bumped by each change of time or place (calendars update).
    sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["assembly", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class AgendaKind(models.TextChoices):
    TALK = "talk", _("Talk")
    QA = "qa", _("Questions and answers")
    TABLES = "tables", _("Table discussion")
    PLENARY = "plenary", _("Plenary")
    BREAK = "break", _("Break")
    VOTE = "vote", _("Vote")


class Topic(models.Model):
    """A part of the remit the programme covers (also used by drafting)."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(_("name"), max_length=200)
    name_translations = models.JSONField(_("name in other languages"), default=dict, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(fields=["assembly", "name"], name="one_topic_name_per_assembly")
        ]

    def __str__(self) -> str:
        return self.name


class SpeakerKind(models.TextChoices):
    EXPERT = "expert", _("Expert")
    ADVOCATE = "advocate", _("Advocate")
    STAKEHOLDER = "stakeholder", _("Stakeholder")
    LIVED_EXPERIENCE = "lived_experience", _("Lived experience")


class Stance(models.TextChoices):
    """The position a speaker represents on their topic, for the balance view."""

    INFORMING = "informing", _("Informing (no position)")
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    MIXED = "mixed", _("Mixed or conditional")


class Speaker(models.Model):
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SpeakerKind.choices, default=SpeakerKind.EXPERT)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    interests = models.TextField(
        _("declared interests"),
        blank=True,
        help_text=_("Funding, employment, memberships: anything members should know."),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speakers",
        verbose_name=_("topic"),
    )
    stance = models.CharField(_("position"), max_length=20, choices=Stance.choices, default=Stance.INFORMING)
    position = models.CharField(
        _("position in their words"),
        max_length=300,
        blank=True,
        help_text=_("e.g. “A congestion charge, with exemptions”"),
    )
    biography = models.TextField(_("short biography"), blank=True)
    is_public = models.BooleanField(_("named in the public programme"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="items", verbose_name=_("session")
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaKind.choices, default=AgendaKind.TALK)
    title = models.CharField(_("title"), max_length=200)
    title_translations = models.JSONField(_("title in other languages"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    minutes = models.PositiveIntegerField(_("length in minutes"), default=30)
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="items", verbose_name=_("topic")
    )
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="items", verbose_name=_("speakers"))
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_items", verbose_name=_("facilitators")
    )

    class Meta:
        ordering = ["session", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=24 * 60), name="agenda_item_minutes"
            )
        ]

    def __str__(self) -> str:
        return self.title


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    SLIDES = "slides", _("Slides")
    RECORDING = "recording", _("Recording (link)")
    SUMMARY = "summary", _("Plain-language summary")


class Evidence(models.Model):
    """Something members read, watch or hear. Files live in private storage and
    are served through a view that checks who asks (never from /media/)."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("agenda item"),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("topic"),
    )
    speaker = models.ForeignKey(
        Speaker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("speaker"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=EvidenceKind.choices, default=EvidenceKind.DOCUMENT
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("plain-language summary"), blank=True)
    file = models.FileField(_("file"), upload_to="deliberation/evidence/", blank=True)
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    url = models.URLField(
        _("link"), blank=True, help_text=_("For recordings and documents published elsewhere.")
    )
    is_published = models.BooleanField(
        _("in the public evidence library"),
        default=False,
        help_text=_("Members always see it in the portal."),
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title
