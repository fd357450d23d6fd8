"""Stage 1: address files, the draw of addresses, codes and letters."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly

# Registration codes: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, so that a code typed from a
# paper letter cannot be misread. 8 characters of 26 letters+digits left:
# 26**8 ≈ 2e11 codes, against at most ~1e5 invitations per assembly and a rate
# limit on the registration page: guessing is hopeless.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8


def new_registration_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_pseudonym() -> str:
    """A random id for the published verification bundle; links to no one
    once the respondent's row is erased."""
    return secrets.token_hex(8)


class JobStatus(models.TextChoices):
    """A letter batch's status, and a round's jobs' (``jobs.JobStatus`` plus
    "not started", for a round whose job was never asked for)."""

    IDLE = "idle", _("Not started")
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class InvitationRound(models.Model):
    """Stage 1: a file of addresses, a random draw of some of them, letters."""

    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, related_name="invitation_rounds", verbose_name=_("assembly")
    )
    name = models.CharField(_("name"), max_length=120)
    address_file = models.FileField(_("address file"), upload_to="lottery/addresses/", blank=True)
    region_column = models.CharField(_("region column"), max_length=80, blank=True)
    # Import of the address file: a job (``jobs.Job``, kind
    # "lottery.address_import") with the progress through the file in bytes;
    # what it found stays here, as the round's own record.
    import_job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows_read = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    import_errors = models.JSONField(
        default=list, blank=True, help_text=_("The first rejected rows: line and reason.")
    )
    # The draw of addresses to invite: reproducible from its seed.
    draw_size = models.PositiveIntegerField(_("addresses to invite"), null=True, blank=True)
    draw_per_region = models.JSONField(_("addresses per region"), default=dict, blank=True)
    draw_seed = models.CharField(_("draw seed"), max_length=64, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    # Letters (WeasyPrint, in chunks): a job (kind "lottery.invitation_letters"),
    # letters made of letters to make; each LetterBatch keeps its own status.
    letters_job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation round")
        verbose_name_plural = _("invitation rounds")

    def __str__(self) -> str:
        return self.name

    # Read-only: the status of each job, "idle" before it was ever asked for.
    @property
    def import_status(self) -> str:
        return self.import_job.status if self.import_job_id and self.import_job else JobStatus.IDLE

    @property
    def letters_status(self) -> str:
        return self.letters_job.status if self.letters_job_id and self.letters_job else JobStatus.IDLE


class Address(models.Model):
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(InvitationRound, on_delete=models.CASCADE, related_name="addresses")
    line_number = models.PositiveIntegerField(_("line in the file"))
    line1 = models.CharField(_("address"), max_length=200)
    line2 = models.CharField(_("address, line 2"), max_length=200, blank=True)
    town = models.CharField(_("town"), max_length=120, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        indexes = [models.Index(fields=["round", "region"])]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line1, self.line2, self.town, self.postcode) if p)


class LetterBatch(models.Model):
    """One PDF of invitation letters (a chunk of the round's invitations)."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(InvitationRound, on_delete=models.CASCADE, related_name="letter_batches")
    number = models.PositiveIntegerField()
    first_invitation = models.PositiveIntegerField()
    last_invitation = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    pdf = models.FileField(upload_to="lottery/letters/", blank=True)
    pages = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["round", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="one_batch_number_per_round")]

    def __str__(self) -> str:
        return f"{self.round} · letters {self.first_invitation}-{self.last_invitation}"


class Invitation(models.Model):
    """An invited address and its personal registration code."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="invitations")
    round = models.ForeignKey(InvitationRound, on_delete=models.CASCADE, related_name="invitations")
    address = models.OneToOneField(Address, on_delete=models.CASCADE, related_name="invitation")
    sequence = models.PositiveIntegerField(_("letter number"))
    code = models.CharField(_("registration code"), max_length=16, unique=True, default=new_registration_code)
    used_at = models.DateTimeField(_("registered at"), null=True, blank=True)

    class Meta:
        ordering = ["round", "sequence"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["round", "sequence"], name="one_letter_number_per_round")
        ]

    def __str__(self) -> str:
        return self.code
