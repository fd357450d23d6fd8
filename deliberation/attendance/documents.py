"""Documents of this part: badges (PDF, with the code as a QR code) and the
finance export of expenses and stipends (CSV and XLSX, formula-safe)."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable
from typing import Any

import qrcode
import qrcode.image.svg
import tablib
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.models import Assembly, Member
from deliberation.models import Expense, Participant
from reports.csv_safety import safe_row
from reports.pdf import render_pdf


def qr_data_uri(text: str) -> str:
    """``text`` as a QR code, an SVG ``data:`` URI (the PDF fetcher loads nothing else)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def badges_pdf(assembly: Assembly, people: Iterable[tuple[Member, Participant]]) -> bytes:
    """One badge per member: their name, the short code in large type and the
    same code as a QR code (phones with a barcode reader scan it at check-in)."""
    badges = [
        {"name": str(member), "code": participant.badge_code, "qr": qr_data_uri(participant.badge_code)}
        for member, participant in people
    ]
    html = render_to_string("deliberation/attendance/badges.html", {"assembly": assembly, "badges": badges})
    return render_pdf(html)


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def finance_dataset(expenses: Iterable[Expense]) -> tablib.Dataset:
    """One row per expense, every cell passed through ``safe_row``."""
    headers = [
        _("Reference"),
        _("Member"),
        _("Email"),
        _("Session"),
        _("Kind"),
        _("What it was for"),
        _("Amount"),
        _("Status"),
        _("Claimed on"),
        _("Decided on"),
        _("Paid on"),
        _("Receipt"),
    ]
    data = tablib.Dataset(headers=[str(h) for h in headers], title=str(_("Expenses"))[:31])
    for expense in expenses:
        data.append(
            safe_row(
                [
                    f"EXP-{expense.pk}",
                    str(expense.member),
                    expense.member.user.email,
                    expense.session.title if expense.session else "",
                    str(expense.get_kind_display()),
                    expense.description,
                    expense.amount,
                    str(expense.get_status_display()),
                    _local(expense.created_at),
                    _local(expense.decided_at),
                    _local(expense.paid_at),
                    _("yes") if expense.receipt else _("no"),
                ]
            )
        )
    return data
