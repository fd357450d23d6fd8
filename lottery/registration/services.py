"""Stage 2 writes: registration with a code, pool import, a respondent's
export and erasure, and the erasure of everyone not selected.

Personal data never reaches logs or audit events: respondents appear there
by pseudonym (``str(respondent)``) and counts only.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.audit import audit_record
from assemblies.models import Assembly
from lottery.models import (
    PREFER_NOT_TO_SAY,
    Address,
    Answer,
    Category,
    Feature,
    Invitation,
    InvitationRound,
    LetterBatch,
    RecruitmentSettings,
    Respondent,
    RespondentSource,
    RespondentStatus,
)
from notifications.models import OutboxMessage

try:  # Written by the invitations engineer; a private copy until it lands.
    from reports.csv_safety import safe_cell, safe_row
except ImportError:  # pragma: no cover - depends on the other module
    _FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

    def safe_cell(value: Any) -> Any:
        """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
        if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
            return "'" + value
        return value

    def safe_row(values: Iterable[Any]) -> list[Any]:
        return [safe_cell(v) for v in values]


logger = logging.getLogger(__name__)

User = AbstractBaseUser | AnonymousUser | None

#: Who is erased once the panel is final: everyone not on it.
UNSELECTED_STATUSES = (
    RespondentStatus.REGISTERED,
    RespondentStatus.RESERVE,
    RespondentStatus.DECLINED,
    RespondentStatus.WITHDRAWN,
)


class CodeAlreadyUsed(ValidationError):
    pass


def recruitment_settings(assembly: Assembly) -> RecruitmentSettings:
    settings, _created = RecruitmentSettings.objects.get_or_create(assembly=assembly)
    return settings


def prefer_not_to_say_feature(category: Category) -> Feature:
    """The category's "prefer not to say" feature: an answer like any other,
    with its own quota (0..k by default)."""
    k = recruitment_settings(category.assembly).panel_size
    feature, _created = Feature.objects.get_or_create(
        category=category,
        value=PREFER_NOT_TO_SAY,
        defaults={
            "assembly_id": category.assembly_id,
            "label": _("Prefer not to say"),
            "order": 999,
            "min_seats": 0,
            "max_seats": k,
        },
    )
    return feature


def _features_by_category(assembly: Assembly) -> dict[int, dict[str, Feature]]:
    out: dict[int, dict[str, Feature]] = {}
    for feature in Feature.objects.filter(assembly=assembly):
        out.setdefault(feature.category_id, {})[feature.value] = feature
    return out


# --- Registration ------------------------------------------------------------


@transaction.atomic
def respondent_register(*, invitation: Invitation, data: Mapping[str, Any], language: str) -> Respondent:
    """Register the holder of ``invitation``. Locks the invitation row so that
    two submissions of the same code cannot both register; raises
    ``CodeAlreadyUsed`` when it is used, ``ValidationError`` on bad answers.

    ``data``: first_name, last_name, email, phone, availability, access_needs,
    consent (must be true), answers (category id → feature value).
    """
    invitation = (
        Invitation.objects.select_for_update().select_related("assembly", "address").get(pk=invitation.pk)
    )
    if invitation.used_at is not None:
        raise CodeAlreadyUsed(_("This code has already been used."), code="used")
    if not data.get("consent"):
        raise ValidationError(_("Consent to the privacy notice is required."), code="consent")
    assembly = invitation.assembly
    settings = recruitment_settings(assembly)
    now = timezone.now()
    address = invitation.address
    respondent = Respondent.objects.create(
        assembly=assembly,
        invitation=invitation,
        source=RespondentSource.REGISTRATION,
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        phone=data.get("phone", ""),
        address=str(address)[:300],
        postcode=address.postcode,
        # One per address: the invitation's address is the household.
        household=f"address-{address.pk}",
        language=language,
        availability=list(data.get("availability", [])),
        access_needs=data.get("access_needs", ""),
        consent_version=settings.privacy_notice_version,
        consented_at=now,
    )
    _create_answers(respondent, data.get("answers", {}))
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    audit_record(
        action="respondent.registered",
        by=None,
        assembly=assembly,
        obj=respondent,
        data={"source": RespondentSource.REGISTRATION, "language": language},
    )
    return respondent


