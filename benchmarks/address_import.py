"""Address import: 1,000,000 rows on PostgreSQL, wall time and worker peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plenary_bench_invitations \\
        .venv/bin/python benchmarks/address_import.py [--rows 1000000]

The database named in DATABASE_URL is a scratch database: it is dropped and
created again, and its tables are made straight from the models (as the
tests do), so run it against nothing you want to keep. The script writes a
CSV (with a few bad rows) into a temporary media folder, creates a round,
then runs the import exactly as the Celery task does, in a separate worker
process, and prints the worker's wall time and peak RSS. Then it draws
30,000 addresses and prints how long that took, and how long deleting the
whole round takes.
Targets: under 2 minutes and under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/plenary_bench_invitations"
REGIONS = ["north", "midlands", "south", "london", "wales"]


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DATABASE_POOL"] = "false"
    import django

    django.setup()


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.startswith(("plenary_bench", "scratch")):
        sys.exit(f"Refusing to drop {name!r}: use a scratch database named plenary_bench_* or scratch_*.")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def write_csv(path: Path, rows: int) -> int:
    """A realistic file; one row in 20,000 is bad (empty address). Returns bad rows."""
    rng = random.Random(1)
    bad = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("Address Line 1,Address Line 2,Town,Postcode,Region\n")
        for i in range(1, rows + 1):
            if i % 20_000 == 0:
                f.write(f",Flat {i},Town,AB1 2CD,north\n")
                bad += 1
                continue
            flat = f"Flat {rng.randint(1, 40)}" if i % 3 == 0 else ""
            f.write(
                f"{rng.randint(1, 300)} {rng.choice(['High', 'Station', 'Church', 'Mill'])} Street,"
                f"{flat},Town {i % 977},AB{i % 99} {i % 9}CD,{REGIONS[i % 5]}\n"
            )
    return bad


def worker(round_id: int) -> None:
    django_setup()
    from lottery.invitations.services import invitation_round_import_run

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    invitation_round_import_run(round_id=round_id)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "baseline_mb": baseline}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database.")
    media = Path(tempfile.mkdtemp(prefix="import-bench-"))
    os.environ["MEDIA_ROOT"] = str(media)
    recreate_database(url)
    django_setup()
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

    from assemblies.actors import SYSTEM
    from assemblies.models import Assembly, Organisation
    from jobs.services import job_create
    from lottery.invitations.services import invitation_round_delete, invitation_round_draw
    from lottery.models import Address, InvitationRound

    # Tables straight from the models, as pytest --nomigrations does.
    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0)

    relative = "lottery/addresses/bench.csv"
    start = time.perf_counter()
    bad = write_csv(media / relative, args.rows)
    size = (media / relative).stat().st_size
    print(f"wrote {args.rows:,} rows ({size / 1e6:.0f} MB, {bad} bad) in {time.perf_counter() - start:.1f} s")

    org = Organisation.objects.create(name="Bench Council", slug="bench")
    assembly = Assembly.objects.create(
        organisation=org, slug="bench", title="Bench", remit="?", languages=["en"]
    )
    round = InvitationRound.objects.create(
        assembly=assembly,
        name="bench",
        address_file=relative,
        region_column="Region",
    )
    round.import_job = job_create(
        assembly_id=assembly.pk, kind="lottery.address_import", target_id=round.pk, total=size
    )
    round.save(update_fields=["import_job"])
    out = subprocess.run(
        [sys.executable, __file__, "--worker", str(round.pk)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    round.refresh_from_db()
    count = Address.objects.filter(round=round).count()
    print(
        f"import: {round.rows_imported:,} imported, {round.rows_rejected:,} refused "
        f"({count:,} rows in the table), status {round.import_job.status}"
    )
    print(
        f"worker wall time {figures['seconds']:.1f} s ({args.rows / figures['seconds']:,.0f} rows/s); "
        f"peak RSS {figures['peak_mb']:.0f} MB (after Django start-up: {figures['baseline_mb']:.0f} MB)"
    )
    print(
        "targets: < 120 s -> "
        + ("met" if figures["seconds"] < 120 else "MISSED")
        + "; < 300 MB -> "
        + ("met" if figures["peak_mb"] < 300 else "MISSED")
    )
    start = time.perf_counter()
    n = invitation_round_draw(round=round, size=min(30_000, round.rows_imported), seed="bench", by=SYSTEM)
    print(f"draw of {n:,} addresses with codes: {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    counts = invitation_round_delete(round=round, by=SYSTEM)
    print(
        f"delete of the round ({counts['addresses']:,} addresses, {counts['invitations']:,} invitations): "
        f"{time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
