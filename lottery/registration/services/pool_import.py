"""Import a pool of respondents recruited by the organisers (CSV or XLSX).

Every row is checked and reported with its line number (the header is line 1)
and plain reasons; a dry run stops there, otherwise the valid rows are saved
together.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import Actor, authorise
from assemblies.audit import audit_record
from assemblies.models import Assembly
from assemblies.rules import SEE_PERSONAL_DATA
from lottery.models import PREFER_NOT_TO_SAY, Answer, Category, Respondent, RespondentSource
from lottery.rules import MANAGE_RECRUITMENT

from ..selectors import features_by_category
from ..tables import TableError, read_table
from .quotas import prefer_not_to_say_feature, recruitment_settings

logger = logging.getLogger(__name__)

CONTACT_COLUMNS = (
    "first_name", "last_name", "email", "phone", "address", "postcode", "household", "language",
    "access_needs",
)  # fmt: skip
PREVIEW_ROWS = 20
#: Rows saved per transaction, and between two progress reports.
SAVE_BATCH = 2_000
#: Rows with problems listed in the report (all are counted).
MAX_LISTED_ERRORS = 1_000


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

    rows_rejected: int = 0

    def reject(self, line: int, messages: list[str]) -> None:
        self.rows_rejected += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(RowError(line=line, messages=messages))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        fields = {**data, "errors": [RowError(**e) for e in data.get("errors", [])]}
        return cls(**fields)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def pool_import(
    *,
    assembly: Assembly,
    file: Any,
    dry_run: bool,
    by: Actor,
    file_name: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check every row of a pool file and (unless ``dry_run``) save the valid ones.

    Never raises on bad rows: each gets its line number (the header is line 1)
    and plain reasons. A file that cannot be read at all, or passes the size
    limits, gets a file error (rows saved before a limit was hit stay saved,
    and the report says how many). Rows are streamed and saved in batches, so
    memory does not grow with the file. Needs MANAGE_RECRUITMENT and, since the
    report previews names, SEE_PERSONAL_DATA.
    """
    authorise(by, MANAGE_RECRUITMENT, assembly, _("You may not import a pool into this assembly."))
    authorise(by, SEE_PERSONAL_DATA, assembly, _("You may not see respondents of this assembly."))
    report = ImportReport(dry_run=dry_run)
    try:
        table = read_table(file, file_name or getattr(file, "name", "") or "")
    except TableError as exc:
        report.file_errors.append(str(exc))
        return report
    columns = {h.lower(): i for i, h in enumerate(table.headers) if h}
    categories = list(Category.objects.filter(assembly=assembly).order_by("order", "id"))
    report.file_errors.extend(_missing_columns(columns, categories))
    if report.file_errors:
        return report
    checker = _RowChecker(assembly, columns, categories)
    batch: list[tuple[int, dict[str, str], dict[int, str]]] = []
    try:
        for line, row in table.rows:
            if not any(_text(v) for v in row):
                continue  # blank lines are not people
            _check_row(report, checker, batch, line, row)
            if len(batch) >= SAVE_BATCH:
                _flush(assembly, batch, report)
                if progress is not None:
                    progress(report.rows_read)
    except TableError as exc:
        report.file_errors.append(str(exc))
    _flush(assembly, batch, report)
    if not dry_run and report.rows_imported:
        audit_record(
            action="respondent.pool_imported",
            by=by,
            assembly=assembly,
            data={"rows_imported": report.rows_imported},
        )
    return report


def _check_row(
    report: ImportReport,
    checker: _RowChecker,
    batch: list[tuple[int, dict[str, str], dict[int, str]]],
    line: int,
    row: list[Any],
) -> None:
    report.rows_read += 1
    contact, answers, problems = checker.check(line, row)
    if problems:
        report.reject(line, problems)
        return
    report.rows_valid += 1
    batch.append((line, contact, answers))
    if len(report.preview) < PREVIEW_ROWS:
        report.preview.append(
            {
                "line": str(line),
                "name": f"{contact['first_name']} {contact['last_name']}",
                "email": contact["email"],
                "answers": ", ".join(answers.values()),
            }
        )


def _flush(
    assembly: Assembly, batch: list[tuple[int, dict[str, str], dict[int, str]]], report: ImportReport
) -> None:
    """Save the batch (unless a dry run) and empty it."""
    if batch and not report.dry_run:
        report.rows_imported += _save_imported(assembly, batch, report)
    batch.clear()


def _missing_columns(columns: dict[str, int], categories: list[Category]) -> list[str]:
    errors = [
        _("The column “%(col)s” is missing.") % {"col": required}
        for required in ("first_name", "last_name", "email")
        if required not in columns
    ]
    errors.extend(
        _("The column “%(col)s” is missing (question: %(q)s).") % {"col": category.name, "q": category.label}
        for category in categories
        if category.name.lower() not in columns
    )
    return errors


