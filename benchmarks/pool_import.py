"""Pool import: a 300,000-row XLSX and the 5 KB "claims the whole sheet" file.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plenary_bench_pool \\
        .venv/bin/python benchmarks/pool_import.py [--rows 300000]

The database named in DATABASE_URL is a scratch database: it is dropped and
created again with tables straight from the models. Each measurement runs in
a separate worker process (as the Celery task would), which prints its wall
time and peak RSS:

1. the 5 KB XLSX whose sheet claims A1:XFD1048576 with one cell in its last
   row (before: 2.5 GB and 18 s in the request; now refused at the row cap);
2. a preview (dry run) of the --rows XLSX: every row checked, nothing saved;
3. the real import of the same file (before: 89 s for 300,000 rows, inside
   the request).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from address_import import DEFAULT_URL, django_setup, recreate_database

HEADERS = ["first_name", "last_name", "email", "gender", "age"]
GENDERS = ["female", "male"]
AGES = ["16-29", "30-59", "60+"]


def write_xlsx(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    for i in range(rows):
        sheet.append([f"First{i}", f"Last{i}", f"person{i}@example.org", GENDERS[i % 2], AGES[i % 3]])
    workbook.save(path)


def write_bomb(path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.cell(row=1_048_576, column=16_384, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())


def worker(assembly_id: int, path: str, dry_run: bool) -> None:
    django_setup()
    from assemblies.actors import SYSTEM
    from assemblies.models import Assembly
    from lottery.registration.services import pool_import

    assembly = Assembly.objects.get(pk=assembly_id)
    start = time.perf_counter()
    with open(path, "rb") as file:
        report = pool_import(assembly=assembly, file=file, file_name=path, dry_run=dry_run, by=SYSTEM)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak,
                "read": report.rows_read,
                "imported": report.rows_imported,
                "file_errors": report.file_errors,
            }
        )
    )


def run_worker(assembly_id: int, path: Path, dry_run: bool) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", str(assembly_id), str(path), "1" if dry_run else "0"],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def setup_assembly() -> int:
    from assemblies.models import Assembly, Organisation
    from lottery.models import Category, Feature, RecruitmentSettings

    org = Organisation.objects.create(name="Bench Council", slug="bench")
    assembly = Assembly.objects.create(
        organisation=org, slug="bench", title="Bench", remit="?", languages=["en"]
    )
    RecruitmentSettings.objects.create(assembly=assembly, panel_size=100)
    for order, (name, values) in enumerate((("gender", GENDERS), ("age", AGES))):
        category = Category.objects.create(assembly=assembly, name=name, label=name.title(), order=order)
        for value in values:
            Feature.objects.create(assembly=assembly, category=category, value=value, label=value)
    return assembly.pk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(int(args.worker[0]), args.worker[1], args.worker[2] == "1")
        return
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL.replace("invitations", "pool"))
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database.")
    recreate_database(url)
    django_setup()
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0)
    assembly_id = setup_assembly()
    folder = Path(tempfile.mkdtemp(prefix="pool-bench-"))

    bomb = folder / "bomb.xlsx"
    write_bomb(bomb)
    figures = run_worker(assembly_id, bomb, dry_run=True)
    print(
        f"5 KB sheet claiming A1:XFD1048576 ({bomb.stat().st_size:,} bytes): {figures['seconds']:.1f} s, "
        f"peak RSS {figures['peak_mb']:.0f} MB, refused: {figures['file_errors']}"
    )

    big = folder / "pool.xlsx"
    start = time.perf_counter()
    write_xlsx(big, args.rows)
    print(
        f"wrote {args.rows:,} rows ({big.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s"
    )
    for dry_run, label in ((True, "preview (dry run)"), (False, "import")):
        figures = run_worker(assembly_id, big, dry_run=dry_run)
        print(
            f"{label}: {figures['read']:,} rows read, {figures['imported']:,} imported in "
            f"{figures['seconds']:.1f} s ({figures['read'] / figures['seconds']:,.0f} rows/s), "
            f"peak RSS {figures['peak_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
