"""What institutions did with each adopted recommendation: the formal
response, implementation milestones, and the history of every status change
(so the figures at any past date can be recomputed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assemblies.models import Assembly, Member
from recommendations.models import Recommendation


class Institution(models.Model):
    """A body recommendations are addressed to (a council, a ministry)."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="institutions")
    name = models.CharField(_("name"), max_length=200)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [models.UniqueConstraint(fields=["assembly", "name"], name="one_institution_name")]

    def __str__(self) -> str:
        return self.name


class ResponseStatus(models.TextChoices):
    NO_RESPONSE = "no_response", _("No response yet")
    ACCEPTED = "accepted", pgettext_lazy("response status", "Accepted")
    ACCEPTED_IN_PRINCIPLE = "accepted_in_principle", pgettext_lazy("response status", "Accepted in principle")
    ACCEPTED_WITH_CHANGES = "accepted_with_changes", pgettext_lazy("response status", "Accepted with changes")
    REFERRED = "referred", pgettext_lazy("response status", "Referred to another body")
    REJECTED = "rejected", pgettext_lazy("response status", "Rejected")


class Response(models.Model):
    """The institution's current formal response to one recommendation
    (earlier states are in StatusChange)."""

    recommendation = models.OneToOneField(Recommendation, on_delete=models.CASCADE, related_name="response")
    institution = models.ForeignKey(
        Institution, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    status = models.CharField(
        _("response"), max_length=30, choices=ResponseStatus.choices, default=ResponseStatus.NO_RESPONSE
    )
    responded_on = models.DateField(_("date of the response"), null=True, blank=True)
    due_on = models.DateField(_("response due by"), null=True, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    source_url = models.URLField(_("source document"), blank=True)
    # An institution's own entry (through a private link) waits for review.
    pending = models.JSONField(default=dict, blank=True, editable=False)
    is_published = models.BooleanField(_("shown in public"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.status}"


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    IMPLEMENTED_WEAKER = "implemented_weaker", _("Implemented in a weaker form")
    ABANDONED = "abandoned", _("Abandoned")


class Tracking(models.Model):
    """The tracker's row for a recommendation: its implementation status now and notes."""

    recommendation = models.OneToOneField(Recommendation, on_delete=models.CASCADE, related_name="tracking")
    implementation_status = models.CharField(
        _("implementation"),
        max_length=30,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.NOT_STARTED,
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tracking")
        verbose_name_plural = _("tracking")

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.implementation_status}"


class MilestoneKind(models.TextChoices):
    LAW = "law", _("Law")
    BUDGET = "budget", _("Budget line")
    DECREE = "decree", _("Decree or regulation")
    PROGRAMME = "programme", _("Programme")
    OTHER = "other", _("Other")


class Milestone(models.Model):
    """A dated step of implementation, with its evidence."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField(_("date"))
    title = models.CharField(_("what happened"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=20, choices=MilestoneKind.choices, default=MilestoneKind.OTHER
    )
    status = models.CharField(
        _("implementation status after it"), max_length=30, choices=ImplementationStatus.choices
    )
    evidence_url = models.URLField(_("evidence"), blank=True)
    enacted_text = models.TextField(
        _("what was enacted"),
        blank=True,
        help_text=_("For a weaker form: the text as enacted, compared with the recommendation."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["recommendation", "date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class StatusChange(models.Model):
    """One change to a recommendation's tracker (who, what, when, with which
    evidence): the history the headline over time is computed from."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="status_changes"
    )
    field = models.CharField(max_length=40)  # e.g. "response_status", "implementation_status", "notes"
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    effective_on = models.DateField()  # the date the change took effect (a response's date, a milestone's)
    evidence_url = models.URLField(blank=True)
    source = models.CharField(max_length=20, default="admin")  # admin, import, institution, system
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "effective_on", "recorded_at", "id"]
        indexes = [models.Index(fields=["recommendation", "field", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.recommendation_id} {self.field}: {self.old} → {self.new}"


class Rating(models.Model):
    """A member's rating of a response, 0 to 10."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="ratings")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="response_ratings")
    score = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "member"], name="one_rating_per_member"),
            models.CheckConstraint(condition=Q(score__lte=10), name="rating_0_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.score}/10"


def _token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class InstitutionLink(models.Model):
    """A private, expiring, single-use link an institution uses to enter its
    response to one recommendation; the entry waits in ``Response.pending``."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="links")
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    email = models.EmailField(_("sent to"), blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("institution link")
        verbose_name_plural = _("institution links")

    def __str__(self) -> str:
        return f"link {self.pk} for {self.response_id}"


class ImpactArea(models.TextChoices):
    STATE = "state_actors", _("State actors")
    NON_STATE = "non_state_actors", _("Non-state actors and civil society")
    SYSTEMS = "systems_structures", _("Systems and structures")


class ImpactType(models.TextChoices):
    INSTRUMENTAL = "instrumental", _("Instrumental")
    CAPACITY = "capacity", _("Capacity")
    CONCEPTUAL = "conceptual", _("Conceptual")


class ImpactTag(models.Model):
    """Impact beyond the text (KNOCA framework): an area and a type, on a
    recommendation or on one of its milestones."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="impact_tags")
    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, null=True, blank=True, related_name="impact_tags"
    )
    area = models.CharField(_("area"), max_length=30, choices=ImpactArea.choices)
    kind = models.CharField(_("type"), max_length=20, choices=ImpactType.choices)
    description = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        ordering = ["recommendation", "area", "kind", "id"]
        verbose_name = _("impact tag")
        verbose_name_plural = _("impact tags")

    def __str__(self) -> str:
        return f"{self.get_area_display()} · {self.get_kind_display()}"


class Follower(models.Model):
    """Someone who hears by email when a recommendation's status (or any of
    an assembly's) changes. Double opt-in: nothing is sent before ``confirmed_at``."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="tracker_followers")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="followers"
    )
    email = models.EmailField(_("email"))
    language = models.CharField(max_length=10, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "recommendation", "email"], name="one_follow_per_email"
            ),
            models.UniqueConstraint(
                fields=["assembly", "email"],
                condition=Q(recommendation__isnull=True),
                name="one_assembly_follow_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"follower {self.pk}"


class Reminder(models.Model):
    """One reminder sent about an object (an overdue response) in one week,
    so that the beat task reminds once per week whatever its schedule."""

    kind = models.CharField(max_length=40)
    object_id = models.PositiveIntegerField()
    week = models.CharField(max_length=10)  # ISO year-week, e.g. "2026-W49"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "week"], name="one_reminder_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.week}"


class Notified(models.Model):
    """A status change already announced to followers (once per change)."""

    change = models.OneToOneField(StatusChange, on_delete=models.CASCADE, related_name="notified")
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"change {self.change_id} announced"
