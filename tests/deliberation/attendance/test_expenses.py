"""Expenses and stipends: members claim their own with a checked receipt;
organisers decide and pay; the finance export is formula-safe."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assemblies.models import AuditEvent, Role
from deliberation.attendance import services
from deliberation.models import Expense, ExpenseStatus
from tests.factories import MemberFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def claim_url(assembly: Any) -> str:
    return reverse("portal:deliberation_expenses", args=[assembly.slug])


def test_a_member_claims_with_a_receipt_and_sees_it(member_client: Any, assembly: Any, session: Any) -> None:
    response = member_client.post(
        claim_url(assembly),
        {
            "kind": "travel",
            "session": session.pk,
            "amount": "12.50",
            "description": "Bus",
            "receipt": SimpleUploadedFile("ticket.png", PNG, content_type="image/png"),
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Your claim is sent." in body and "£12.50" in body
    expense = Expense.objects.get()
    assert (expense.kind, expense.amount, expense.status, expense.session) == (
        "travel",
        Decimal("12.50"),
        ExpenseStatus.CLAIMED,
        session,
    )
    assert expense.receipt_type == "image/png"
    receipt = member_client.get(
        reverse("portal:deliberation_expense_receipt", args=[assembly.slug, expense.pk])
    )
    assert receipt.status_code == 200
    assert b"".join(receipt.streaming_content) == PNG
    assert receipt["X-Content-Type-Options"] == "nosniff"


def test_bad_input_says_what_is_wrong_and_keeps_what_was_typed(member_client: Any, assembly: Any) -> None:
    response = member_client.post(
        claim_url(assembly),
        {
            "kind": "childcare",
            "amount": "twelve",
            "description": "Nursery on Saturday",
            "receipt": SimpleUploadedFile("x.png", b"MZ not an image at all", content_type="image/png"),
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter the amount as a number, for example 12.50." in body
    assert "Nursery on Saturday" in body
    assert not Expense.objects.exists()


def test_a_receipt_that_is_not_an_image_or_pdf_is_refused(member_client: Any, assembly: Any) -> None:
    response = member_client.post(
        claim_url(assembly),
        {
            "kind": "travel",
            "amount": "3",
            "receipt": SimpleUploadedFile(
                "r.png", b"<html><script>alert(1)</script>", content_type="image/png"
            ),
        },
    )
    assert response.status_code == 400
    assert "This file is not one of the accepted kinds (PDF, PNG, JPEG, WebP)." in response.content.decode()
    assert not Expense.objects.exists()


def test_members_cannot_claim_a_stipend_or_for_someone_else(alpha_member: Any, assembly: Any) -> None:
    with pytest.raises(ValidationError):
        services.expense_claim(
            member=alpha_member,
            kind="stipend",
            amount=Decimal(50),
            description="",
            session=None,
            receipt=None,
            by=alpha_member.user,
        )
    someone = MemberFactory(assembly=assembly)
    with pytest.raises(PermissionDenied):
        services.expense_claim(
            member=someone,
            kind="travel",
            amount=Decimal(5),
            description="",
            session=None,
            receipt=None,
            by=alpha_member.user,
        )


def test_receipts_are_private(
    client: Any,
    member_client: Any,
    organiser_client: Any,
    assembly: Any,
    alpha_member: Any,
    other_tenant: Any,
    tenant: Any,
) -> None:
    expense = services.expense_claim(
        member=alpha_member,
        kind="travel",
        amount=Decimal(5),
        description="",
        session=None,
        receipt=SimpleUploadedFile("r.png", PNG),
        by=alpha_member.user,
    )
    admin_url = reverse("admin:deliberation_attendance_receipt", args=[assembly.pk, expense.pk])
    assert organiser_client.get(admin_url).status_code == 200
    # Another member of the same assembly cannot reach it through the portal.
    other = MemberFactory(assembly=assembly)
    client.force_login(other.user)
    assert (
        client.get(
            reverse("portal:deliberation_expense_receipt", args=[assembly.slug, expense.pk])
        ).status_code
        == 404
    )
    # A facilitator (no MANAGE_STIPENDS) gets 403 on the admin's, another tenant 404.
    facilitator = MemberFactory(assembly=assembly).user
    TeamMembershipFactory(team=tenant.team, user=facilitator, role=Role.FACILITATOR)
    client.force_login(facilitator)
    assert client.get(admin_url).status_code == 403
    client.force_login(other_tenant.organiser)
    assert client.get(admin_url).status_code == 404


def test_organisers_approve_reject_and_pay_with_an_audit_trail(
    organiser: Any, organiser_client: Any, alpha_member: Any, assembly: Any, facilitator: Any
) -> None:
    expense = services.expense_claim(
        member=alpha_member,
        kind="care",
        amount=Decimal("40"),
        description="Carer",
        session=None,
        receipt=None,
        by=alpha_member.user,
    )
    decide = reverse("admin:deliberation_attendance_decide", args=[assembly.pk, expense.pk])

    response = organiser_client.post(decide, {"decision": "reject", "reason": ""}, follow=True)
    assert "Say why the claim is not approved" in response.content.decode()
    organiser_client.post(decide, {"decision": "paid"})
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.CLAIMED  # not approved yet: cannot be paid

    organiser_client.post(decide, {"decision": "approve"})
    organiser_client.post(decide, {"decision": "paid"})
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.PAID and expense.paid_at is not None
    actions = list(
        AuditEvent.objects.filter(object_type="deliberation.expense").values_list("action", flat=True)
    )
    assert {
        "deliberation.expense_claimed",
        "deliberation.expense_approved",
        "deliberation.expense_paid",
    } <= set(actions)
    with pytest.raises(PermissionDenied):
        services.expense_approve(expense=expense, by=facilitator)


def test_a_rejected_claim_shows_the_reason_to_the_member(
    organiser: Any, member_client: Any, alpha_member: Any, assembly: Any
) -> None:
    expense = services.expense_claim(
        member=alpha_member,
        kind="other",
        amount=Decimal("9"),
        description="Lunch",
        session=None,
        receipt=None,
        by=alpha_member.user,
    )
    services.expense_reject(expense=expense, reason="Lunch is provided at the venue.", by=organiser)
    body = member_client.get(claim_url(assembly)).content.decode()
    assert "Not approved" in body and "Lunch is provided at the venue." in body


def test_stipends_for_members_present_once(
    organiser: Any, facilitator: Any, session: Any, alpha_member: Any, assembly: Any
) -> None:
    absent = MemberFactory(assembly=assembly)
    services.checkin(session=session, member=alpha_member, client_key="s1", by=facilitator)
    services.attendance_mark(session=session, member=absent, status="absent", by=organiser)

    assert services.stipends_generate(session=session, amount=Decimal(50), by=organiser) == 1
    assert services.stipends_generate(session=session, amount=Decimal(50), by=organiser) == 0
    stipend = Expense.objects.get()
    assert (stipend.member, stipend.kind, stipend.status) == (alpha_member, "stipend", ExpenseStatus.APPROVED)


def test_the_finance_export_is_formula_safe(organiser_client: Any, alpha_member: Any, assembly: Any) -> None:
    alpha_member.display_name = '=HYPERLINK("http://evil")'
    alpha_member.save()
    services.expense_claim(
        member=alpha_member,
        kind="travel",
        amount=Decimal("7.20"),
        description="+SUM(A1:A9)",
        session=None,
        receipt=None,
        by=alpha_member.user,
    )
    csv_body = organiser_client.get(
        reverse("admin:deliberation_attendance_export_csv", args=[assembly.pk])
    ).content.decode()
    assert "'=HYPERLINK" in csv_body and "'+SUM(A1:A9)" in csv_body
    assert ",=HYPERLINK" not in csv_body and ",+SUM" not in csv_body

    xlsx = organiser_client.get(reverse("admin:deliberation_attendance_export_xlsx", args=[assembly.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert "'+SUM(A1:A9)" in cells and '\'=HYPERLINK("http://evil")' in cells
    assert not any(isinstance(v, str) and v.startswith(("=", "+")) for v in cells)


def test_expense_list_queries_do_not_grow(organiser_client: Any, assembly: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:deliberation_attendance_expenses", args=[assembly.pk])

    def add() -> None:
        m = MemberFactory(assembly=assembly)
        services.expense_claim(
            member=m, kind="travel", amount=Decimal(1), description="", session=None, receipt=None, by=m.user
        )

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert organiser_client.get(url).status_code == 200
        return len(captured)

    add()
    few = count()
    for _ in range(5):
        add()
    assert count() == few <= 30


def test_a_member_sees_their_own_attendance_only(
    member_client: Any, assembly: Any, alpha_member: Any, facilitator: Any, session: Any
) -> None:
    someone = MemberFactory(assembly=assembly, display_name="Someone Else")
    services.checkin(session=session, member=alpha_member, client_key="own", by=facilitator)
    services.checkin(session=session, member=someone, client_key="theirs", by=facilitator)

    body = member_client.get(claim_url(assembly)).content.decode()

    assert "Your attendance" in body and f"{session.title} (" in body and "Present" in body
    assert "Someone Else" not in body


def test_the_session_choice_offers_only_sessions_that_have_started(
    member_client: Any, assembly: Any, session: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from deliberation.models import SessionStatus
    from tests.factories import SessionFactory

    future: Any = SessionFactory(
        assembly=assembly, title="Next month", starts_at=timezone.now() + dt.timedelta(days=30)
    )
    cancelled: Any = SessionFactory(
        assembly=assembly,
        title="Called off",
        starts_at=timezone.now() - dt.timedelta(days=3),
        status=SessionStatus.CANCELLED,
    )

    body = member_client.get(claim_url(assembly)).content.decode()
    refused = member_client.post(
        claim_url(assembly), {"kind": "travel", "session": future.pk, "amount": "3.00"}
    )

    assert f'<option value="{session.pk}">{session.title}</option>' in body
    assert "Not about one session" in body
    assert f'value="{future.pk}"' not in body and f'value="{cancelled.pk}"' not in body
    assert refused.status_code == 400
    assert "Choose a session that has already started." in refused.content.decode()
    assert not Expense.objects.exists()


@pytest.mark.parametrize(
    ("typed", "amount"), [("12,50", "12.50"), ("12.50", "12.50"), ("7,5", "7.50"), (" 3 ", "3")]
)
def test_an_amount_with_a_decimal_comma_or_point_is_accepted(
    member_client: Any, assembly: Any, typed: str, amount: str
) -> None:
    response = member_client.post(claim_url(assembly), {"kind": "travel", "session": "", "amount": typed})

    assert response.status_code == 302
    assert Expense.objects.get().amount == Decimal(amount)


@pytest.mark.parametrize("typed", ["1,250.00", "1,250", "12,5,0", "12.50,", "twelve", "12,"])
def test_an_ambiguous_amount_is_refused_with_the_clear_message(
    member_client: Any, assembly: Any, typed: str
) -> None:
    response = member_client.post(claim_url(assembly), {"kind": "travel", "session": "", "amount": typed})

    assert response.status_code == 400
    assert "Enter the amount as a number, for example 12.50." in response.content.decode()
    assert 'value="' + typed + '"' in response.content.decode()
    assert not Expense.objects.exists()
