"""Invitation letters: pages per second with one and with two worker processes.

    .venv/bin/python benchmarks/letters.py [--letters 3000] [--chunk 500]

Renders ``--letters`` letters (synthetic addresses, real template, CSS, QR
codes and WeasyPrint, exactly as ``render_letter_batch`` does per batch) in
chunks, first with one worker process, then with two sharing the chunks, and
prints pages per second per worker, the speed-up and the time extrapolated to
30,000 letters. The database is not touched: rendering is the cost measured.
Targets: >= 15 pages/s per worker, two workers >= 1.5x one.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import logging

import django

django.setup()
logging.getLogger("weasyprint").setLevel(logging.WARNING)  # one INFO line per page otherwise

from assemblies.models import Assembly  # noqa: E402
from lottery.invitations.letters import Letter, render_letters  # noqa: E402
from lottery.models import new_registration_code  # noqa: E402

ASSEMBLY = Assembly(
    title="Citizens' Assembly on Climate",
    remit="How should our region reach net zero by 2040, fairly and with the support of its residents?",
    description="Residents chosen by lottery deliberate over four weekends. " * 8,
    languages=["en"],
)
OUT = Path(tempfile.mkdtemp(prefix="letters-bench-"))


def render_chunk(bounds: tuple[int, int]) -> tuple[int, float]:
    """Render one chunk; return its pages and the CPU seconds it took (the
    machine may be shared: CPU time shows the speed on a dedicated core)."""
    cpu = time.process_time()
    first, last = bounds
    letters = [
        Letter(i, new_registration_code(), [f"{i} High Street", "Flat 2", f"AB{i % 90} 1CD Town"])
        for i in range(first, last + 1)
    ]
    with open(OUT / f"letters-{first}.pdf", "wb") as target:
        pages = render_letters(assembly=ASSEMBLY, letters=letters, target=target)
    return pages, time.process_time() - cpu


def run(workers: int, chunks: list[tuple[int, int]]) -> tuple[int, float, float]:
    """Pages, wall seconds and CPU seconds (summed over workers)."""
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = list(pool.imap_unordered(render_chunk, chunks))
    return sum(p for p, _ in results), time.perf_counter() - start, sum(c for _, c in results)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=3000)
    parser.add_argument("--chunk", type=int, default=500)
    args = parser.parse_args()
    chunks = [(f, min(f + args.chunk - 1, args.letters)) for f in range(1, args.letters + 1, args.chunk)]
    print(
        f"{args.letters} letters in {len(chunks)} chunks of {args.chunk}; cpus={os.cpu_count()}, "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    render_chunk((1, 5))  # warm up fonts and templates before forking
    results = {}
    for workers in (1, 2):
        pages, seconds, cpu = run(workers, chunks)
        rate = pages / seconds
        results[workers] = rate
        print(
            f"{workers} worker(s): {pages} pages in {seconds:.1f} s wall = {rate:.1f} pages/s total, "
            f"{rate / workers:.1f} pages/s per worker; {pages / cpu:.1f} pages per CPU-second; "
            f"30,000 letters ≈ {30000 / rate / 60:.1f} min",
            flush=True,
        )
    print(
        f"speed-up with two workers: {results[2] / results[1]:.2f}x "
        f" (load average now {os.getloadavg()[0]:.1f})"
    )
    size = sum(p.stat().st_size for p in OUT.glob("*.pdf"))
    print(f"PDF size: {size / 1e6:.1f} MB for the last run's chunks in {OUT}")


if __name__ == "__main__":
    main()
