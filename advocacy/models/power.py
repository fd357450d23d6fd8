"""Power literacy: who decides and who sways them (stakeholders on Gaventa's
power cube, with their stance on each recommendation) and the insider and
outsider tactics used to move them.

``internal_notes`` are the organisers' own: they are shown on organiser
screens and in the admin only, never on a member's page, a public page or the API.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assemblies.models import Assembly
from recommendations.models import Recommendation


class StakeholderKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Stance(models.TextChoices):
    CHAMPION = "champion", _("Champion")
    ALLY = "ally", _("Ally")
    NEUTRAL = "neutral", _("Neutral")
    OPPONENT = "opponent", _("Opponent")
    UNKNOWN = "unknown", _("Unknown")


class Space(models.TextChoices):
    """Gaventa's power cube: where decisions are made."""

    CLOSED = "closed", pgettext_lazy("power space", "Closed")
    INVITED = "invited", _("Invited")
    CLAIMED = "claimed", _("Claimed")


class PowerLevel(models.TextChoices):
    LOCAL = "local", _("Local")
    NATIONAL = "national", _("National")
    GLOBAL = "global", _("Global")


class PowerForm(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden")
    INVISIBLE = "invisible", _("Invisible")


class Stakeholder(models.Model):
    """A person or organisation with a say over whether recommendations happen."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("person or organisation"),
        max_length=20,
        choices=StakeholderKind.choices,
        default=StakeholderKind.ORGANISATION,
    )
    role = models.CharField(
        _("role"), max_length=300, blank=True, help_text=_("What they do, in a few words.")
    )
    influence = models.PositiveSmallIntegerField(
        _("influence"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("From 1 (little say) to 5 (decides)."),
    )
    space = models.CharField(_("space"), max_length=20, choices=Space.choices, default=Space.CLOSED)
    level = models.CharField(_("level"), max_length=20, choices=PowerLevel.choices, default=PowerLevel.LOCAL)
    form = models.CharField(
        _("form of power"), max_length=20, choices=PowerForm.choices, default=PowerForm.VISIBLE
    )
    internal_notes = models.TextField(
        _("internal notes"),
        blank=True,
        help_text=_("For the organisers only: never shown to members, on public pages or in the API."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-influence", "name", "id"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        constraints = [
            models.UniqueConstraint(fields=["assembly", "name"], name="one_stakeholder_name"),
            models.CheckConstraint(
                condition=models.Q(influence__gte=1, influence__lte=5), name="stakeholder_influence_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StakeholderStance(models.Model):
    """Where one stakeholder stands on one recommendation."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="stances")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="stakeholder_stances"
    )
    stance = models.CharField(_("stance"), max_length=20, choices=Stance.choices, default=Stance.UNKNOWN)

    class Meta:
        ordering = ["recommendation__number", "id"]
        verbose_name = _("stance")
        verbose_name_plural = _("stances")
        constraints = [
            models.UniqueConstraint(
                fields=["stakeholder", "recommendation"], name="one_stance_per_recommendation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder_id} on {self.recommendation_id}: {self.stance}"


class TacticKind(models.TextChoices):
    INSIDER = "insider", _("Insider")
    OUTSIDER = "outsider", _("Outsider")


class TacticMethod(models.TextChoices):
    BRIEFING = "briefing", _("Briefing")
    SUBMISSION = "submission", _("Formal submission")
    PARLIAMENTARY_QUESTION = "parliamentary_question", _("Parliamentary question")
    COMMITTEE_HEARING = "committee_hearing", _("Committee hearing")
    OFFICIALS = "officials", _("Work with officials")
    CAMPAIGN = "campaign", _("Campaign")
    MEDIA = "media", _("Media")
    PETITION = "petition", _("Petition")
    MOBILISING = "mobilising", _("Mobilising communities")
    CULTURAL = "cultural", _("Cultural work")


INSIDER_METHODS = frozenset(
    {
        TacticMethod.BRIEFING,
        TacticMethod.SUBMISSION,
        TacticMethod.PARLIAMENTARY_QUESTION,
        TacticMethod.COMMITTEE_HEARING,
        TacticMethod.OFFICIALS,
    }
)


def kind_of(method: str) -> str:
    return TacticKind.INSIDER if method in INSIDER_METHODS else TacticKind.OUTSIDER


class TacticStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("tactic status", "Planned")
    UNDER_WAY = "under_way", pgettext_lazy("tactic status", "Under way")
    DONE = "done", pgettext_lazy("tactic status", "Done")
    DROPPED = "dropped", pgettext_lazy("tactic status", "Dropped")


class Tactic(models.Model):
    """One way of applying pressure: from inside (briefings, hearings) or outside (campaigns, media)."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="tactics")
    title = models.CharField(_("title"), max_length=300)
    method = models.CharField(_("method"), max_length=30, choices=TacticMethod.choices)
    # Follows from the method (saved so that lists can count without Python).
    kind = models.CharField(
        _("insider or outsider"), max_length=20, choices=TacticKind.choices, editable=False
    )
    target = models.ForeignKey(
        Stakeholder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tactics",
        verbose_name=_("target"),
    )
    recommendations = models.ManyToManyField(
        Recommendation, related_name="tactics", verbose_name=_("recommendations it serves")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    owner_name = models.CharField(
        _("owner (if not a user)"),
        max_length=200,
        blank=True,
        help_text=_("A partner organisation or a member."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TacticStatus.choices, default=TacticStatus.PLANNED
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "title", "id"]
        verbose_name = _("tactic")
        verbose_name_plural = _("tactics")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.kind = kind_of(self.method)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def owner_label(self) -> str:
        if self.owner_id and self.owner is not None:
            return str(self.owner.get_full_name() or self.owner)
        return self.owner_name
