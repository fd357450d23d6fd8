"""Stage 2: the pool of respondents, their answers and the quotas."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly
from assemblies.translations import translated, translation_errors

from .invitations import CODE_LENGTH, new_pseudonym, new_registration_code

_TRANSLATIONS_HELP = _(
    'The same text in the assembly’s other languages, by language code, e.g. {"fr": "Quel âge avez-vous ?"}.'
)


def _validate_translations(translations: object) -> None:
    """Keys must be language codes from settings.LANGUAGES; values non-empty text
    (the one rule, ``assemblies.translations``)."""
    if errors := translation_errors(translations):
        raise ValidationError({"label_translations": errors})


class RecruitmentSettings(models.Model):
    """Per-assembly settings of recruitment and selection."""

    assembly = models.OneToOneField(Assembly, on_delete=models.CASCADE, related_name="recruitment")
    panel_size = models.PositiveIntegerField(_("seats on the panel"), default=0)
    reserves = models.PositiveIntegerField(_("reserves to keep"), default=0)
    quota_tolerance = models.PositiveSmallIntegerField(
        _("tolerance around census targets (seats)"), default=1
    )
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20, default="1")
    privacy_notice = models.TextField(
        _("privacy notice"),
        blank=True,
        help_text=_(
            "Shown where residents consent, and on its own page. Registration cannot open without it."
        ),
    )
    privacy_notice_translations = models.JSONField(
        _("privacy notice in other languages"), default=dict, blank=True
    )
    registration_closes_on = models.DateField(
        _("last day to register"),
        null=True,
        blank=True,
        help_text=_(
            "Printed on the letters. Registration closes at the end of this day, when the assembly "
            "leaves the Recruiting stage, or when the panel is drawn, whichever comes first."
        ),
    )
    session_dates = models.JSONField(_("session dates"), default=list, blank=True)
    # The letter: what members receive and who signs it.
    member_offer = models.TextField(
        _("what members receive"),
        blank=True,
        help_text=_(
            "Printed on the letters, e.g. “£150 for each weekend, travel, meals and childcare paid; "
            "step-free venues and interpreters on request.”"
        ),
    )
    member_offer_translations = models.JSONField(
        _("what members receive, in other languages"), default=dict, blank=True
    )
    letter_signatory_name = models.CharField(_("letters signed by (name)"), max_length=120, blank=True)
    letter_signatory_role = models.CharField(
        _("letters signed by (role)"), max_length=200, blank=True, help_text=_("e.g. Chief Executive")
    )
    retention_days = models.PositiveIntegerField(
        _("days to keep respondents who were not selected"),
        default=30,
        help_text=_("Counted from the day the panel is final (replacements closed)."),
    )
    panel_final_at = models.DateTimeField(_("panel final since"), null=True, blank=True)
    unselected_erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("recruitment settings")
        verbose_name_plural = _("recruitment settings")

    def __str__(self) -> str:
        return str(self.assembly)

    def clean(self) -> None:
        super().clean()
        for name in ("privacy_notice_translations", "member_offer_translations"):
            problems = translation_errors(getattr(self, name))
            if problems:
                raise ValidationError({name: problems})

    def privacy_notice_in(self, language: str | None = None) -> str:
        return translated(self.privacy_notice, self.privacy_notice_translations, language)

    def member_offer_in(self, language: str | None = None) -> str:
        return translated(self.member_offer, self.member_offer_translations, language)


class Category(models.Model):
    """A quota category, e.g. "Age" with features "16-29", "30-44", ..."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="categories")
    name = models.SlugField(_("key"), max_length=60, help_text=_("Short name used in files, e.g. age."))
    label = models.CharField(_("question"), max_length=200, help_text=_("As asked on the registration form."))
    label_translations = models.JSONField(
        _("question in other languages"), default=dict, blank=True, help_text=_TRANSLATIONS_HELP
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    allow_prefer_not_to_say = models.BooleanField(_("offer “prefer not to say”"), default=False)

    class Meta:
        ordering = ["assembly", "order", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [models.UniqueConstraint(fields=["assembly", "name"], name="category_name_unique")]

    def __str__(self) -> str:
        return self.label or self.name

    def clean(self) -> None:
        super().clean()
        _validate_translations(self.label_translations)

    def label_in(self, language: str | None) -> str:
        """The question in ``language`` (or its base language), else ``label``."""
        # No language given: the original, as before (not the active language).
        return translated(self.label, self.label_translations, language or "")


PREFER_NOT_TO_SAY = "prefer-not-to-say"


class Feature(models.Model):
    """A value of a category with its quota of seats."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="features")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="features")
    value = models.SlugField(_("key"), max_length=60)
    label = models.CharField(_("answer"), max_length=200)
    label_translations = models.JSONField(
        _("answer in other languages"),
        default=dict,
        blank=True,
        help_text=_(
            'The same answer in the assembly’s other languages, by language code, e.g. {"fr": "Femme"}.'
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    population_share = models.DecimalField(
        _("share of the population (%)"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    min_seats = models.PositiveIntegerField(_("minimum seats"), default=0)
    max_seats = models.PositiveIntegerField(_("maximum seats"), default=0)
    min_flex = models.PositiveIntegerField(_("lowest acceptable minimum"), null=True, blank=True)
    max_flex = models.PositiveIntegerField(_("highest acceptable maximum"), null=True, blank=True)

    class Meta:
        ordering = ["category", "order", "id"]
        verbose_name = _("feature")
        verbose_name_plural = _("features")
        constraints = [
            models.UniqueConstraint(fields=["category", "value"], name="feature_value_unique"),
            models.CheckConstraint(
                condition=Q(max_seats__gte=models.F("min_seats")),
                name="feature_max_not_below_min",
                violation_error_message=_("The maximum is below the minimum."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category.name}: {self.label}"

    def clean(self) -> None:
        super().clean()
        _validate_translations(self.label_translations)

    def label_in(self, language: str | None) -> str:
        """The answer in ``language`` (or its base language), else ``label``."""
        # No language given: the original, as before (not the active language).
        return translated(self.label, self.label_translations, language or "")


class RespondentStatus(models.TextChoices):
    REGISTERED = "registered", _("In the pool")
    SELECTED = "selected", _("Selected, to confirm")
    RESERVE = "reserve", _("Reserve")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Dropped out")


class RespondentSource(models.TextChoices):
    REGISTRATION = "registration", _("Registered with a code")
    IMPORT = "import", _("Imported")


class Respondent(models.Model):
    """Someone who answered the invitation: personal and special-category data."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="respondents")
    invitation = models.OneToOneField(
        "lottery.Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="respondent"
    )
    pseudonym = models.CharField(max_length=32, unique=True, default=new_pseudonym, editable=False)
    source = models.CharField(
        max_length=20, choices=RespondentSource.choices, default=RespondentSource.REGISTRATION
    )
    first_name = models.CharField(_("first name"), max_length=120)
    last_name = models.CharField(_("last name"), max_length=120)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    household = models.CharField(
        _("household"),
        max_length=120,
        blank=True,
        help_text=_("At most one person per household is selected."),
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    availability = models.JSONField(_("available on"), default=list, blank=True)
    access_needs = models.TextField(_("access needs"), blank=True)
    # The needs ticked at registration (deliberation.models.AccessNeed values:
    # step_free, interpreter, hearing_loop, diet, childcare), beside the free text.
    access_need_list = models.JSONField(_("access needs ticked"), default=list, blank=True)
    interpreter_language = models.CharField(_("interpreter for"), max_length=80, blank=True)
    consent_version = models.CharField(_("privacy notice version"), max_length=20)
    consented_at = models.DateTimeField(_("consented at"))
    status = models.CharField(
        _("status"), max_length=20, choices=RespondentStatus.choices, default=RespondentStatus.REGISTERED
    )
    reserve_position = models.PositiveIntegerField(null=True, blank=True)
    confirm_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # What a selected person types from their letter at /confirm/ instead of the
    # long link; it works only while they hold a confirm token.
    confirm_code = models.CharField(
        max_length=CODE_LENGTH, unique=True, default=new_registration_code, editable=False
    )
    member = models.OneToOneField(
        "assemblies.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="respondent"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assembly", "id"]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        indexes = [models.Index(fields=["assembly", "status"])]
        constraints = [
            # A person is in an assembly's pool once: a second row would double
            # their chance of selection. Registration and the pool import check
            # first and say so; this is the guarantee under concurrency.
            models.UniqueConstraint(
                Lower("email"), "assembly", condition=~Q(email=""), name="one_respondent_per_email"
            )
        ]

    def __str__(self) -> str:
        # Never the name: this string ends up in logs and audit events.
        return f"Respondent {self.pseudonym}"


class Answer(models.Model):
    """A respondent's answer for one category (one row each: counts are a GROUP BY)."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="+")
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="answers")
    feature = models.ForeignKey(Feature, on_delete=models.PROTECT, related_name="answers")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["respondent", "category"], name="one_answer_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.category_id}={self.feature_id}"
