"""Tenancy and the life of an assembly.

Every tenant-owned row reaches its Assembly in one hop, so one filter scopes a
query; an Organisation is reached through its assemblies.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .translations import translated, validate_translations

_TRANSLATIONS_HELP = _("The same text in the assembly’s other languages; empty means the original is shown.")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Organiser roles, strongest first. Order matters: see ``Role.rank``."""

    OWNER = "owner", _("Owner")
    ORGANISER = "organiser", _("Organiser")
    FACILITATOR = "facilitator", _("Facilitator")
    VIEWER = "viewer", _("Viewer")

    @classmethod
    def rank(cls, role: str) -> int:
        """Higher is stronger; unknown roles rank lowest."""
        order = [cls.VIEWER, cls.FACILITATOR, cls.ORGANISER, cls.OWNER]
        return order.index(cls(role)) + 1 if role in cls.values else 0


class OrganiserTeam(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="teams", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("organiser team")
        verbose_name_plural = _("organiser teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.name}"


class TeamMembership(models.Model):
    """A person's role in a team, for one assembly or (assembly empty) for all
    of the organisation's assemblies, present and future."""

    team = models.ForeignKey(
        OrganiserTeam, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="team_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    assembly = models.ForeignKey(
        "Assembly",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="team_memberships",
        verbose_name=_("assembly"),
        help_text=_("Leave empty to give this role for every assembly of the organisation."),
    )

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user", "assembly"], name="membership_unique_per_assembly"
            ),
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(assembly__isnull=True),
                name="membership_unique_org_wide",
            ),
        ]

    def __str__(self) -> str:
        scope = self.assembly or _("all assemblies")
        return f"{self.user} · {self.get_role_display()} · {scope}"

    def clean(self) -> None:
        if (
            self.assembly is not None
            and self.team_id
            and self.assembly.organisation_id != self.team.organisation_id
        ):
            raise ValidationError({"assembly": _("This assembly belongs to another organisation.")})


