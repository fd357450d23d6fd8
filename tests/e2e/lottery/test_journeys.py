"""Whole journeys through the lottery, in Chromium against the live server:

1. a respondent registers, on a phone, with the code printed on a generated letter;
2. a selected respondent confirms their seat and logs in to the members' portal;
3. a decline is replaced from the organiser's screen, and the quotas still hold.

Services do the organiser's set-up where the screens are tested elsewhere
(tests/lottery/selection/test_e2e.py); the browser does what the person does.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from lottery.invitations import services as invitation_services
from lottery.models import (
    Answer,
    DrawStatus,
    Feature,
    InvitationRound,
    LetterBatch,
    Respondent,
    RespondentStatus,
    RunKind,
    SelectionRun,
)
from lottery.selection.reserves import reserve_checks
from tests.e2e.helpers import PHONE, latest_login_code, login_with_cookie, shot
from tests.factories import drawn_panel
from tests.lottery.registration.conftest import setup_recruitment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 15_000
ON_PANEL = (RespondentStatus.SELECTED, RespondentStatus.CONFIRMED)


@pytest.fixture(autouse=True)
def _journey_settings(allow_orm_beside_playwright: None, live_server_settings: None, settings: Any) -> None:
    settings.PLENARY_REQUIRE_ORGANISER_MFA = False


@pytest.fixture
def page(page: Any) -> Any:
    page.set_default_timeout(TIMEOUT_MS)
    return page


def _drawn_run(assembly: Any, organiser: Any) -> SelectionRun:
    return drawn_panel(assembly, organiser, key="journey-1")


# --- 1. a letter's code -------------------------------------------------------


def test_respondent_registers_with_the_code_from_a_generated_letter(
    page: Any, live_server: Any, assembly: Any, organiser: Any
) -> None:
    setup_recruitment(assembly)
    addresses = "Address1,Town,Postcode\n" + "".join(
        f"{i} Mill Lane,Testtown,AB{i} 1CD\n" for i in range(1, 7)
    )
    round_ = InvitationRound(
        assembly=assembly,
        name="Spring letters",
        address_file=SimpleUploadedFile("addresses.csv", addresses.encode(), content_type="text/csv"),
    )
    invitation_services.invitation_round_upload(round=round_, by=organiser)
    round_.refresh_from_db()
    assert round_.rows_imported == 6, (round_.import_job.message, round_.import_errors)
    assert invitation_services.invitation_round_draw(round=round_, size=3, seed="journey", by=organiser) == 3
    invitation_services.invitation_round_letters_start(round=round_, by=organiser)
    round_.refresh_from_db()
    assert round_.letters_job.done == 3, round_.letters_job.message
    batch = LetterBatch.objects.get(round=round_)
    with batch.pdf.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert batch.pages == 3

    # The code is read from what goes to the print house, not from the database.
    header, *rows = invitation_services.print_house_rows(round_)
    first = dict(zip(header, rows[0], strict=True))
    code = first["code"]
    assert re.fullmatch(r"[A-Z0-9]{6,}", code), code

    # The letter's QR code opens /register/?code=…, on a phone.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/register/?code={code}")
    expect(page.get_by_label("Your registration code")).to_have_value(code)
    shot(page, "journey-1-code")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/register/details/")
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Email address").fill("grace@example.org")
    page.get_by_role("group", name="Gender").get_by_label("Non-Binary").check()
    page.get_by_role("group", name="Age").get_by_label("30-59").check()
    page.get_by_label("I have read the privacy notice").check()
    shot(page, "journey-1-details")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/register/done/")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    shot(page, "journey-1-done")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    respondent = Respondent.objects.get(assembly=assembly)
    assert (respondent.first_name, respondent.last_name, respondent.email) == (
        "Grace",
        "Hopper",
        "grace@example.org",
    )
    assert {a.feature.value for a in respondent.answers.select_related("feature")} == {"non-binary", "30-59"}
    invitation = round_.invitations.get(code=code)
    assert invitation.used_at is not None


# --- 2. confirm, then the portal ----------------------------------------------


def test_selected_respondent_confirms_and_lands_in_the_portal(
    page: Any, live_server: Any, assembly: Any, organiser: Any
) -> None:
    _drawn_run(assembly, organiser)
    respondent = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).first()
    assert respondent is not None and respondent.confirm_token

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/confirm/{respondent.confirm_token}/")
    expect(page.get_by_role("heading", name=assembly.title)).to_be_visible()
    page.get_by_role("button", name="Yes, I will take part").click()
    expect(page.get_by_role("status")).to_contain_text("your seat is confirmed")
    shot(page, "journey-2-confirmed")
    respondent.refresh_from_db()
    assert respondent.status == RespondentStatus.CONFIRMED

    page.get_by_role("link", name="Log in to your members' area").click()
    page.wait_for_url("**/accounts/login/code/")
    page.get_by_label(re.compile("^Email", re.I)).fill(respondent.email)
    page.get_by_role("button", name=re.compile("code", re.I)).click()
    page.wait_for_url("**/accounts/login/code/confirm/")
    code = latest_login_code(respondent.email)
    page.get_by_label(re.compile("^Code", re.I)).fill(code)
    shot(page, "journey-2-code")
    page.get_by_role("button", name=re.compile("sign in|log in|confirm", re.I)).click()
    page.wait_for_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("link", name=assembly.title)).to_be_visible()
    shot(page, "journey-2-portal")


# --- 3. a decline is replaced -------------------------------------------------


def _decline_in_the_browser(page: Any, live_server: Any, decliner: Respondent) -> None:
    page.goto(f"{live_server.url}/confirm/{decliner.confirm_token}/")
    page.get_by_role("button", name="No, I decline").click()
    # Told what taking part means before the decline becomes final.
    expect(page.get_by_role("heading", name="Before you decline")).to_be_visible()
    page.get_by_role("button", name="Yes, I decline my seat").click()
    expect(page.get_by_role("status")).to_contain_text("Your seat will be offered to someone else")
    decliner.refresh_from_db()
    assert decliner.status == RespondentStatus.DECLINED


def test_a_decline_goes_to_the_first_reserve_who_keeps_the_quotas(
    page: Any, live_server: Any, assembly: Any, organiser: Any
) -> None:
    _drawn_run(assembly, organiser)
    # The draw varies from run to run (pseudonyms are random): decline someone
    # whose seat a reserve can take, as the published rule previews it.
    decliner = next(
        r
        for r in Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).order_by("pk")
        if any(c.fits for c in reserve_checks(assembly, vacant=1, leaving=r))
    )
    positions = dict(
        Respondent.objects.filter(assembly=assembly, status=RespondentStatus.RESERVE).values_list(
            "pk", "reserve_position"
        )
    )
    assert decliner is not None and positions

    _decline_in_the_browser(page, live_server, decliner)
    shot(page, "journey-3-declined")

    offered = Respondent.objects.get(pk__in=positions, status=RespondentStatus.SELECTED)
    panel = Respondent.objects.filter(assembly=assembly, status__in=ON_PANEL)
    assert panel.count() == 8 and decliner not in panel and offered in panel
    seats = Counter(Answer.objects.filter(respondent__in=panel).values_list("feature_id", flat=True))
    for feature in Feature.objects.filter(assembly=assembly):
        assert feature.min_seats <= seats[feature.pk] <= feature.max_seats, (feature.value, seats[feature.pk])

    login_with_cookie(page.context, live_server, organiser)
    page.goto(f"{live_server.url}/admin/lottery/selectionrun/assembly/{assembly.pk}/")
    expect(page.get_by_text(f"Offered to reserve no. {positions[offered.pk]}")).to_be_visible()
    shot(page, "journey-3-reserve-offered")


def test_a_decline_no_reserve_can_fill_is_replaced_by_a_draw_and_the_quotas_still_hold(
    page: Any, live_server: Any, assembly: Any, organiser: Any
) -> None:
    _drawn_run(assembly, organiser)
    # No reserve left who could take the seat: the organisers draw a replacement.
    Respondent.objects.filter(assembly=assembly, status=RespondentStatus.RESERVE).update(
        status=RespondentStatus.REGISTERED, reserve_position=None
    )
    decliner = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).first()
    assert decliner is not None
    _decline_in_the_browser(page, live_server, decliner)

    login_with_cookie(page.context, live_server, organiser)
    page.goto(f"{live_server.url}/admin/lottery/selectionrun/assembly/{assembly.pk}/")
    page.get_by_role("link", name="Fill the seat…").first.click()
    page.get_by_role("button", name="Start a replacement draw").click()
    page.wait_for_url(re.compile(r"/admin/lottery/selectionrun/\d+/run/$"))
    page.get_by_label("Source of the public randomness").fill("One die thrown at the council meeting")
    page.get_by_role("button", name="Publish the commitment").click()
    expect(page.get_by_text("The commitment is published")).to_be_visible()
    page.get_by_label("Public randomness, exactly as announced").fill("6")
    page.get_by_role("button", name="Draw the panel").click()
    expect(page.get_by_role("heading", name="The panel against the quotas")).to_be_visible()
    shot(page, "journey-3-replacement-drawn")

    replacement = SelectionRun.objects.get(assembly=assembly, kind=RunKind.REPLACEMENT)
    assert replacement.status == DrawStatus.DRAWN and replacement.replaces_id == decliner.pk
    panel = Respondent.objects.filter(assembly=assembly, status__in=ON_PANEL)
    assert panel.count() == 8 and decliner not in panel
    newcomers = set(replacement.selected) - set(replacement.bundle.get("seated", []))
    assert len(newcomers) == 1
    assert panel.filter(pseudonym__in=newcomers, status=RespondentStatus.SELECTED).count() == 1
    seats = Counter(Answer.objects.filter(respondent__in=panel).values_list("feature_id", flat=True))
    for feature in Feature.objects.filter(assembly=assembly):
        assert feature.min_seats <= seats[feature.pk] <= feature.max_seats, (feature.value, seats[feature.pk])

    # The public page, as the public sees it.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/assemblies/{assembly.slug}/selection/")
    expect(page.get_by_role("heading", name="Replacements")).to_be_visible()
    expect(page.get_by_text(replacement.commitment)).to_be_visible()
    shot(page, "journey-3-public")
