"""Tables in the app: a session's table plan (computed by ``deliberation.engine``),
its tables and seat rules, the seats round by round, what each table said, and
the plenary minutes that members approve."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assemblies.models import Member

from .sessions import Session


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Not computed yet")
    COMPUTING = "computing", _("Being computed")
    READY = "ready", _("Computed")
    FAILED = "failed", _("Could not be computed")


class TablePlan(models.Model):
    """Who sits at which table in each of a session's table rounds."""

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, related_name="table_plan", verbose_name=_("session")
    )
    rounds = models.PositiveSmallIntegerField(_("rounds"), default=3)
    table_count = models.PositiveSmallIntegerField(_("number of tables"), default=4)
    #: Attribute keys to mix (categories' keys and organisers' own attributes).
    mix = models.JSONField(_("attributes to mix"), default=list, blank=True)
    seed = models.PositiveIntegerField(_("seed"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    #: Rounds 1..held_rounds were kept exactly by the last re-plan.
    held_rounds = models.PositiveSmallIntegerField(default=0, editable=False)
    repeated_pairs = models.PositiveIntegerField(null=True, blank=True, editable=False)
    out_of_band = models.PositiveIntegerField(null=True, blank=True, editable=False)
    met_mean = models.FloatField(null=True, blank=True, editable=False)
    complete = models.BooleanField(default=True, editable=False)
    message = models.TextField(blank=True, editable=False)
    computed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("table plan")
        verbose_name_plural = _("table plans")
        constraints = [
            models.CheckConstraint(condition=Q(rounds__gte=1) & Q(rounds__lte=20), name="table_plan_rounds"),
            models.CheckConstraint(
                condition=Q(table_count__gte=1) & Q(table_count__lte=200), name="table_plan_tables"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {_('tables')}"


class PlanTable(models.Model):
    plan = models.ForeignKey(TablePlan, on_delete=models.CASCADE, related_name="tables")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=80, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_tables",
        verbose_name=_("facilitator"),
    )
    step_free = models.BooleanField(_("step-free"), default=False)
    language = models.CharField(_("interpreted in"), max_length=80, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_table_number_per_plan")]

    def __str__(self) -> str:
        label = _("Table %(number)s") % {"number": self.number}
        return f"{label} · {self.name}" if self.name else str(label)

    @property
    def facilitator_name(self) -> str:
        user = self.facilitator
        return (user.get_full_name() or user.get_username()) if user is not None else ""


class TablePin(models.Model):
    """A member who may only sit at ``table``: in every round, or in one."""

    plan = models.ForeignKey(TablePlan, on_delete=models.CASCADE, related_name="pins")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("member"))
    table = models.ForeignKey(
        PlanTable, on_delete=models.CASCADE, related_name="pins", verbose_name=_("table")
    )
    round = models.PositiveSmallIntegerField(_("round"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("seat rule")
        verbose_name_plural = _("seat rules")

    def __str__(self) -> str:
        return f"{self.member} → {self.table}"


class KeptApart(models.Model):
    plan = models.ForeignKey(TablePlan, on_delete=models.CASCADE, related_name="apart")
    member_a = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    member_b = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("pair kept apart")
        verbose_name_plural = _("pairs kept apart")
        constraints = [
            models.UniqueConstraint(fields=["plan", "member_a", "member_b"], name="one_apart_row_per_pair"),
            models.CheckConstraint(condition=~Q(member_a=models.F("member_b")), name="apart_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.member_a} ≠ {self.member_b}"


class Seat(models.Model):
    plan = models.ForeignKey(TablePlan, on_delete=models.CASCADE, related_name="seats")
    round = models.PositiveSmallIntegerField(_("round"))
    table = models.ForeignKey(PlanTable, on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="table_seats")

    class Meta:
        ordering = ["plan", "round", "table__number", "id"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(fields=["plan", "round", "member"], name="one_seat_per_member_and_round")
        ]
        indexes = [models.Index(fields=["member", "plan"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.round} · {self.table}"


class MemberAttribute(models.Model):
    """An attribute organisers add to mix tables by (e.g. attitude): personal data."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="table_attributes")
    name = models.SlugField(_("attribute"), max_length=60)
    value = models.CharField(_("value"), max_length=80)

    class Meta:
        ordering = ["member", "name"]
        verbose_name = _("member attribute")
        verbose_name_plural = _("member attributes")
        constraints = [
            models.UniqueConstraint(fields=["member", "name"], name="one_value_per_member_attribute")
        ]

    def __str__(self) -> str:
        return self.name


class TableOutput(models.Model):
    """What one table said in one round, recorded by its facilitator."""

    plan = models.ForeignKey(TablePlan, on_delete=models.CASCADE, related_name="outputs")
    round = models.PositiveSmallIntegerField(_("round"))
    table = models.ForeignKey(PlanTable, on_delete=models.CASCADE, related_name="outputs")
    key_points = models.TextField(_("key points"), blank=True)
    questions = models.TextField(_("questions"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "round", "table__number"]
        verbose_name = _("table output")
        verbose_name_plural = _("table outputs")
        constraints = [
            models.UniqueConstraint(fields=["plan", "round", "table"], name="one_output_per_table_and_round")
        ]

    def __str__(self) -> str:
        return f"{self.table} · {self.round}"

    @property
    def recorded_by_name(self) -> str:
        user = self.recorded_by
        return (user.get_full_name() or user.get_username()) if user is not None else ""


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Sent to members for approval")
    APPROVED = "approved", _("Approved")


class PlenaryMinutes(models.Model):
    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="plenary_minutes")
    text = models.TextField(_("minutes"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    circulated_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("plenary minutes")
        verbose_name_plural = _("plenary minutes")

    def __str__(self) -> str:
        return f"{self.session} · {_('minutes')}"


class MinutesDecision(models.TextChoices):
    APPROVE = "approve", _("I approve these minutes")
    CORRECT = "correct", _("I ask for a correction")


class MinutesResponse(models.Model):
    minutes = models.ForeignKey(PlenaryMinutes, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="minutes_responses")
    decision = models.CharField(_("your answer"), max_length=20, choices=MinutesDecision.choices)
    correction = models.TextField(_("the correction you ask for"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["minutes", "updated_at"]
        verbose_name = _("response to minutes")
        verbose_name_plural = _("responses to minutes")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "member"], name="one_minutes_response_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.minutes} · {self.decision}"
