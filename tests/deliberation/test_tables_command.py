"""``manage.py tables``: the plan file, the summary, and every bad input refused with exit 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from deliberation.engine.cli import main
from deliberation.engine.explain import explain

REPO = Path(__file__).resolve().parents[2]
KEYS = {
    "rounds",
    "repeated_pairs",
    "repeats",
    "out_of_band",
    "out_of_band_cells",
    "distinct_met_mean",
    "seconds",
    "seed",
}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def members(tmp_path):
    rows = [f"m{k},{'fm'[k % 2]},{'yo'[k // 6]}" for k in range(12)]
    return write(tmp_path / "m.csv", "id,gender,age\n" + "\n".join(rows) + "\n")


def seat(members: str, out: Path, *extra: str) -> tuple[int, str, str]:
    return run(
        "--members",
        members,
        "--tables",
        "3",
        "--rounds",
        "3",
        "--output",
        str(out),
        "--time-limit",
        "5",
        *extra,
    )


def test_plan_file_holds_the_plan_and_figures_computed_from_it(members, tmp_path):
    out = tmp_path / "plan.json"
    status, stdout, stderr = seat(members, out, "--seed", "4")
    assert status == 0, stderr
    plan = json.loads(out.read_text())
    assert set(plan) == KEYS and plan["seed"] == 4
    assert [sorted(len(t) for t in r) for r in plan["rounds"]] == [[4, 4, 4]] * 3
    attributes = {f"m{k}": {"gender": "fm"[k % 2], "age": "yo"[k // 6]} for k in range(12)}
    e = explain(plan["rounds"], attributes, ["gender", "age"])
    assert plan["repeated_pairs"] == e.repeated_pairs == sum(r["times"] - 1 for r in plan["repeats"])
    assert plan["out_of_band"] == len(plan["out_of_band_cells"]) == e.out_of_band == 0
    assert plan["distinct_met_mean"] == e.distinct_met_mean
    assert "12 members, 3 tables, 3 rounds" in stdout and "repeated pairs" in stdout
    assert "repeated pairs" in stderr  # progress goes to stderr


def test_keep_and_absent(members, tmp_path):
    first = tmp_path / "first.json"
    assert seat(members, first)[0] == 0
    absent = write(tmp_path / "x.csv", "id\nm0\nm5\n")
    second = tmp_path / "second.json"
    status, _, stderr = seat(members, second, "--keep", str(first), "--from-round", "2", "--absent", absent)
    assert status == 0, stderr
    old, new = json.loads(first.read_text()), json.loads(second.read_text())
    assert new["rounds"][0] == old["rounds"][0]
    for tables in new["rounds"][1:]:
        seated = [m for t in tables for m in t]
        assert sorted(seated) == sorted(f"m{k}" for k in range(12) if k not in (0, 5))


def test_time_limit_still_writes_a_valid_plan_with_a_warning(tmp_path):
    rows = [f"m{k},{'fm'[k % 2]},{k % 5},{k % 3}" for k in range(150)]
    members = write(tmp_path / "m.csv", "id,gender,age,area\n" + "\n".join(rows) + "\n")
    out = tmp_path / "plan.json"
    status, _, stderr = run(
        "--members", members, "--tables", "15", "--rounds", "8", "--output", str(out), "--time-limit", "0.5"
    )
    assert status == 0
    assert "warning: the time limit was reached" in stderr
    plan = json.loads(out.read_text())
    assert all(sorted(m for t in r for m in t) == sorted(f"m{k}" for k in range(150)) for r in plan["rounds"])


@pytest.mark.parametrize(
    ("name", "content", "option", "message"),
    [
        ("m.csv", "", "--members", "m.csv: the file is empty."),
        ("m.csv", "name,gender\na,f\n", "--members", "m.csv, line 1: missing column 'id'."),
        (
            "m.csv",
            "id,gender,age\nm0,f,y\nm0,m,o\n",
            "--members",
            "m.csv, line 3: the id 'm0' repeats line 2.",
        ),
        ("f.csv", "id,tables\nm1,1\n", "--fixed", "f.csv, line 1: missing column 'round'."),
        ("f.csv", "id,tables,round,seat\nm1,1,,\n", "--fixed", "f.csv, line 1: unknown column 'seat'"),
        ("f.csv", "id,tables,round\nm1,1 4,\n", "--fixed", "f.csv, line 2: table 4 is out of range 1..3."),
        ("f.csv", "id,tables,round\nzz,1,\n", "--fixed", "f.csv, line 2: unknown member id 'zz'."),
        ("f.csv", "id,tables,round\nm1,1,9\n", "--fixed", "f.csv, line 2: round '9' is out of range 1..3."),
        (
            "a.csv",
            "id_a,id_b\nm1,m2\nm3,m3\n",
            "--apart",
            "a.csv, line 3: member 'm3' is kept apart from themselves.",
        ),
        ("a.csv", "id_a,id_b\nm1,zz\n", "--apart", "a.csv, line 2: unknown member id 'zz'."),
        ("x.csv", "id\nm1\nnobody\n", "--absent", "x.csv, line 3: unknown member id 'nobody'."),
        ("x.csv", "", "--absent", "x.csv: the file is empty."),
    ],
)
def test_bad_files_are_named_with_their_line(members, tmp_path, name, content, option, message):
    path = write(tmp_path / name, content)
    args = ["--members", path] if option == "--members" else ["--members", members, option, path]
    status, stdout, stderr = run(
        *args, "--tables", "3", "--rounds", "3", "--output", str(tmp_path / "o.json")
    )
    assert status == 2
    assert message in stderr and str(tmp_path) in stderr
    assert stdout == "" and not (tmp_path / "o.json").exists()


def test_unknown_mix_column_fewer_members_than_tables_and_a_conflict(members, tmp_path):
    out = str(tmp_path / "o.json")
    status, _, stderr = run(
        "--members", members, "--tables", "3", "--rounds", "1", "--output", out, "--mix", "age,height"
    )
    assert (status, stderr) == (2, f"tables: error: {members}, line 1: unknown column 'height' in --mix.\n")
    status, _, stderr = run("--members", members, "--tables", "13", "--rounds", "1", "--output", out)
    assert status == 2 and "12 members present for 13 tables" in stderr and members in stderr
    pins = write(tmp_path / "f.csv", "id,tables,round\n" + "".join(f"m{k},2,\n" for k in range(5)))
    status, _, stderr = run(
        "--members", members, "--tables", "3", "--rounds", "1", "--output", out, "--fixed", pins
    )
    assert status == 2 and "5 members may only sit at table 2, which seats 4" in stderr


def test_kept_plan_errors_name_the_file(members, tmp_path):
    out = str(tmp_path / "o.json")
    bad = write(tmp_path / "old.json", '{"rounds": [[["m1", "zz"], [], []]]}')
    status, _, stderr = run(
        "--members",
        members,
        "--tables",
        "3",
        "--rounds",
        "2",
        "--output",
        out,
        "--keep",
        bad,
        "--from-round",
        "2",
    )
    assert status == 2 and "old.json, round 1, table 1: unknown member id 'zz'." in stderr
    broken = write(tmp_path / "broken.json", '{\n"rounds": [\n')
    status, _, stderr = run(
        "--members",
        members,
        "--tables",
        "3",
        "--rounds",
        "2",
        "--output",
        out,
        "--keep",
        broken,
        "--from-round",
        "2",
    )
    assert status == 2 and "broken.json, line 3: not valid JSON" in stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--tables", "x"], "argument --tables: invalid int value: 'x'"),
        (["--tables", "3", "--rounds", "2", "--keep", "p.json"], "--keep and --from-round go together"),
        (["--tables", "3", "--rounds", "2", "--time-limit", "0"], "--time-limit must be positive"),
    ],
)
def test_bad_options_exit_2(members, tmp_path, argv, message):
    status, _, stderr = run(
        "--members", members, "--output", str(tmp_path / "o.json"), "--rounds", "2", *argv
    )
    assert status == 2 and message in stderr


def test_manage_py_exits_2_without_a_traceback(tmp_path):
    empty = write(tmp_path / "m.csv", "")
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "tables",
            "--members",
            empty,
            "--tables",
            "2",
            "--rounds",
            "1",
            "--output",
            str(tmp_path / "o.json"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == f"tables: error: {empty}: the file is empty.\n"
    done = subprocess.run(
        [sys.executable, "manage.py", "tables", "--tables"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
