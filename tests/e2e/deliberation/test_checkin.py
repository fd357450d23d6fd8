"""Check-in on a 320-px phone: a facilitator checks a member in by the code on
their badge; then, offline, checks in another one (kept on the phone and shown
as waiting), and when the network is back the queue is sent: exactly one
attendance row for that member."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assemblies.models import Role
from deliberation.attendance import services
from deliberation.models import Attendance, AttendanceStatus
from tests.e2e.helpers import CSPWatcher, axe_violations, login_with_cookie, shot
from tests.factories import MemberFactory, SessionFactory, TeamMembershipFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}


def _fits(page: Any) -> None:
    """The page fits a 320-px screen and passes the WCAG 2.1 AA audit (axe-core)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"] + 1, f"{page.url} is {width}px wide"
    found = axe_violations(page)
    assert not found, f"{page.url}: " + "; ".join(found)


def test_a_facilitator_checks_members_in_on_a_phone_including_offline(
    page: Any, live_server: Any, tenant: Any, csp: CSPWatcher
) -> None:
    assembly = tenant.assembly
    start = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=30)
    session = SessionFactory(assembly=assembly, title="Weekend 2: homes", starts_at=start)
    first = MemberFactory(assembly=assembly, display_name="Priya Shah")
    second = MemberFactory(assembly=assembly, display_name="Tom O'Neill")
    codes = {m.pk: services.ensure_participant(member=m).badge_code for m in (first, second)}
    facilitator = UserFactory(username="table-host@example.org")
    TeamMembershipFactory(team=tenant.team, user=facilitator, role=Role.FACILITATOR)
    login_with_cookie(page.context, live_server, facilitator)
    page.set_viewport_size(NARROW)

    url = f"{live_server.url}/portal/{assembly.slug}/facilitate/checkin/{session.pk}/"
    csp.visit("check-in page", url)
    expect(page.get_by_role("heading", name="Check-in: Weekend 2: homes")).to_be_visible()
    _fits(page)
    shot(page, "checkin-1-page")

    # Online: type the code from the badge (lower case, with a space, as people do).
    code = codes[first.pk]
    page.get_by_label("Code on the badge").fill(f"{code[:3].lower()} {code[3:].lower()}")
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Priya Shah is checked in.")).to_be_visible()
    expect(page.locator(f'[data-member="{first.pk}"] [data-state]')).to_have_text("Checked in")
    expect(page.locator(f'[data-member="{first.pk}"] form')).to_be_hidden()
    expect(page.locator("#checkin-count")).to_have_text("1")
    assert Attendance.objects.get(member=first).status == AttendanceStatus.PRESENT
    shot(page, "checkin-2-online")

    # Finding a name narrows the list.
    page.get_by_label("Name or badge code", exact=True).fill("tom")
    expect(page.locator(f'[data-member="{second.pk}"]')).to_be_visible()
    expect(page.locator(f'[data-member="{first.pk}"]')).to_be_hidden()
    page.get_by_label("Name or badge code", exact=True).fill("")

    # The service worker controls the check-in pages: reloaded without network, the page still opens.
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == f"{live_server.url}/portal/{assembly.slug}/facilitate/checkin/"
    page.reload()  # now through the worker, which keeps a copy
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.reload()
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Check-in: Weekend 2: homes")).to_be_visible()
    expect(page.locator(f'[data-member="{first.pk}"] [data-state]')).to_have_text("Checked in")

    # Offline: the second check-in is kept on the phone and shown as waiting.
    expect(page.locator("#checkin-network")).to_be_visible()
    page.get_by_label("Code on the badge").fill(codes[second.pk])
    page.get_by_role("button", name="Check in", exact=True).click()
    queue = page.locator("#queue")
    expect(queue).to_be_visible()
    expect(queue.get_by_role("heading")).to_have_text("Waiting to be sent (1)")
    expect(queue).to_contain_text("Tom O'Neill")
    expect(page.locator(f'[data-member="{second.pk}"] [data-state]')).to_have_text("Waiting to be sent")
    assert not Attendance.objects.filter(member=second).exists()
    _fits(page)
    shot(page, "checkin-3-offline-queued")

    # Back online: the queue is sent once, and empties.
    page.context.set_offline(False)
    expect(page.locator(f'[data-member="{second.pk}"] [data-state]')).to_have_text("Checked in")
    expect(queue).to_be_hidden()
    expect(page.locator("#checkin-count")).to_have_text("2")
    shot(page, "checkin-4-sent")
    page.reload()  # nothing left in IndexedDB to send again
    expect(page.locator("#queue")).to_be_hidden()
    assert Attendance.objects.filter(member=second, session=session).count() == 1
    assert Attendance.objects.filter(session=session).count() == 2
    assert csp.clean, "CSP violations:\n" + csp.report()


