"""Public pages under load: requests per second and latency, cached and uncached.

The claim (issue 13): with gunicorn (3 workers, DEBUG=0) on PostgreSQL and
Redis, 16 connections on loopback, every public page answers ≥ 1,000
requests/s with p99 ≤ 50 ms when cached, at least a quarter of a static
file's rate in the same run, and ≥ 150/s uncached.

What it does:

1. migrates the configured database (DATABASE_URL; PostgreSQL recommended)
   and loads the demo (``seed_demo``) when no assembly is public yet;
2. collects the static files into a temporary folder (DEBUG=0 serves them
   through WhiteNoise's manifest);
3. starts gunicorn (``--workers``, DEBUG=0, REDIS_URL as given) with the
   public page cache on, warms each page up, then loads each page and the
   static file for ``--duration`` seconds with ``--connections`` connections
   (wrk when installed, else a Python thread pool: slower, so its figures
   are a floor); then the same pages again with a gunicorn whose page cache
   is off (PLENARY_PUBLIC_CACHE=0: every request renders the page, from the
   fragments kept under the same versions, see config/public_cache.py). That
   is "uncached" in the claim: what every request costs that the page cache
   cannot answer (a signed-in visitor, a search: a query string is never
   page-cached). With ``--cold`` once more with the fragments off too: every
   figure computed in full, as for the first request of a page after
   organisers publish a change (once per page, language and change; the
   figure to read there is its latency);
4. prints one table: page, requests/s and p50/p99 cached and uncached (and
   cold), and the cached and uncached rates against the static file's (the
   static file is measured in the same run, so the ratios hold on a busy
   machine).

The pages are those of the first published assembly of the demo (Riverside
Housing Assembly when loaded): home, assembly, programme, evidence library,
recommendations list, a search in it and a recommendation's page, "how the
members were chosen", reports, and the public API's assembly list (the search
and the API are never page-cached: their "cached" figure is their uncached one).

Usage (run it on an idle machine; it prints the load average beside the figures)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plenary_bench \\
    REDIS_URL=redis://127.0.0.1:6379/0 \\
    .venv/bin/python benchmarks/public_pages.py [--duration 10] [--connections 16] [--workers 3]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per page and mode")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of load before each measure")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument(
        "--python-load", action="store_true", help="use the Python load generator even if wrk is installed"
    )
    parser.add_argument("--only-cached", action="store_true", help="skip the uncached run")
    parser.add_argument(
        "--cold", action="store_true", help="also measure with fragments off: every page computed in full"
    )
    return parser.parse_args()


@dataclass
class Result:
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int = 0


def server_env(static_root: str, cached: bool, fragments: bool = True) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        STATIC_ROOT=static_root,
        PLENARY_PUBLIC_CACHE="1" if cached else "0",
        # Without the page cache, a page is rendered from its fragments
        # (config.public_cache: kept under the same versions) unless --cold.
        PLENARY_FRAGMENT_CACHE="1" if fragments else "0",
        # No API throttle: one client on loopback is not what it guards against,
        # and a huge rate would keep a list of every request of the last minute.
        PLENARY_API_ANON_RATE="",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(env: dict[str, str]) -> None:
    manage("collectstatic", "--noinput", env=env)
    # The demo is data: loaded as `make demo` would (DEBUG on: emails to the
    # demo mailbox, jobs inline), whatever the server runs with.
    seed_env = {**env, "DEBUG": "1", "CELERY_TASK_ALWAYS_EAGER": "1"}
    manage("migrate", "--noinput", env=seed_env)
    has_demo = manage(
        "shell", "-c",
        "from recommendations.public.selectors import published_assemblies as p; print(p().exists())",
        env=seed_env,
    )  # fmt: skip
    if "True" not in has_demo:
        print("Loading the demo (seed_demo)…", flush=True)
        manage("seed_demo", env=seed_env)


def discover_pages(env: dict[str, str]) -> list[tuple[str, str]]:
    code = """
from urllib.parse import quote
from django.urls import NoReverseMatch, reverse
from recommendations.public.selectors import adopted, published_assemblies
a = published_assemblies().order_by("pk").first()
first = adopted(a).first()
pages = [("home", reverse("assemblies:home")),
    ("assembly", reverse("assemblies:public-detail", args=[a.slug])),
    ("programme", reverse("deliberation:programme", args=[a.slug])),
    ("evidence library", reverse("deliberation:evidence_library", args=[a.slug])),
    ("recommendations list", reverse("recommendations:list", args=[a.slug]))]
if first is not None:
    pages.append(("recommendation page", reverse("recommendations:detail", args=[a.slug, first.number])))
    # A search (a query string: never page-cached), for the first word of 4+ letters of its title.
    word = next((w for w in first.title.split() if len(w) >= 4), first.title.split()[0])
    pages.append(("recommendations search (not page-cached)",
                  reverse("recommendations:list", args=[a.slug]) + "?q=" + quote(word.lower())))
