"""The command line: cli.main directly, and the thin ``manage.py sortition`` wrapper."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lottery.engine import check_distribution, verify
from lottery.engine.cli import main
from lottery.engine.io import read_categories, read_respondents
from lottery.engine.model import Panel, SelectionProblem

from .engine.problems import DATA, REPO_ROOT

SMALL = DATA / "nature2021" / "example_small_20"
FIXTURE = DATA / "sortition_foundation" / "fixture_150_22"
needs_data = pytest.mark.requires_reference_data  # a failure with PLENARY_REQUIRE_SERVICES=1


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def select(
    categories: str, respondents: str, panel_size: str, output: str, *extra: str
) -> tuple[int, str, str]:
    """The command with its four required options, then any others."""
    required = ["--categories", categories, "--respondents", respondents]
    return run(*required, "--panel-size", panel_size, "--output", output, *extra)


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def quotas_csv(tmp_path):
    return write(tmp_path / "q.csv", "feature,value,min,max\ngender,female,1,2\ngender,male,1,2\n")


@pytest.fixture
def people_csv(tmp_path):
    return write(
        tmp_path / "p.csv",
        "nationbuilder_id,Gender,home\na,Female,h1\nb,female ,h1\nc,MALE,h2\nd,male,h3\n",
    )


@needs_data
def test_nature_format_end_to_end(tmp_path):
    out = tmp_path / "out.json"
    status, _, stderr = run(
        "--categories",
        str(SMALL / "categories.csv"),
        "--respondents",
        str(SMALL / "respondents.csv"),
        "--panel-size",
        "20",
        "--randomness",
        "42",
        "--randomness-source",
        "dice",
        "--output",
        str(out),
    )
    assert status == 0, stderr
    assert "level 1" in stderr and "panels generated" in stderr
    result = json.loads(out.read_text())
    assert result["algorithm"] == "leximin" and result["complete"] is True
    assert (result["n"], result["k"]) == (200, 20)
    assert result["min_probability"] == pytest.approx(0.1, abs=1e-9)
    assert sum(p["probability"] for p in result["panels"]) == pytest.approx(1.0, abs=1e-12)
    lottery = result["lottery"]
    assert lottery["m"] == 1000 and len(lottery["panels"]) == 1000
    assert sorted(result["selected"]) in [sorted(p) for p in lottery["panels"]]
    # The JSON is self-consistent: probabilities are the panels' marginals.
    cats = read_categories(SMALL / "categories.csv")
    problem = SelectionProblem(
        read_respondents(SMALL / "respondents.csv", cats.quotas, format=cats.format), cats.quotas, 20
    )
    from lottery.engine.model import Distribution

    dist = Distribution(
        "leximin",
        True,
        20,
        [Panel(tuple(p["members"]), p["probability"]) for p in result["panels"]],
        result["probabilities"],
        result["min_probability"],
    )
    check_distribution(problem, dist)
    assert verify(
        problem,
        algorithm="leximin",
        panels=lottery["panels"],
        randomness_source="dice",
        randomness="42",
        commitment_hex=lottery["commitment"],
        selected=result["selected"],
    )
    # Same inputs, same randomness: same panel.
    again = tmp_path / "again.json"
    run(
        "--categories",
        str(SMALL / "categories.csv"),
        "--respondents",
        str(SMALL / "respondents.csv"),
        "--panel-size",
        "20",
        "--randomness",
        "42",
        "--randomness-source",
        "dice",
        "--output",
        str(again),
    )
    assert json.loads(again.read_text())["selected"] == result["selected"]


@needs_data
def test_foundation_format_with_legacy(tmp_path):
    out = tmp_path / "out.json"
    status, _, stderr = run(
        "--categories",
        str(FIXTURE / "features.csv"),
        "--respondents",
        str(FIXTURE / "candidates.csv"),
        "--panel-size",
        "22",
        "--algorithm",
        "legacy",
        "--legacy-runs",
        "20",
        "--panels",
        "10",
        "--output",
        str(out),
    )
    assert status == 0, stderr
    result = json.loads(out.read_text())
    assert result["algorithm"] == "legacy" and result["n"] == 150 and "selected" not in result
    assert len(result["lottery"]["panels"]) == 10


def test_households_and_case_insensitive_values(tmp_path, quotas_csv, people_csv):
    out = tmp_path / "out.json"
    status, _, stderr = run(
        "--categories",
        quotas_csv,
        "--respondents",
        people_csv,
        "--panel-size",
        "3",
        "--household-column",
        "home",
        "--output",
        str(out),
    )
    assert status == 0, stderr
    result = json.loads(out.read_text())
    for panel in result["panels"]:
        assert not {"a", "b"} <= set(panel["members"])
    assert result["probabilities"]["a"] == pytest.approx(0.5)


def assert_plain_error(status: int, stderr: str, *needles: str) -> None:
    assert status == 2
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in stderr, stderr


def test_missing_column(tmp_path, quotas_csv):
    people = write(tmp_path / "p.csv", "nationbuilder_id,age\na,young\n")
    status, _, stderr = select(quotas_csv, people, "1", str(tmp_path / "o.json"))
    assert_plain_error(status, stderr, str(people), "line 1", "gender")


def test_unknown_feature_value_names_file_and_line(tmp_path, quotas_csv):
    people = write(tmp_path / "p.csv", "nationbuilder_id,gender\na,female\nb,male\nc,robot\n")
    status, _, stderr = select(quotas_csv, people, "2", str(tmp_path / "o.json"))
    assert_plain_error(status, stderr, str(people), "line 4", "robot")


def test_bad_quota_number_names_file_and_line(tmp_path, people_csv):
    quotas = write(tmp_path / "q.csv", "category,feature,min,max\ngender,female,1,2\ngender,male,one,2\n")
    status, _, stderr = select(quotas, people_csv, "2", str(tmp_path / "o.json"))
    assert_plain_error(status, stderr, str(quotas), "line 3", "min")


def test_panel_larger_than_pool(tmp_path, quotas_csv, people_csv):
    status, _, stderr = select(quotas_csv, people_csv, "9", str(tmp_path / "o.json"))
    assert_plain_error(status, stderr, "larger than the pool")


def test_quotas_against_k(tmp_path, quotas_csv, people_csv):
    status, _, stderr = select(quotas_csv, people_csv, "1", str(tmp_path / "o.json"))
    assert_plain_error(status, stderr, "minimums of category 'gender' add up to 2")


def test_infeasible_quotas_name_the_quota(tmp_path, people_csv):
    quotas = write(tmp_path / "q.csv", "feature,value,min,max\ngender,female,2,2\ngender,male,0,2\n")
    status, _, stderr = run(
        "--categories",
        quotas,
        "--respondents",
        people_csv,
        "--panel-size",
        "2",
        "--household-column",
        "home",
        "--output",
        str(tmp_path / "o.json"),
    )
    assert_plain_error(status, stderr, "gender=female", "from 2 to 1")


def test_unreadable_file_and_bad_arguments(tmp_path, quotas_csv):
    status, _, stderr = select(quotas_csv, str(tmp_path / "missing.csv"), "2", str(tmp_path / "o.json"))
    assert_plain_error(status, stderr, "missing.csv", "not found")
    status, _, stderr = run("--categories", quotas_csv)
    assert_plain_error(status, stderr, "required")


@needs_data
def test_time_limit_does_not_cut_the_relaxation_short(tmp_path):
    # All eleven levels of this pool come out of the LP relaxation at once.
    out = tmp_path / "out.json"
    status, _, stderr = select(
        str(FIXTURE / "features.csv"),
        str(FIXTURE / "candidates.csv"),
        "22",
        str(out),
        "--time-limit",
        "0.001",
    )
    assert status == 0
    assert "warning" not in stderr
    # One progress line per level; the walk's panels do not flood the terminal.
    levels = [int(line.split()[1].rstrip(":")) for line in stderr.splitlines() if line.startswith("level ")]
    assert levels[:11] == list(range(1, 12)) and len(levels) <= 15
    result = json.loads(out.read_text())
    assert result["complete"] is True
    assert result["method"] == "relaxation"
    assert result["min_probability"] == pytest.approx(1 / 11, abs=1e-7)


def test_time_limit_still_completes_level_one(tmp_path):
    # Households put this pool's relaxed optimum out of reach of valid panels,
    # so the engine computes level by level and the limit stops it after maximin.
    quotas = write(tmp_path / "features.csv", OFF_RELAXATION_QUOTAS)
    people = write(tmp_path / "candidates.csv", OFF_RELAXATION_PEOPLE)
    out = tmp_path / "out.json"
    status, _, stderr = select(
        quotas, people, "3", str(out), "--household-column", "home", "--time-limit", "0.000001"
    )
    assert status == 0
    assert "warning" in stderr
    result = json.loads(out.read_text())
    assert result["complete"] is False
    assert result["method"] == "column generation"
    assert result["min_probability"] == pytest.approx(0.0, abs=1e-9)  # r7 can never sit


OFF_RELAXATION_QUOTAS = """feature,value,min,max
gender,f,1,1
gender,m,1,2
age,young,1,3
age,old,2,2
"""

# The engine tests' off_relaxation() instance.
OFF_RELAXATION_PEOPLE = """nationbuilder_id,gender,age,home
r0,f,old,h1
r1,f,young,h0
r2,f,young,
r3,m,young,h2
r4,f,young,h2
r5,m,old,
r6,m,old,
r7,m,young,h1
r8,m,young,
"""


def manage(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO_ROOT / "manage.py"), "sortition", *argv],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
        check=False,
    )


def test_management_command_forwards_and_exits_with_status(tmp_path, quotas_csv, people_csv):
    out = tmp_path / "out.json"
    done = manage(
        "--categories",
        quotas_csv,
        "--respondents",
        people_csv,
        "--panel-size",
        "2",
        "--randomness",
        "abc",
        "--output",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(out.read_text())["selected"]) == 2
    failed = manage(
        "--categories", quotas_csv, "--respondents", people_csv, "--panel-size", "9", "--output", str(out)
    )
    assert failed.returncode == 2
    assert "larger than the pool" in failed.stderr and "Traceback" not in failed.stderr


# Edge cases from a security review (issue 9, item 9): every one ends in exit
# status 2 and one plain line, never a traceback or a silently wrong result.


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_categories_file_is_refused_without_reading_it_all(tmp_path, people_csv):
    status, _, stderr = select("/dev/zero", people_csv, "2", str(tmp_path / "o.json"))
    assert_plain_error(status, stderr, "/dev/zero", "larger than 50 MB")


def test_overlong_line_is_refused_with_its_line(tmp_path, quotas_csv):
    people = write(tmp_path / "p.csv", "nationbuilder_id,gender\na,female\nb," + "x" * 200_000 + "\n")
    status, _, stderr = select(quotas_csv, people, "2", str(tmp_path / "o.json"))
    assert_plain_error(status, stderr, str(people), "line 3", "longer than 100000 characters")


@pytest.mark.parametrize("panels", ["0", "10001", "1000000"])
def test_lottery_size_is_bounded(tmp_path, quotas_csv, people_csv, panels):
    out = tmp_path / "o.json"
    status, _, stderr = select(quotas_csv, people_csv, "2", str(out), "--panels", panels)
    assert_plain_error(status, stderr, "--panels", "from 1 to 10000", repr(panels))
    assert not out.exists()


@pytest.mark.parametrize("runs", ["0", "-5", "10001"])
def test_legacy_runs_out_of_range_says_the_range(tmp_path, quotas_csv, people_csv, runs):
    status, _, stderr = select(
        quotas_csv,
        people_csv,
        "2",
        str(tmp_path / "o.json"),
        "--algorithm",
        "legacy",
        f"--legacy-runs={runs}",
    )
    assert_plain_error(status, stderr, "--legacy-runs", "from 1 to 10000")


@pytest.mark.parametrize("limit", ["nan", "inf", "-inf", "-1", "0", "1e999"])
def test_time_limit_must_be_a_positive_finite_number(tmp_path, quotas_csv, people_csv, limit):
    out = tmp_path / "o.json"
    status, _, stderr = select(quotas_csv, people_csv, "2", str(out), f"--time-limit={limit}")
    assert_plain_error(status, stderr, "--time-limit", "positive number of seconds")
    assert not out.exists()


@pytest.mark.parametrize(
    "quotas",
    [
        "feature,value,min,max,min\ngender,female,1,2,0\ngender,male,1,2,0\n",
        "feature,value,min,MAX,max\ngender,female,1,2,2\ngender,male,1,2,2\n",
    ],
)
def test_duplicate_quota_column_is_refused(tmp_path, people_csv, quotas):
    path = write(tmp_path / "q.csv", quotas)
    status, _, stderr = select(path, people_csv, "2", str(tmp_path / "o.json"))
    assert_plain_error(status, stderr, path, "line 1", "appears twice")


def test_duplicate_respondent_column_is_refused(tmp_path, quotas_csv):
    # Before, the last 'gender' column silently won.
    people = write(
        tmp_path / "p.csv", "nationbuilder_id,gender,Gender\na,female,male\nb,female,male\nc,male,female\n"
    )
    status, _, stderr = select(quotas_csv, people, "2", str(tmp_path / "o.json"))
    assert_plain_error(status, stderr, people, "line 1", "'Gender' appears twice", "columns 2 and 3")


def test_extra_cells_in_a_respondent_row_are_refused(tmp_path, quotas_csv):
    # An unquoted comma shifts the row: the extra cell must not be dropped silently.
    people = write(tmp_path / "p.csv", "nationbuilder_id,gender\na,female\nb,female,x\nc,male\nd,male\n")
    status, _, stderr = select(quotas_csv, people, "2", str(tmp_path / "o.json"))
    assert_plain_error(status, stderr, people, "line 3", "expected 2 columns, found 3")


def test_extra_cells_in_a_quota_row_are_refused(tmp_path, people_csv):
    quotas = write(tmp_path / "q.csv", "feature,value,min,max\ngender,female,1,2\ngender,male,1,2,9\n")
    status, _, stderr = select(quotas, people_csv, "2", str(tmp_path / "o.json"))
    assert_plain_error(status, stderr, quotas, "line 3", "expected 4 columns, found 5")


def test_blank_trailing_cells_from_a_spreadsheet_are_accepted(tmp_path, people_csv):
    quotas = write(tmp_path / "q.csv", "feature,value,min,max\ngender,female,1,2,,\ngender,male,1,2,\n")
    status, _, stderr = select(quotas, people_csv, "2", str(tmp_path / "o.json"))
    assert status == 0, stderr


@pytest.mark.parametrize(
    ("cell", "column"),
    [("\u0661", "min"), ("\uff12", "max"), ("\u0968", "min_flex"), ("1_0", "max")],
)
def test_quota_numbers_need_ascii_digits(tmp_path, people_csv, cell, column):
    row = {"min": "1", "max": "2", "min_flex": "0", "max_flex": "3", column: cell}
    quotas = write(
        tmp_path / "q.csv",
        "feature,value,min,max,min_flex,max_flex\n"
        f"gender,female,{row['min']},{row['max']},{row['min_flex']},{row['max_flex']}\n"
        "gender,male,1,2,0,3\n",
    )
    status, _, stderr = select(quotas, people_csv, "2", str(tmp_path / "o.json"))
    assert_plain_error(status, stderr, quotas, "line 2", f"{column} must be a whole number", "0-9")


@pytest.mark.parametrize("size", ["\u0662", "\uff12", "2.0"])
def test_panel_size_needs_ascii_digits(tmp_path, quotas_csv, people_csv, size):
    status, _, stderr = select(quotas_csv, people_csv, size, str(tmp_path / "o.json"))
    assert_plain_error(status, stderr, "--panel-size", "0-9")


def test_decode_error_names_the_line_and_asks_for_utf8(tmp_path, quotas_csv):
    people = tmp_path / "p.csv"
    people.write_bytes("nationbuilder_id,gender\na,female\nb,female\nc\u00e9,male\n".encode("latin-1"))
    status, _, stderr = select(quotas_csv, str(people), "2", str(tmp_path / "o.json"))
    assert_plain_error(status, stderr, str(people), "line 4", "UTF-8")
    assert "position" not in stderr


def test_byte_order_mark_and_crlf_still_read(tmp_path, people_csv):
    quotas = tmp_path / "q.csv"
    quotas.write_bytes(b"\xef\xbb\xbffeature,value,min,max\r\ngender,female,1,2\r\ngender,male,1,2\r\n")
    status, _, stderr = select(str(quotas), people_csv, "2", str(tmp_path / "o.json"))
    assert status == 0, stderr


# verify_draw reads a file someone downloaded: the same limits apply.


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_verify_draw_refuses_an_endless_file():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="larger than 100 MB") as caught:
        call_command("verify_draw", "/dev/zero", "42")
    assert caught.value.returncode == 2


def test_verify_draw_refuses_a_file_that_is_not_utf8(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    bundle = tmp_path / "bundle.json"
    bundle.write_bytes('{"panels": ["caf\u00e9"]}'.encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8") as caught:
        call_command("verify_draw", str(bundle), "42")
    assert caught.value.returncode == 2
