"""People who carry the recommendations forward: members as spokespeople
(and the media requests and speaking invitations sent to them), affiliates who
sign a public commitment, and the media coverage of the assembly."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assemblies.models import Assembly, Member
from recommendations.models import Recommendation

from .power import Tactic


class Medium(models.TextChoices):
    RADIO = "radio", _("Radio")
    TV = "tv", _("TV")
    PRINT = "print", _("Print")
    ONLINE = "online", _("Online")
    EVENTS = "events", _("Events and public speaking")


class Spokesperson(models.Model):
    """A member who has said they are ready to speak for the assembly."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="spokesperson")
    recommendations = models.ManyToManyField(
        Recommendation, blank=True, related_name="spokespeople", verbose_name=_("recommendations")
    )
    media = models.JSONField(_("media"), default=list, blank=True)  # Medium values
    is_available = models.BooleanField(_("ready to be asked"), default=True)
    training_done_on = models.DateField(_("media training done on"), null=True, blank=True)
    training_notes = models.CharField(_("training"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["member__display_name", "id"]
        verbose_name = _("spokesperson")
        verbose_name_plural = _("spokespeople")

    def __str__(self) -> str:
        return str(self.member)

    def media_labels(self) -> list[str]:
        return [str(Medium(m).label) for m in self.media if m in Medium.values]


class RequestKind(models.TextChoices):
    MEDIA = "media", _("Media request")
    SPEAKING = "speaking", _("Speaking invitation")


class MediaRequest(models.Model):
    """An interview, a programme or an event that needs a member's voice."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="media_requests")
    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices, default=RequestKind.MEDIA)
    title = models.CharField(_("what it is"), max_length=300)
    outlet = models.CharField(_("outlet or host"), max_length=200, blank=True)
    medium = models.CharField(_("medium"), max_length=20, choices=Medium.choices, blank=True)
    starts_at = models.DateTimeField(_("when"), null=True, blank=True)
    place = models.CharField(_("where"), max_length=300, blank=True)
    details = models.TextField(_("details for the member"), blank=True)
    recommendations = models.ManyToManyField(
        Recommendation, blank=True, related_name="media_requests", verbose_name=_("recommendations")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("media request")
        verbose_name_plural = _("media requests")

    def __str__(self) -> str:
        return self.title


class InviteStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("invitation status", "Accepted")
    DECLINED = "declined", pgettext_lazy("invitation status", "Declined")


class MediaInvite(models.Model):
    """One media request sent to one spokesperson, and their answer."""

    request = models.ForeignKey(MediaRequest, on_delete=models.CASCADE, related_name="invites")
    spokesperson = models.ForeignKey(Spokesperson, on_delete=models.CASCADE, related_name="invites")
    status = models.CharField(
        _("answer"), max_length=20, choices=InviteStatus.choices, default=InviteStatus.PENDING
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request sent")
        verbose_name_plural = _("requests sent")
        constraints = [
            models.UniqueConstraint(fields=["request", "spokesperson"], name="one_invite_per_spokesperson")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.spokesperson_id}: {self.status}"


class Sector(models.TextChoices):
    BUSINESS = "business", _("Business")
    MEDIA = "media", _("Media")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    POLITICS = "politics", _("Politics")
    OTHER = "other", _("Other")


class AffiliateStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Email not confirmed yet")
    CONFIRMED = "confirmed", _("Signed")
    WITHDRAWN = "withdrawn", pgettext_lazy("affiliate status", "Withdrawn")


class Affiliate(models.Model):
    """An influential person or organisation that signed a public commitment
    to carry specific recommendations forward."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="affiliates")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.CharField(
        _("sector"), max_length=20, choices=Sector.choices, default=Sector.CIVIL_SOCIETY
    )
    email = models.EmailField(_("email"), blank=True, help_text=_("Private: for reminders only."))
    website = models.URLField(_("website"), blank=True)
    commitment = models.TextField(_("commitment"), help_text=_("What they will do, in their words. Public."))
    recommendations = models.ManyToManyField(
        Recommendation, related_name="affiliates", verbose_name=_("recommendations")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AffiliateStatus.choices, default=AffiliateStatus.CONFIRMED
    )
    confirm_token = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    report_token = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("affiliate")
        verbose_name_plural = _("affiliates")
        constraints = [models.UniqueConstraint(fields=["assembly", "name"], name="one_affiliate_name")]

    def __str__(self) -> str:
        return self.name


class AffiliateReport(models.Model):
    """What an affiliate says they did (through their private link)."""

    affiliate = models.ForeignKey(Affiliate, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("what we did"))
    url = models.URLField(_("link"), blank=True)
    is_public = models.BooleanField(_("shown on the affiliates page"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("affiliate report")
        verbose_name_plural = _("affiliate reports")

    def __str__(self) -> str:
        return f"{self.affiliate_id}: {self.created_at:%Y-%m-%d}"


class Tone(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class MediaItem(models.Model):
    """A piece of coverage of the assembly and its recommendations."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="media_items")
    title = models.CharField(_("headline"), max_length=300)
    url = models.URLField(_("link"), max_length=500, blank=True)
    outlet = models.CharField(_("outlet"), max_length=200)
    published_on = models.DateField(_("date"))
    reach = models.PositiveIntegerField(_("reach"), null=True, blank=True, help_text=_("Audience, if known."))
    tone = models.CharField(_("tone"), max_length=20, choices=Tone.choices, default=Tone.NEUTRAL)
    recommendations = models.ManyToManyField(
        Recommendation, blank=True, related_name="media_items", verbose_name=_("recommendations")
    )
    tactics = models.ManyToManyField(
        Tactic, blank=True, related_name="media_items", verbose_name=_("tactics")
    )
    is_public = models.BooleanField(_("shown in public"), default=True)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("media item")
        verbose_name_plural = _("media items")

    def __str__(self) -> str:
        return self.title