def test_a_member_claims_travel_on_a_phone(
    page: Any, live_server: Any, tenant: Any, tmp_path: Any, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    assembly = tenant.assembly
    # Claims are for sessions that have started: this one was two days ago.
    SessionFactory(
        assembly=assembly, title="Weekend 1: energy", starts_at=timezone.now() - dt.timedelta(days=2)
    )
    login_with_cookie(page.context, live_server, tenant.member)
    page.set_viewport_size(NARROW)
    page.goto(f"{live_server.url}/portal/{assembly.slug}/")
    page.get_by_role("link", name="My expenses and stipends").click()
    expect(page.get_by_role("heading", name="My expenses and stipends")).to_be_visible()

    # A mistake first: the amount in words. What was typed is kept.
    page.get_by_label("Travel").check()
    page.get_by_label("Amount in pounds").fill("twelve")
    page.get_by_label("Details (optional)").fill("Bus from Eastfield and back")
    page.get_by_role("button", name="Send my claim").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the amount as a number, for example 12.50.")
    expect(page.get_by_label("Details (optional)")).to_have_value("Bus from Eastfield and back")
    shot(page, "expenses-1-error")
    _fits(page)

    receipt = tmp_path / "ticket.png"
    receipt.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    page.get_by_label("Which session? (optional)").select_option(label="Weekend 1: energy")
    page.get_by_label("Amount in pounds").fill("6.40")
    page.get_by_label("Receipt (photo or PDF)").set_input_files(str(receipt))
    page.get_by_role("button", name="Send my claim").click()
    expect(page.get_by_role("status")).to_contain_text("Your claim is sent.")
    expect(page.get_by_text("£6.40")).to_be_visible()
    expect(page.get_by_role("link", name="Your receipt")).to_be_visible()
    _fits(page)
    shot(page, "expenses-2-sent")
    from deliberation.models import Expense

    expense = Expense.objects.get()
    assert (str(expense.amount), expense.kind, expense.session.title) == (
        "6.40",
        "travel",
        "Weekend 1: energy",
    )


def test_an_organiser_sees_attendance_flags_and_expenses(
    page: Any, live_server: Any, tenant: Any, csp: CSPWatcher
) -> None:
    from decimal import Decimal

    from deliberation.models import SessionStatus
    from tests.e2e.helpers import activate_totp

    assembly = tenant.assembly
    organiser = tenant.organiser
    missing = MemberFactory(assembly=assembly, display_name="Sam Missing")
    here = MemberFactory(assembly=assembly, display_name="Jo Present")
    sessions = [
        SessionFactory(
            assembly=assembly,
            title=f"Weekend {n}",
            starts_at=timezone.now().replace(microsecond=0) - dt.timedelta(days=30 - 10 * n),
            status=SessionStatus.HELD,
        )
        for n in (1, 2)
    ]
    for session in sessions:
        services.attendance_mark(session=session, member=missing, status="absent", by=organiser)
        services.attendance_mark(session=session, member=here, status="present", by=organiser)
    services.expense_claim(
        member=here,
        kind="travel",
        amount=Decimal("8.40"),
        description="Train",
        session=sessions[0],
        receipt=None,
        by=here.user,
    )
    activate_totp(organiser)
    login_with_cookie(page.context, live_server, organiser)

    base = f"{live_server.url}/admin/deliberation/attendance/{assembly.pk}"
    csp.visit("attendance overview", f"{base}/")
    flagged = page.locator("section[aria-labelledby=flagged-h]")
    expect(flagged.get_by_role("heading")).to_have_text("Members who missed 2 sessions or more")
    expect(flagged.locator("tbody tr")).to_have_count(1)
    expect(flagged.locator("tbody tr")).to_contain_text("Sam Missing")
    shot(page, "attendance-overview")

    csp.visit("session attendance", f"{base}/session/{sessions[0].pk}/")
    expect(page.get_by_role("cell", name="Jo Present", exact=True)).to_be_visible()
    shot(page, "attendance-session")
    page.get_by_label("Stipend for each member present (£)").fill("40")
    page.get_by_role("button", name="Add stipends").click()
    expect(page.get_by_text("A stipend was added for the one member present.")).to_be_visible()

    csp.visit("expenses", f"{base}/expenses/")
    expect(page.get_by_text("£8.40")).to_be_visible()
    expect(page.get_by_text("£40.00")).to_be_visible()
    shot(page, "attendance-expenses")
    csp.visit("logistics", f"{base}/logistics/")
    shot(page, "attendance-logistics")
    assert csp.clean, "CSP violations:\n" + csp.report()
