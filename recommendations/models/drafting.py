"""Drafting: working groups own recommendations; every save is a version;
members comment and propose amendments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assemblies.models import Assembly, Member


class WorkingGroup(models.Model):
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="working_groups")
    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField(
        Member, blank=True, related_name="working_groups", verbose_name=_("members")
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_working_groups",
        verbose_name=_("facilitator"),
    )
    topics = models.ManyToManyField("deliberation.Topic", blank=True, related_name="working_groups")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        constraints = [models.UniqueConstraint(fields=["assembly", "name"], name="one_working_group_name")]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    LOCAL = "local", _("Local government")
    REGIONAL = "regional", _("Regional government")
    NATIONAL = "national", _("National government")
    OTHER = "other", _("Other body")


class RecommendationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    TO_VOTE = "to_vote", _("Put to the vote")
    ADOPTED = "adopted", pgettext_lazy("recommendation status", "Adopted")
    NOT_ADOPTED = "not_adopted", pgettext_lazy("recommendation status", "Not adopted")
    WITHDRAWN = "withdrawn", pgettext_lazy("recommendation status", "Withdrawn")


class Recommendation(models.Model):
    """The one aggregate that publication, reports and advocacy point at. Its
    text fields are the current version's (``version`` counts the saves, for
    conflict detection: a save based on an older version is refused)."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveIntegerField(_("number"))
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("working group"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("recommendation"), help_text=_("Markdown: paragraphs, lists, emphasis."))
    rationale = models.TextField(_("rationale"), blank=True)
    impact = models.TextField(_("expected impact"), blank=True)
    addressee = models.CharField(_("addressed to"), max_length=300, blank=True)
    level = models.CharField(_("level of government"), max_length=20, choices=Level.choices, blank=True)
    topics = models.ManyToManyField("deliberation.Topic", blank=True, related_name="recommendations")
    evidence = models.ManyToManyField("deliberation.Evidence", blank=True, related_name="recommendations")
    # Facilitators' table outputs it draws on (ids of deliberation's TableOutput rows).
    table_output_ids = models.JSONField(default=list, blank=True)
    title_translations = models.JSONField(_("title in other languages"), default=dict, blank=True)
    text_translations = models.JSONField(_("text in other languages"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    from_amendment = models.OneToOneField(
        "recommendations.Amendment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="became",
        help_text=_("A rejected amendment that became a recommendation of its own."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assembly", "number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["assembly", "number"], name="one_recommendation_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Version(models.Model):
    """A saved state of a recommendation's text (never changed afterwards)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    text = models.TextField()
    rationale = models.TextField(blank=True)
    impact = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    amendment = models.ForeignKey(
        "recommendations.Amendment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_in",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} v{self.number}"


class Comment(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="comments")
    paragraph = models.PositiveIntegerField(null=True, blank=True)  # None: on the whole draft
    version = models.PositiveIntegerField(default=0)  # the version the member read
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)  # sent in a working group's digest

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"comment {self.pk}"


class AmendmentState(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("amendment state", "Proposed")
    ACCEPTED = "accepted", pgettext_lazy("amendment state", "Accepted")
    REJECTED = "rejected", pgettext_lazy("amendment state", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("amendment state", "Withdrawn")
    TO_VOTE = "to_vote", _("Put to the vote")


class Amendment(models.Model):
    """A proposed change to one paragraph of a recommendation."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="amendments")
    paragraph = models.PositiveIntegerField()
    base_version = models.PositiveIntegerField()
    original = models.TextField()
    proposed = models.TextField(_("proposed text"))
    explanation = models.TextField(_("why"), blank=True)
    author = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="amendments")
    state = models.CharField(max_length=20, choices=AmendmentState.choices, default=AmendmentState.PROPOSED)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return f"amendment {self.pk} to {self.recommendation_id}"


class AmendmentSupport(models.Model):
    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="supports")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="amendment_supports")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["amendment", "member"], name="support_once")]

    def __str__(self) -> str:
        return f"support of amendment {self.amendment_id}"