pages.append(("selection", reverse("lottery:selection_public", args=[a.slug])))
try:
    pages.append(("reports list", reverse("recommendations:reports", args=[a.slug])))
except NoReverseMatch:
    pass
pages.append(("API assemblies list (not cached)", "/api/v1/assemblies/"))
for name, url in pages:
    print(name + "\\t" + url)
"""
    out = manage("shell", "-c", code, env=env)
    return [tuple(line.split("\t", 1)) for line in out.strip().splitlines() if "\t" in line]  # type: ignore[misc]


class Server:
    def __init__(self, env: dict[str, str], port: int, workers: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [str(GUNICORN), "config.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
             "--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if fetch(self.base + "/health/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        sys.exit("gunicorn did not answer /health/ within 60 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def wrk(url: str, duration: float, connections: int) -> Result:
    threads = min(connections, os.cpu_count() or 2)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def percentile(p: str) -> float:
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    count = int(errors.group(1)) if errors else 0
    if socket_errors:
        count += int(socket_errors.group(1)) + int(socket_errors.group(4))
    return Result(rate, percentile("50"), percentile("99"), count)


def python_load(url: str, duration: float, connections: int) -> Result:
    """A floor when wrk is missing: one thread per connection, a new TCP
    connection per request (gunicorn's sync workers close each one)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def worker() -> None:
        mine: list[float] = []
        while time.monotonic() < stop_at:
            start = time.perf_counter()
            try:
                status = fetch(url)[0]
            except OSError:
                status = 0
            mine.append((time.perf_counter() - start) * 1000)
            if status != 200:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return Result(len(latencies) / duration, q[49], q[98], errors[0])


def measure(
    server: Server, pages: list[tuple[str, str]], static: str, args: argparse.Namespace
) -> dict[str, Result]:
    load = python_load if args.python_load or not shutil.which("wrk") else wrk
    results = {}
    for name, path in [*pages, ("static file (baseline)", static)]:
        url = server.base + path
        status = fetch(url)[0]
        if status != 200:
            print(f"  {name}: {path} answered {status}; skipped", flush=True)
            continue
        load(url, args.warmup, args.connections)
        results[name] = load(url, args.duration, args.connections)
        hit = fetch(url)[1].get("x-public-cache", "-")
        print(f"  {name:34} {results[name].rate:9.0f}/s  cache: {hit}", flush=True)
    return results


def main() -> None:
    args = parse_args()
    print(f"Load before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    if not os.environ.get("REDIS_URL"):
        print("REDIS_URL is not set: each gunicorn worker has its own local-memory cache.")
    with tempfile.TemporaryDirectory(prefix="plenary-bench-static-") as static_root:
        env = server_env(static_root, cached=True)
        prepare(env)
        pages = discover_pages(env)
        runs: dict[str, dict[str, Result]] = {}
        modes = ["cached"] + ([] if args.only_cached else ["uncached"]) + (["cold"] if args.cold else [])
        for mode in modes:
            env_mode = server_env(static_root, cached=mode == "cached", fragments=mode != "cold")
            server = Server(env_mode, args.port, args.workers)
            try:
                css = re.search(rb'href="(/static/[^"]+\.css)"', fetch(server.base + "/")[2])
                static = css.group(1).decode() if css else "/static/css/plenary.css"
                print(
                    f"{mode.capitalize()} ({args.workers} gunicorn workers, "
                    f"{args.connections} connections, {args.duration:g} s per page):",
                    flush=True,
                )
                runs[mode] = measure(server, pages, static, args)
            finally:
                server.stop()
    load = os.getloadavg()
    cached, uncached, cold = runs.get("cached", {}), runs.get("uncached", {}), runs.get("cold", {})
    static_rate = cached.get("static file (baseline)", Result(0, 0, 0)).rate
    print()
    print(
        f"Load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        "(the figures mean something only on an idle machine)"
    )
    cold_head = " cold req/s | p50 ms | p99 ms |" if cold else ""
    print(
        "| page | cached req/s | p50 ms | p99 ms | uncached req/s | p50 ms | p99 ms |"
        f"{cold_head} cached / static | uncached / static |"
    )
    print("| --- " * (9 + (3 if cold else 0)) + "|")
    for name in [*(n for n, _ in pages), "static file (baseline)"]:
        c, u, k = cached.get(name), uncached.get(name), cold.get(name)

        def cells(r: Result | None) -> str:
            if r is None:
                return "– | – | –"
            errors = f" ({r.errors} errors)" if r.errors else ""
            return f"{r.rate:,.0f}{errors} | {r.p50_ms:.1f} | {r.p99_ms:.1f}"

        ratio = f"{c.rate / static_rate:.2f}" if c and static_rate else "–"
        u_ratio = f"{u.rate / static_rate:.3f}" if u and static_rate else "–"
        cold_cells = f" {cells(k)} |" if cold else ""
        print(f"| {name} | {cells(c)} | {cells(u)} |{cold_cells} {ratio} | {u_ratio} |")


if __name__ == "__main__":
    main()