def _create_answers(respondent: Respondent, answers: Mapping[int, str]) -> None:
    categories = {c.pk: c for c in Category.objects.filter(assembly=respondent.assembly)}
    features = _features_by_category(respondent.assembly)
    rows = []
    for category_id, value in answers.items():
        category = categories.get(int(category_id))
        if category is None:
            raise ValidationError(_("Unknown question."), code="category")
        feature = features.get(category.pk, {}).get(value)
        if value == PREFER_NOT_TO_SAY and category.allow_prefer_not_to_say and feature is None:
            feature = prefer_not_to_say_feature(category)
        if feature is None or (value == PREFER_NOT_TO_SAY and not category.allow_prefer_not_to_say):
            raise ValidationError(_("Unknown answer for “%(q)s”.") % {"q": category.label}, code="answer")
        rows.append(
            Answer(assembly=respondent.assembly, respondent=respondent, category=category, feature=feature)
        )
    Answer.objects.bulk_create(rows)


# --- Pool import -------------------------------------------------------------

CONTACT_COLUMNS = (
    "first_name", "last_name", "email", "phone", "address", "postcode", "household", "language",
    "access_needs",
)  # fmt: skip
PREVIEW_ROWS = 20


@dataclass
class RowError:
    line: int
    messages: list[str]


@dataclass
class ImportReport:
    dry_run: bool
    rows_read: int = 0
    rows_valid: int = 0
    rows_imported: int = 0
    file_errors: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: The first valid rows, as organisers would see them (shown only to
    #: people allowed to see respondents).
    preview: list[dict[str, str]] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return len(self.errors)


def _read_table(file: Any) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Headers and (line number, cells) of a CSV or XLSX upload (by its name).

    Line numbers are those a spreadsheet shows: the header is line 1, and
    blank lines still count.
    """
    name = getattr(file, "name", "") or ""
    content = file.read()
    if name.lower().endswith(".xlsx"):
        import tablib

        dataset = tablib.Dataset().load(
            content if isinstance(content, bytes) else content.encode(), format="xlsx"
        )
        xlsx_headers = [str(h or "").strip() for h in (dataset.headers or [])]
        return xlsx_headers, [(i + 2, list(row)) for i, row in enumerate(dataset)]
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    reader = csv.reader(io.StringIO(text))
    rows: list[tuple[int, list[Any]]] = []
    headers: list[str] = []
    start = 1
    for cells in reader:
        if not headers and start == 1:
            headers = [h.strip() for h in cells]
        else:
            rows.append((start, cells))
        start = reader.line_num + 1
    return headers, rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def pool_import(*, assembly: Assembly, file: Any, dry_run: bool, by: User) -> ImportReport:
    """Check every row of a pool file and (unless ``dry_run``) save the valid ones.

    Never raises on bad rows: each gets its line number (the header is line 1)
    and plain reasons. A file that cannot be read at all gets a file error.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        headers, rows = _read_table(file)
    except Exception:
        logger.info("pool import: unreadable file for assembly %s", assembly.pk)
        report.file_errors.append(
            _("The file could not be read. Save it as CSV (UTF-8) or XLSX and try again.")
        )
        return report
    columns = {h.lower(): i for i, h in enumerate(headers) if h}
    for required in ("first_name", "last_name", "email"):
        if required not in columns:
            report.file_errors.append(_("The column “%(col)s” is missing.") % {"col": required})
    categories = list(Category.objects.filter(assembly=assembly).order_by("order", "id"))
    for category in categories:
        if category.name.lower() not in columns:
            report.file_errors.append(
                _("The column “%(col)s” is missing (question: %(q)s).")
                % {"col": category.name, "q": category.label}
            )
    if report.file_errors:
        return report

    features = _features_by_category(assembly)
    lookup: dict[int, dict[str, str]] = {}
    for category in categories:
        by_text: dict[str, str] = {}
        for value, feature in features.get(category.pk, {}).items():
            by_text[value.lower()] = value
            by_text[feature.label.strip().lower()] = value
        if category.allow_prefer_not_to_say:
            by_text[PREFER_NOT_TO_SAY] = PREFER_NOT_TO_SAY
            by_text[str(_("Prefer not to say")).lower()] = PREFER_NOT_TO_SAY
        lookup[category.pk] = by_text
    known_emails = {
        e.lower()
        for e in Respondent.objects.filter(assembly=assembly)
        .exclude(email="")
        .values_list("email", flat=True)
    }
    seen_emails: dict[str, int] = {}
    valid: list[tuple[dict[str, str], dict[int, str]]] = []

    def cell(row: list[Any], name: str) -> str:
        index = columns.get(name)
        return _text(row[index]) if index is not None and index < len(row) else ""

    for line, row in rows:
        if not any(_text(v) for v in row):
            continue  # blank lines are not people
        report.rows_read += 1
        problems: list[str] = []
        contact = {name: cell(row, name) for name in CONTACT_COLUMNS}
        if not contact["first_name"]:
            problems.append(_("missing first name"))
        if not contact["last_name"]:
            problems.append(_("missing last name"))
        email = contact["email"]
        if not email:
            problems.append(_("missing email"))
        else:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("the email address “%(v)s” is not valid") % {"v": email})
            else:
                if email.lower() in known_emails:
                    problems.append(_("duplicate: someone with this email is already in the pool"))
                elif email.lower() in seen_emails:
                    problems.append(
                        _("duplicate: same email as line %(line)s") % {"line": seen_emails[email.lower()]}
                    )
                else:
                    seen_emails[email.lower()] = line
        for name, limit in (("first_name", 120), ("last_name", 120), ("phone", 40), ("postcode", 20)):
            if len(contact[name]) > limit:
                problems.append(_("%(col)s is longer than %(n)s characters") % {"col": name, "n": limit})
        answers: dict[int, str] = {}
        for category in categories:
            raw = cell(row, category.name.lower())
            if not raw:
                problems.append(_("no answer for question “%(q)s”") % {"q": category.label})
                continue
            found = lookup[category.pk].get(raw.lower())
            if found is None:
                problems.append(
                    _("unknown answer “%(a)s” for question “%(q)s”") % {"a": raw, "q": category.label}
                )
            else:
                answers[category.pk] = found
        if problems:
            report.errors.append(RowError(line=line, messages=problems))
            continue
        valid.append((contact, answers))
        if len(report.preview) < PREVIEW_ROWS:
            report.preview.append(
                {
                    "line": str(line),
                    "name": f"{contact['first_name']} {contact['last_name']}",
                    "email": email,
                    "answers": ", ".join(answers.values()),
                }
            )
    report.rows_valid = len(valid)
    if not dry_run and valid:
        report.rows_imported = _save_imported(assembly, valid, by=by)
    return report


