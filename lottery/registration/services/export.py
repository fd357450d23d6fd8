"""A respondent's own data, exported (a subject access request)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from assemblies.actors import Actor, authorise
from assemblies.audit import audit_record
from assemblies.rules import SEE_PERSONAL_DATA
from lottery.models import Respondent
from reports.csv_safety import safe_row

from ..selectors import outbox_of


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


def respondent_export(*, respondent: Respondent, by: Actor) -> RespondentExport:
    """Everything we hold on one respondent (a subject access request), audited."""
    authorise(by, SEE_PERSONAL_DATA, respondent.assembly, _("You may not see respondents of this assembly."))
    answers = respondent.answers.select_related("category", "feature").order_by(
        "category__order", "category_id"
    )
    emails = outbox_of(respondent).order_by("created_at")
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
            "access_need_list": list(respondent.access_need_list or []),
            "interpreter_language": respondent.interpreter_language,
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