class _RowChecker:
    """Checks one row at a time against the assembly's questions and the
    people already in its pool (and earlier in the file)."""

    def __init__(self, assembly: Assembly, columns: dict[str, int], categories: list[Category]) -> None:
        self.columns = columns
        self.categories = categories
        self.answers_by_text = _answers_by_text(assembly, categories)
        self.known_emails = {
            e.lower()
            for e in Respondent.objects.filter(assembly=assembly)
            .exclude(email="")
            .values_list("email", flat=True)
        }
        self.seen_emails: dict[str, int] = {}

    def cell(self, row: list[Any], name: str) -> str:
        index = self.columns.get(name)
        return _text(row[index]) if index is not None and index < len(row) else ""

    def check(self, line: int, row: list[Any]) -> tuple[dict[str, str], dict[int, str], list[str]]:
        """The row's contact details, its answers (category id → feature
        value) and what is wrong with it (empty when it can be imported)."""
        contact = {name: self.cell(row, name) for name in CONTACT_COLUMNS}
        problems = self._contact_problems(line, contact)
        answers: dict[int, str] = {}
        for category in self.categories:
            raw = self.cell(row, category.name.lower())
            if not raw:
                problems.append(_("no answer for question “%(q)s”") % {"q": category.label})
                continue
            found = self.answers_by_text[category.pk].get(raw.lower())
            if found is None:
                problems.append(
                    _("unknown answer “%(a)s” for question “%(q)s”") % {"a": raw, "q": category.label}
                )
            else:
                answers[category.pk] = found
        return contact, answers, problems

    def _contact_problems(self, line: int, contact: dict[str, str]) -> list[str]:
        problems: list[str] = []
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
                if email.lower() in self.known_emails:
                    problems.append(_("duplicate: someone with this email is already in the pool"))
                elif email.lower() in self.seen_emails:
                    problems.append(
                        _("duplicate: same email as line %(line)s")
                        % {"line": self.seen_emails[email.lower()]}
                    )
                else:
                    self.seen_emails[email.lower()] = line
        for name, limit in (("first_name", 120), ("last_name", 120), ("phone", 40), ("postcode", 20)):
            if len(contact[name]) > limit:
                problems.append(_("%(col)s is longer than %(n)s characters") % {"col": name, "n": limit})
        return problems


def _answers_by_text(assembly: Assembly, categories: list[Category]) -> dict[int, dict[str, str]]:
    """Per category: every accepted spelling (value or label, any case) → the feature's value."""
    features = features_by_category(assembly)
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
    return lookup


def _save_imported(
    assembly: Assembly, rows: list[tuple[int, dict[str, str], dict[int, str]]], report: ImportReport
) -> int:
    """Save a batch in one transaction (two bulk inserts); if someone with the
    same email arrived meanwhile (another import, a registration), save row by
    row and report each such row as a duplicate. Returns how many were saved."""
    saver = _Saver(assembly)
    try:
        with transaction.atomic():
            saver.save([(contact, answers) for _line, contact, answers in rows])
        return len(rows)
    except IntegrityError:
        pass
    saved = 0
    for line, contact, answers in rows:
        try:
            with transaction.atomic():
                saver.save([(contact, answers)])
        except IntegrityError:
            report.rows_valid -= 1
            report.reject(line, [_("duplicate: someone with this email is already in the pool")])
        else:
            saved += 1
    return saved


class _Saver:
    """Respondents and their answers, in bulk; the questions are read once."""

    def __init__(self, assembly: Assembly) -> None:
        self.assembly = assembly
        self.consent_version = recruitment_settings(assembly).privacy_notice_version
        self.features = features_by_category(assembly)
        for category in Category.objects.filter(assembly=assembly, allow_prefer_not_to_say=True):
            self.features.setdefault(category.pk, {})[PREFER_NOT_TO_SAY] = prefer_not_to_say_feature(category)

    def save(self, rows: list[tuple[dict[str, str], dict[int, str]]]) -> None:
        now = timezone.now()
        respondents = Respondent.objects.bulk_create(
            [
                Respondent(
                    assembly=self.assembly,
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
                    consent_version=self.consent_version,
                    consented_at=now,
                )
                for contact, _answers in rows
            ]
        )
        Answer.objects.bulk_create(
            [
                Answer(
                    assembly=self.assembly,
                    respondent=respondent,
                    category_id=category_id,
                    feature=self.features[category_id][value],
                )
                for respondent, (_contact, answers) in zip(respondents, rows, strict=True)
                for category_id, value in answers.items()
            ]
        )
