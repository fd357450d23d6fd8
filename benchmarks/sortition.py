"""Benchmark the LEXIMIN engine on the public instances and on generated pools.

    .venv/bin/python benchmarks/sortition.py [--instances a,b] [--repeat 3]
        [--time-limit S] [--peer] [--peer-time-limit 600] [--peer-venv PATH]
        [--baseline] [--baseline-time-limit 600]

Every run happens in its own subprocess so that peak memory (ru_maxrss) is per
instance. With ``--peer`` the Sortition Foundation's ``sortition-algorithms``
(GPL) is installed into a separate virtualenv (never a project dependency) and
its maximin on HiGHS runs on the same instances, each with a time limit. With
``--baseline`` our own engine also runs with column generation only (the method
it falls back to when the relaxation's point is out of reach), for the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "sortition"
sys.path.insert(0, str(REPO))

# name -> (kind, location or generator args, k, published LEXIMIN minimum)
INSTANCES: dict[str, tuple[str, object, int, float | None]] = {
    "example_small_20": ("nature", DATA / "nature2021" / "example_small_20", 20, 0.100),
    "example_large_200": ("nature", DATA / "nature2021" / "example_large_200", 200, 0.100),
    "fixture_150_22": ("foundation", DATA / "sortition_foundation" / "fixture_150_22", 22, None),
    "scaled_300_45": ("foundation", DATA / "sortition_foundation" / "scaled_300_45", 45, None),
    "generated_1000_100_6": ("generated", (1000, 100, 6, 1), 100, None),
    "generated_2000_150_8": ("generated", (2000, 150, 8, 1), 150, None),
}


def load(name: str):
    from lottery.engine.io import read_categories, read_respondents
    from lottery.engine.model import SelectionProblem

    kind, where, k, _ = INSTANCES[name]
    if kind == "generated":
        sys.path.insert(0, str(REPO / "benchmarks"))
        from generate import generated_problem

        n, k, cats, seed = where  # type: ignore[misc]
        return generated_problem(n, k, cats, seed)
    folder = Path(where)  # type: ignore[arg-type]
    quotas_file, people_file = (
        ("categories.csv", "respondents.csv") if kind == "nature" else ("features.csv", "candidates.csv")
    )
    cats = read_categories(folder / quotas_file)
    people = read_respondents(folder / people_file, cats.quotas, format=cats.format)
    return SelectionProblem(people, cats.quotas, k)


def export_csv(name: str, folder: Path) -> tuple[Path, Path]:
    """Write any instance in the Sortition Foundation format (for the peer)."""
    import csv

    problem = load(name)
    folder.mkdir(parents=True, exist_ok=True)
    features, people = folder / "features.csv", folder / "candidates.csv"
    with features.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["feature", "value", "min", "max"])
        for q in problem.quotas:
            writer.writerow([q.category, q.feature, q.min, q.max])
    categories = sorted({q.category for q in problem.quotas})
    with people.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["nationbuilder_id", *categories])
        for r in problem.respondents:
            writer.writerow([f"id{r.id}", *(r.features[c] for c in categories)])
    return features, people


def worker_ours(name: str, time_limit: float | None, method: str = "auto") -> dict[str, object]:
    import resource

    from lottery.engine import leximin, round_to_lottery

    problem = load(name)
    started = time.perf_counter()
    dist = leximin(problem, time_limit=time_limit, method=method)
    seconds = time.perf_counter() - started
    lottery = round_to_lottery(dist, 1000)
    return {
        "seconds": seconds,
        "min_probability": dist.min_probability,
        "complete": dist.complete,
        "levels": dist.levels,
        "method": dist.method,
        "panels": len(dist.panels),
        "types": dist.stats.get("types"),
        "lottery_change": lottery.max_probability_change,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


PEER_SCRIPT = r"""
import json, sys, time, resource
from sortition_algorithms.adapters import CSVStringDataSource, SelectionData
from sortition_algorithms.core import run_stratification
from sortition_algorithms.settings import Settings
features_csv, people_csv, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
settings = Settings(id_column="nationbuilder_id", columns_to_keep=[], selection_algorithm="maximin",
                    solver_backend="highspy", random_number_seed=0)
data = SelectionData(CSVStringDataSource(open(features_csv).read(), open(people_csv).read()))
features, _ = data.load_features(k)
people, _ = data.load_people(settings, features)
started = time.perf_counter()
success, panels, report = run_stratification(features, people, k, settings)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "success": bool(success),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def ensure_peer(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"creating peer virtualenv at {venv} (sortition-algorithms is GPL; not a project dependency)")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = subprocess.run([str(python), "-c", "import sortition_algorithms, highspy"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "sortition-algorithms", "highspy"], check=True
        )
    return python


