"""The demo that `make run` loads: every screen has something to show, and it
can be loaded twice."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import signal
import socket
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone

from assemblies.models import Assembly, AuditEvent, Member, MemberStatus, Stage
from lottery.models import (
    DrawStatus,
    Invitation,
    InvitationRound,
    JobStatus,
    Respondent,
    RunKind,
    SelectionRun,
)
from lottery.registration.status import registration_status
from lottery.selection.selectors import panel_figures

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def _seed(capture: Any) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_has_a_pool_letters_to_register_with_and_a_drawn_panel(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    output = _seed(django_capture_on_commit_callbacks)
    transport = Assembly.objects.get(slug="northshire-transport")
    assert transport.stage == Stage.RECRUITING
    assert Respondent.objects.filter(assembly=transport).count() == 1500
    round_ = InvitationRound.objects.get(assembly=transport)
    assert (round_.rows_imported, round_.draw_size, round_.letters_status) == (2000, 40, JobStatus.DONE)
    assert round_.letter_batches.get().pdf.name.endswith(".pdf")

    # The command prints a code from those letters; it opens the registration form.
    match = re.search(r"/register/\?code=([A-Z0-9]+)", output)
    assert match, output
    assert Invitation.objects.filter(round=round_, code=match.group(1), used_at__isnull=True).exists()
    response = client.get(f"/register/?code={match.group(1)}")
    assert response.status_code == 200
    # Registration is really open: a privacy notice to consent to, a last day ahead, a contact.
    assert registration_status(transport, transport.recruitment).is_open
    assert transport.recruitment.registration_closes_on > timezone.localdate()
    assert transport.recruitment.privacy_notice and "Northshire" in transport.recruitment.privacy_notice
    assert transport.contact_email == "assembly@northshire.example"

    housing = Assembly.objects.get(slug="northshire-housing")
    drawn = SelectionRun.objects.get(assembly=housing, kind=RunKind.SELECTION)
    assert drawn.status == DrawStatus.DRAWN and drawn.bundle["stats"]["complete"]
    # Reserves first: a decline was filled by the first reserve who keeps the quotas;
    # a seat no reserve could take went to a replacement draw. No seat is left vacant.
    assert AuditEvent.objects.filter(assembly=housing, action="lottery.reserve_called").exists()
    called = AuditEvent.objects.filter(assembly=housing, action="lottery.reserve_called").count()
    replaced = SelectionRun.objects.filter(
        assembly=housing, kind=RunKind.REPLACEMENT, status=DrawStatus.DRAWN
    )
    assert called + replaced.count() >= 1 and panel_figures(housing).vacant == 0
    # The demo member holds a seat the lottery filled: the members and the panel agree.
    from assemblies.demo import MEMBER_EMAIL
    from assemblies.models import Member, MemberStatus

    confirmed_members = Member.objects.filter(assembly=housing, status=MemberStatus.CONFIRMED)
    assert confirmed_members.count() == panel_figures(housing).confirmed
    assert Respondent.objects.get(assembly=housing, email=MEMBER_EMAIL).member.user.email == MEMBER_EMAIL

    # Loading it again changes nothing.
    again = _seed(django_capture_on_commit_callbacks)
    assert Respondent.objects.filter(assembly=transport).count() == 1500
    assert InvitationRound.objects.filter(assembly=transport).count() == 1
    assert SelectionRun.objects.filter(assembly=housing, kind=RunKind.SELECTION).count() == 1
    assert match.group(1) in again


def test_demo_tells_its_lotteries_in_order_on_dates_relative_to_today(
    django_capture_on_commit_callbacks: Any,
) -> None:
    _seed(django_capture_on_commit_callbacks)
    today = timezone.localdate()
    for slug in ("northshire-housing", "riverside-housing"):
        run = SelectionRun.objects.get(assembly__slug=slug, kind=RunKind.SELECTION)
        pool = Respondent.objects.filter(assembly__slug=slug)
        registered = pool.aggregate(last=Max("consented_at"))["last"]
        # People register, then the run is computed, committed, and only then drawn with the dice.
        assert registered < run.created_at < run.committed_at < run.drawn_at < timezone.now(), slug
        assert not re.search(r"\b20\d\d\b", run.randomness_source), run.randomness_source  # no stale date
        events = AuditEvent.objects.filter(assembly__slug=slug, action__startswith="lottery.").order_by(
            "created_at"
        )
        actions = [e.action for e in events]
        assert actions.index("lottery.commitment_published") < actions.index("lottery.panel_drawn")
        assert all(e.created_at >= run.drawn_at for e in events if "respondent_" in e.action), slug

    housing = Assembly.objects.get(slug="northshire-housing")
    sessions = [dt.date.fromisoformat(d) for d in housing.recruitment.session_dates]
    assert sessions[0] < today < sessions[1]  # deliberating, with a next session to come
    assert housing.starts_on == sessions[0] and housing.ends_on == sessions[-1]
    climate = Assembly.objects.get(slug="northshire-climate")
    assert climate.starts_on < today < climate.ends_on
    transport = Assembly.objects.get(slug="northshire-transport")
    assert transport.stage == Stage.RECRUITING and transport.starts_on > today

    # Riverside chose its members with the platform: a published draw, all confirmed, final.
    riverside = Assembly.objects.get(slug="riverside-housing")
    assert riverside.stage == Stage.FOLLOW_UP and riverside.ends_on < today  # published, now followed up
    run = SelectionRun.objects.get(assembly=riverside, kind=RunKind.SELECTION, status=DrawStatus.DRAWN)
    assert run.drawn_at.date() < riverside.starts_on
    assert Member.objects.filter(assembly=riverside, status=MemberStatus.CONFIRMED).count() == run.panel_size
    assert riverside.recruitment.panel_final_at is not None


def test_demo_reloaded_another_day_moves_its_calendar(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(django_capture_on_commit_callbacks)
    later = timezone.localdate() + dt.timedelta(days=100)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    _seed(django_capture_on_commit_callbacks)
    housing = Assembly.objects.get(slug="northshire-housing")
    sessions = [dt.date.fromisoformat(d) for d in housing.recruitment.session_dates]
    assert sessions[0] < later < sessions[1]
    run = SelectionRun.objects.get(assembly=housing, kind=RunKind.SELECTION)
    assert run.drawn_at.date() == later - dt.timedelta(days=30)
    available = Respondent.objects.filter(assembly=housing).exclude(availability=[]).first()
    assert available is not None and set(available.availability) <= {str(d) for d in sessions}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.django_db(transaction=False)
def test_make_run_prints_few_lines_with_the_logins_last_on_its_port(tmp_path: Path) -> None:
    """What a newcomer sees after `make run PORT=…`: no raw email, under 150
    lines besides migrate, the logins last, links on the port it serves."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG", "SITE_URL")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'run.sqlite3'}"
    process = subprocess.Popen(
        ["make", "-o", ".venv/.installed", "run", f"PORT={port}"],  # never reinstall from here
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    watchdog = threading.Timer(600, lambda: os.killpg(process.pid, signal.SIGKILL))
    watchdog.start()
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if "manage.py runserver" in line:
                break
    finally:
        watchdog.cancel()
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
    output = "\n".join(lines)
    assert lines and "manage.py runserver" in lines[-1], output[-3000:]
    migrate = re.compile(
        r"manage\.py migrate|^Operations to perform|^\s+Apply all|^Running migrations|^\s+Applying "
    )
    seeding = [line for line in lines[:-1] if not migrate.search(line)]
    assert len(seeding) < 150, output[-3000:]
    assert "Content-Type:" not in output and "MIME-Version" not in output
    register = rf"\s*Register as a respondent:\s+http://127\.0\.0\.1:{port}/register/\?code=\w+"
    # The logins close the output: after "Demo data is ready", only indented
    # "what: where" lines, the registration link among them.
    ready = max(i for i, line in enumerate(seeding) if "Demo data is ready" in line)
    logins = seeding[ready + 1 :]
    assert logins and all(re.fullmatch(r"  \S.*:\s+\S+.*", line) for line in logins), logins
    assert any(re.fullmatch(register, line) for line in logins), logins
    assert f"http://127.0.0.1:{port}/accounts/login/" in output