@transaction.atomic
def _save_imported(
    assembly: Assembly, valid: list[tuple[dict[str, str], dict[int, str]]], *, by: User
) -> int:
    settings = recruitment_settings(assembly)
    now = timezone.now()
    for contact, answers in valid:
        respondent = Respondent.objects.create(
            assembly=assembly,
            source=RespondentSource.IMPORT,
            first_name=contact["first_name"],
            last_name=contact["last_name"],
            email=contact["email"],
            phone=contact["phone"],
            address=contact["address"][:300],
            postcode=contact["postcode"],
            household=contact["household"][:120],
            language=(contact["language"] or "en")[:10],
            access_needs=contact["access_needs"],
            # Consent was collected by the organisers when they recruited.
            consent_version=settings.privacy_notice_version,
            consented_at=now,
        )
        _create_answers(respondent, answers)
    audit_record(
        action="respondent.pool_imported", by=by, assembly=assembly, data={"rows_imported": len(valid)}
    )
    return len(valid)


# --- A respondent's own data: export and erasure ------------------------------


@dataclass
class RespondentExport:
    data: dict[str, Any]

    def as_json(self) -> bytes:
        return json.dumps(self.data, ensure_ascii=False, indent=2, default=str).encode()

    def as_csv(self) -> bytes:
        """Two columns, field and value, every cell safe to open in a spreadsheet."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["field", "value"])
        for key, value in self.data["person"].items():
            writer.writerow(safe_row([key, "; ".join(value) if isinstance(value, list) else value]))
        for answer in self.data["answers"]:
            writer.writerow(safe_row([f"answer: {answer['question']}", answer["answer"]]))
        for message in self.data["emails"]:
            writer.writerow(safe_row([f"email sent {message['created_at']}", message["subject"]]))
        return out.getvalue().encode("utf-8-sig")


def respondent_export(*, respondent: Respondent, by: User) -> RespondentExport:
    """Everything we hold on one respondent (a subject access request), audited."""
    answers = respondent.answers.select_related("category", "feature").order_by(
        "category__order", "category_id"
    )
    emails = _outbox_of(respondent).order_by("created_at")
    data = {
        "assembly": respondent.assembly.title,
        "person": {
            "reference": respondent.pseudonym,
            "first_name": respondent.first_name,
            "last_name": respondent.last_name,
            "email": respondent.email,
            "phone": respondent.phone,
            "address": respondent.address,
            "postcode": respondent.postcode,
            "household": respondent.household,
            "language": respondent.language,
            "availability": list(respondent.availability or []),
            "access_needs": respondent.access_needs,
            "status": respondent.get_status_display(),
            "source": respondent.get_source_display(),
            "privacy_notice_version": respondent.consent_version,
            "consented_at": respondent.consented_at.isoformat(),
            "registered_at": respondent.created_at.isoformat() if respondent.created_at else "",
        },
        "answers": [{"question": a.category.label, "answer": a.feature.label} for a in answers],
        "emails": [
            {"created_at": m.created_at.isoformat(), "subject": m.subject, "status": m.status} for m in emails
        ],
    }
    audit_record(action="respondent.exported", by=by, assembly=respondent.assembly, obj=respondent)
    return RespondentExport(data)


def _outbox_of(respondent: Respondent) -> Any:
    if not respondent.email:
        return OutboxMessage.objects.none()
    return OutboxMessage.objects.filter(assembly=respondent.assembly, recipient__iexact=respondent.email)


@transaction.atomic
def respondent_erase(*, respondent: Respondent, by: User) -> None:
    """Erase one respondent now, at their request: their row (answers
    cascade), the emails sent to them and the address their letter went to
    (the invitation goes with it, so the code no longer exists)."""
    respondent = Respondent.objects.select_for_update().get(pk=respondent.pk)
    assembly = respondent.assembly
    pseudonym = str(respondent)
    _outbox_of(respondent).delete()
    invitation = respondent.invitation
    address_id = invitation.address_id if invitation is not None else None
    respondent.delete()
    if address_id is not None:
        Address.objects.filter(pk=address_id).delete()
    audit_record(action="respondent.erased", by=by, assembly=assembly, object_repr=pseudonym)


@dataclass
class ErasureReport:
    respondents: int = 0
    emails: int = 0
    addresses: int = 0
    files: int = 0
    skipped: bool = False


@transaction.atomic
def erase_unselected(*, assembly: Assembly) -> ErasureReport:
    """Once the panel is final: erase everyone not on it, and stage 1's
    address files, addresses and letters, which nobody needs any more.

    Idempotent: the settings row is locked and marked; a second call skips.
    """
    settings = RecruitmentSettings.objects.select_for_update().get(assembly=assembly)
    report = ErasureReport()
    if settings.unselected_erased_at is not None:
        report.skipped = True
        return report
    unselected = Respondent.objects.filter(assembly=assembly, status__in=UNSELECTED_STATUSES)
    emails = {e.lower() for e in unselected.exclude(email="").values_list("email", flat=True)}
    kept = {
        e.lower()
        for e in Respondent.objects.filter(assembly=assembly)
        .exclude(status__in=UNSELECTED_STATUSES)
        .values_list("email", flat=True)
    }
    # An email shared with someone on the panel (a family address) stays: it is theirs too.
    emails -= kept
    outbox_ids = [
        pk
        for pk, recipient in OutboxMessage.objects.filter(assembly=assembly).values_list("pk", "recipient")
        if recipient.lower() in emails
    ]
    report.emails = OutboxMessage.objects.filter(pk__in=outbox_ids).delete()[0]
    report.respondents = unselected.count()
    unselected.delete()

    files: list[Any] = []
    for round_ in InvitationRound.objects.filter(assembly=assembly):
        if round_.address_file:
            files.append(round_.address_file)
    for batch in LetterBatch.objects.filter(assembly=assembly).exclude(Q(pdf="") | Q(pdf__isnull=True)):
        files.append(batch.pdf)
    InvitationRound.objects.filter(assembly=assembly).update(address_file="", import_errors=[])
    LetterBatch.objects.filter(assembly=assembly).update(pdf="")
    report.addresses = Address.objects.filter(assembly=assembly).count()
    Address.objects.filter(assembly=assembly).delete()
    report.files = len(files)
    # Delete the files only once the rows no longer point at them.
    names = [(f.storage, f.name) for f in files]
    transaction.on_commit(lambda: _delete_files(names))

    settings.unselected_erased_at = timezone.now()
    settings.save(update_fields=["unselected_erased_at"])
    audit_record(
        action="recruitment.unselected_erased",
        by=None,
        assembly=assembly,
        data={"respondents": report.respondents, "emails": report.emails, "addresses": report.addresses},
    )
    return report


def _delete_files(names: list[tuple[Any, str]]) -> None:
    for storage, name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("erasure: could not delete a stored file (%s)", type(storage).__name__)
