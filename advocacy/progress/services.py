"""The progress report reminder: once per due date and assembly, to the
organisers who manage the tracker, through the outbox."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from advocacy.models import Reminder
from advocacy.tracking.selectors import organisers_to_remind
from assemblies.actors import SYSTEM
from assemblies.audit import audit_record
from assemblies.models import Assembly, Stage
from notifications.services import queue_email

from . import schedule

REMINDER_KIND = "progress_report"
#: A due date older than this is not reminded any more (a new one comes every 6 months).
REMIND_WITHIN_DAYS = 60
REMINDED_STAGES = (Stage.PUBLISHED, Stage.FOLLOW_UP)


def _reports_url(assembly: Assembly) -> str:
    try:
        path = reverse("admin:recommendations_report_assembly", args=[assembly.pk])
    except NoReverseMatch:  # the reports screen is not mounted
        path = reverse("admin:assemblies_assembly_dashboard", args=[assembly.pk])
    return settings.SITE_URL.rstrip("/") + path


def report_made_for(assembly: Assembly, due: dt.date) -> bool:
    """Is there already a progress report describing the due date or later?"""
    try:  # the reports pipeline may be absent from an older tree
        from reports.models import Document, DocumentKind
    except ImportError:  # pragma: no cover
        return False
    return Document.objects.filter(assembly=assembly, kind=DocumentKind.PROGRESS, as_of__gte=due).exists()


def remind_assembly(assembly: Assembly, *, today: dt.date) -> int:
    """Queue the reminder for the assembly's latest due date, once; returns the emails queued."""
    due = schedule.latest_due(assembly, today=today)
    if due is None or (today - due).days > REMIND_WITHIN_DAYS or report_made_for(assembly, due):
        return 0
    if Reminder.objects.filter(kind=REMINDER_KIND, object_id=assembly.pk, week=due.isoformat()).exists():
        return 0
    try:
        with transaction.atomic():
            # The unique (kind, object, "week") row is the "sent once" record,
            # even with two workers at the same time; "week" holds the due date.
            Reminder.objects.create(kind=REMINDER_KIND, object_id=assembly.pk, week=due.isoformat())
            recipients = organisers_to_remind(assembly)
            context = {
                "assembly_title": assembly.title,
                "due": due.isoformat(),
                "next_due": (schedule.next_due(assembly, today=today) or due).isoformat(),
                "url": _reports_url(assembly),
            }
            for user in recipients:
                queue_email(
                    to=user.email,
                    template="advocacy_progress_report_due",
                    context=context,
                    language=assembly.languages[0] if assembly.languages else "en",
                    assembly=assembly,
                    user=user,
                )
            audit_record(
                action="advocacy.progress_report_reminded",
                by=SYSTEM,
                assembly=assembly,
                obj=assembly,
                data={"due": due.isoformat(), "recipients": len(recipients)},
            )
            return len(recipients)
    except IntegrityError:  # reminded already (another worker, or an earlier run)
        return 0


def send_due_reminders(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    for assembly in Assembly.objects.filter(stage__in=REMINDED_STAGES).select_related("organisation"):
        sent += remind_assembly(assembly, today=today)
    return sent