class Stage(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECRUITING = "recruiting", _("Recruiting")
    SELECTING = "selecting", _("Selecting")
    DELIBERATING = "deliberating", _("Deliberating")
    DECIDING = "deciding", _("Deciding")
    PUBLISHED = "published", _("Published")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class AssemblyKind(models.TextChoices):
    CORE = "core", _("Core assembly")
    COMMUNITY = "community", _("Community assembly")


class DataLicence(models.TextChoices):
    """The licence of an assembly's open data (API responses and downloads)."""

    CC_BY_4 = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA_4 = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC0 = "cc0-1.0", "CC0 1.0"
    OGL_UK_3 = "ogl-uk-3.0", "OGL-UK 3.0"


#: Where each licence's text is published (the ``Link: <…>; rel="license"`` of responses).
LICENCE_URLS: dict[str, str] = {
    DataLicence.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    DataLicence.CC_BY_SA_4: "https://creativecommons.org/licenses/by-sa/4.0/",
    DataLicence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    DataLicence.OGL_UK_3: "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}


class AssemblyQuerySet(models.QuerySet["Assembly"]):
    def public(self) -> AssemblyQuerySet:
        return self.filter(is_public=True).exclude(stage=Stage.DRAFT)


class Assembly(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assemblies", verbose_name=_("organisation")
    )
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    remit = models.TextField(_("remit"), help_text=_("The question the assembly is asked to answer."))
    description = models.TextField(_("description"), blank=True)
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("Language codes the assembly works in, e.g. en, fr."),
    )
    # Translations by language code ({"fr": "..."}), edited as one box per language in the admin.
    title_translations = models.JSONField(
        _("title in other languages"), default=dict, blank=True, help_text=_TRANSLATIONS_HELP
    )
    remit_translations = models.JSONField(
        _("remit in other languages"), default=dict, blank=True, help_text=_TRANSLATIONS_HELP
    )
    description_translations = models.JSONField(
        _("description in other languages"), default=dict, blank=True, help_text=_TRANSLATIONS_HELP
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # Whom residents and members contact: printed on letters, shown on the
    # registration and confirmation pages, and in every email to them.
    contact_name = models.CharField(
        _("contact: name"),
        max_length=200,
        blank=True,
        help_text=_("Who answers questions, e.g. “Riverside Council, Democracy Team”."),
    )
    contact_email = models.EmailField(_("contact: email"), blank=True)
    contact_phone = models.CharField(_("contact: phone"), max_length=40, blank=True)
    contact_address = models.TextField(_("contact: postal address"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AssemblyKind.choices, default=AssemblyKind.CORE)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="community_assemblies",
        verbose_name=_("core assembly"),
        limit_choices_to={"kind": AssemblyKind.CORE},
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.DRAFT, editable=False
    )
    is_public = models.BooleanField(
        _("shown on the public site"),
        default=False,
        help_text=_("Draft assemblies are never shown, whatever this says."),
    )
    data_licence = models.CharField(
        _("open data licence"),
        max_length=20,
        choices=DataLicence.choices,
        default=DataLicence.CC_BY_4,
        help_text=_("The licence of the assembly's public data: stated in every API response and download."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    stage_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AssemblyQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("assembly")
        verbose_name_plural = _("assemblies")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=AssemblyKind.CORE, parent__isnull=True)
                | Q(kind=AssemblyKind.COMMUNITY, parent__isnull=False),
                name="community_assembly_has_parent",
                violation_error_message=_("A community assembly needs a core assembly; a core one has none."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="assembly_dates_in_order",
                violation_error_message=_("The end date is before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assemblies:public-detail", kwargs={"slug": self.slug})

    @property
    def is_publicly_visible(self) -> bool:
        return self.is_public and self.stage != Stage.DRAFT

    def clean(self) -> None:
        super().clean()
        validate_translations(
            title_translations=self.title_translations,
            remit_translations=self.remit_translations,
            description_translations=self.description_translations,
        )

    # The texts in a reader's language (default: the active one), else the original.
    def title_in(self, language: str | None = None) -> str:
        return translated(self.title, self.title_translations, language)

    def remit_in(self, language: str | None = None) -> str:
        return translated(self.remit, self.remit_translations, language)

    def description_in(self, language: str | None = None) -> str:
        return translated(self.description, self.description_translations, language)

    @property
    def local_title(self) -> str:
        return self.title_in()

    @property
    def local_remit(self) -> str:
        return self.remit_in()

    @property
    def local_description(self) -> str:
        return self.description_in()

    @property
    def data_licence_url(self) -> str:
        return LICENCE_URLS.get(self.data_licence, "")

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_phone or self.contact_address)

    def contact_details(self) -> dict[str, str]:
        """The contact as plain strings (for email contexts, which must be JSON)."""
        return {
            "name": self.contact_name or self.organisation.name,
            "email": self.contact_email,
            "phone": self.contact_phone,
            "address": self.contact_address,
        }


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    RESERVE = "reserve", _("Reserve")
    FACILITATOR = "facilitator", _("Facilitator")


class MemberStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MemberQuerySet(models.QuerySet["Member"]):
    def active(self) -> MemberQuerySet:
        return self.exclude(status=MemberStatus.WITHDRAWN)


class Member(models.Model):
    """A person taking part in an assembly: a selected member, a reserve or a
    table facilitator. Organisers are not Members (see TeamMembership)."""

    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, related_name="members", verbose_name=_("assembly")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assembly_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    status = models.CharField(
        _("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.INVITED
    )
    display_name = models.CharField(_("name shown to other members"), max_length=120, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["display_name", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [models.UniqueConstraint(fields=["assembly", "user"], name="one_member_row_per_person")]

    def __str__(self) -> str:
        return self.display_name or str(self.user)


class AuditEvent(models.Model):
    """Who did what to which object of which assembly, and when.

    Written in the same transaction as the change it records. ``data`` holds
    ids and masked values only, never personal data in clear.
    """

    assembly = models.ForeignKey(
        Assembly,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("assembly"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["assembly", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.action_label} · {self.object_repr}"

    @property
    def action_label(self) -> str:
        from .registry import registry

        return str(registry.audit_action_labels.get(self.action, self.action))

    @property
    def details_text(self) -> str:
        """Plain words for the details; stage moves read "Deliberating → Deciding"."""
        data = self.data or {}
        if self.action == "assembly.stage_changed" and {"from", "to"} <= data.keys():
            stages = dict(Stage.choices)
            return f"{stages.get(data['from'], data['from'])} → {stages.get(data['to'], data['to'])}"
        if self.action == "admin.changed" and data.get("fields"):
            return ", ".join(str(f) for f in data["fields"])
        from .audit_text import details_text

        return details_text(data)