def run_subprocess(args: list[str], timeout: float | None) -> dict[str, object] | None:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def versus(label: str, other: dict[str, object] | None, limit: float, ours: float, width: int) -> str:
    """The other run's seconds and its ratio to ours, as two table columns."""
    if other is None:
        return f"{'DNF':>10}{'>' + format(limit / ours, '.1f'):>{width}}"
    if "error" in other:
        return f"  {label} error: {other['error']}"
    seconds = float(other["seconds"])  # type: ignore[arg-type]
    return f"{seconds:>10.2f}{seconds / ours:>{width}.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--instances", help="comma-separated subset of: " + ", ".join(INSTANCES))
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per instance (median), for runs under 60 s"
    )
    parser.add_argument("--time-limit", type=float, default=None, help="engine time limit (after maximin)")
    parser.add_argument(
        "--hard-limit", type=float, default=900.0, help="kill our run after this many seconds"
    )
    parser.add_argument("--peer", action="store_true", help="also run sortition-algorithms maximin on HiGHS")
    parser.add_argument("--peer-time-limit", type=float, default=600.0)
    parser.add_argument("--peer-venv", default=os.environ.get("PEER_VENV", "/tmp/plenary-peer-venv"))
    parser.add_argument(
        "--baseline", action="store_true", help="also run our engine with column generation only"
    )
    parser.add_argument("--baseline-time-limit", type=float, default=600.0)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--method", default="auto", help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker == "ours":
        print(json.dumps(worker_ours(args.instance, args.time_limit, args.method)))
        return 0

    names = args.instances.split(",") if args.instances else list(INSTANCES)
    unknown = [n for n in names if n not in INSTANCES]
    if unknown:
        parser.error(f"unknown instances: {', '.join(unknown)}")
    peer_python = ensure_peer(Path(args.peer_venv)) if args.peer else None
    header = (
        f"{'instance':<22}{'n':>6}{'k':>5}{'types':>7}{'min prob':>10}{'published':>10}{'levels':>7}"
        f"{'complete':>9}{'seconds':>9}{'peak MB':>9}{'panels':>8}{'lot. dev':>9}  {'method':<6}"
    )
    if args.baseline:
        header += f"{'CG s':>10}{'CG/ours':>9}"
    if peer_python:
        header += f"{'peer s':>10}{'peer/ours':>10}"
    print(header)
    for name in names:
        kind, where, k, published = INSTANCES[name]
        if kind != "generated" and not Path(where).exists():  # type: ignore[arg-type]
            print(f"{name:<22} skipped: data not found at {where}")
            continue
        cmd = [sys.executable, __file__, "--worker", "ours", "--instance", name]
        if args.time_limit is not None:
            cmd += ["--time-limit", str(args.time_limit)]
        runs = []
        for attempt in range(max(1, args.repeat)):
            result = run_subprocess(cmd, args.hard_limit)
            if result is None:
                print(f"{name:<22} did not finish within {args.hard_limit:.0f} s (hard limit)", flush=True)
                break
            if "error" in result:
                print(f"{name:<22} error: {result['error']}")
                break
            runs.append(result)
            if float(result["seconds"]) > 60 and attempt == 0:  # type: ignore[arg-type]
                break
        if not runs:
            continue
        seconds = statistics.median(float(r["seconds"]) for r in runs)  # type: ignore[arg-type]
        best = runs[0]
        n = len(load(name).respondents)
        line = (
            f"{name:<22}{n:>6}{k:>5}{int(best['types'] or 0):>7}{float(best['min_probability']):>10.5f}"  # type: ignore[arg-type]
            f"{(f'{published:.3f}' if published else '-'):>10}{best['levels']!s:>7}{best['complete']!s:>9}"
            f"{seconds:>9.2f}{max(float(r['peak_mb']) for r in runs):>9.0f}{best['panels']!s:>8}"  # type: ignore[arg-type]
            f"{float(best['lottery_change']):>9.4f}"  # type: ignore[arg-type]
            f"  {('relax' if best['method'] == 'relaxation' else 'CG'):<6}"
        )
        if args.baseline:
            cg = run_subprocess([*cmd, "--method", "column generation"], args.baseline_time_limit)
            line += versus("baseline", cg, args.baseline_time_limit, seconds, 9)
        if peer_python:
            folder = Path("/tmp/plenary-peer-instances") / name
            features, people = export_csv(name, folder)
            peer = run_subprocess(
                [str(peer_python), "-c", PEER_SCRIPT, str(features), str(people), str(k)],
                args.peer_time_limit,
            )
            line += versus("peer", peer, args.peer_time_limit, seconds, 10)
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
