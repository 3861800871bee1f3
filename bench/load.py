"""Load check of `newstrace serve`: 50 concurrent clients on loopback, bounded in time.

    python bench/load.py                 # 50 clients, 10 s per route, writes docs/benchmarks.md
    python bench/load.py --clients 10 --seconds 3 --no-write

Starts the server in a subprocess on a free 127.0.0.1 port over a fresh store
holding the bundled example corpus, then drives each route with asyncio +
httpx clients (traffic goes to 127.0.0.1 only) and reports requests/s and
latency percentiles. Exits 1 when any request fails (non-2xx or exception).
Replaces only the ``## Web load`` section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Web load"
HOST = "127.0.0.1"
SERVER = """
import sys, uvicorn
from newstrace.web import create_app
uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""
WIRE = (
    "VELMORA, Nov 3 (Test Wire) - Up to 40,000 vehicles a day were diverted after the city "
    "closed its Harbour Bridge on Monday, officials said. Engineers may need several weeks "
    'to assess the girder, people familiar with the inspection said. "We will not reopen it '
    'until it is safe," Mayor Ilse Varga told reporters. Schools will open an hour later.'
)
REWRITE = (
    "More than 40,000 vehicles a day were diverted after Velmora closed its Harbour Bridge "
    'on Monday. Engineers will need several weeks to assess the girder. "We will not '
    'reopen it until it is safe," the mayor said. Ferries will add two crossings an hour.'
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def build_store(path: str) -> None:
    """Ingest the bundled example corpus into a new store at ``path``."""
    from newstrace.pipeline import Corpus

    with Corpus(path) as corpus:
        corpus.ingest([str(resources.files("newstrace.examples") / "corpus")])


def start_server(db: str, port: int) -> subprocess.Popen:
    """Start the server in a subprocess and wait until /healthz answers (20 s at most)."""
    proc = subprocess.Popen([sys.executable, "-c", SERVER, db, str(port)])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{HOST}:{port}/api/v1/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start within 20 s")


async def drive(base: str, method: str, path: str, body, clients: int, seconds: float) -> dict:
    """Run ``clients`` loops sending the request until ``seconds`` pass; return the stats."""
    latencies: list[float] = []
    failures: list[str] = []
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def worker() -> None:
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                try:
                    r = await client.request(method, path, json=body)
                    if r.status_code >= 300:
                        failures.append(f"{r.status_code}: {r.text[:120]}")
                except httpx.HTTPError as e:
                    failures.append(f"{type(e).__name__}: {e}")
                latencies.append(time.perf_counter() - t0)

        t_start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - t_start
    return stats(f"{method} {path.split('?')[0]}", latencies, failures, elapsed)


def stats(route: str, latencies: list[float], failures: list[str], elapsed: float) -> dict:
    ms = sorted(x * 1000 for x in latencies)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(p * len(ms)))] if ms else 0.0

    return {
        "route": route,
        "requests": len(ms),
        "failed": len(failures),
        "rps": len(ms) / elapsed if elapsed else 0.0,
        "p50": pct(0.50),
        "p99": pct(0.99),
        "max": ms[-1] if ms else 0.0,
        "examples": failures[:3],
    }


def table(rows: list[dict], clients: int, seconds: float) -> str:
    head = (
        "| route | clients | requests | failed | requests/s | p50 ms | p99 ms | max ms |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    return head + "".join(
        f"| `{r['route']}` | {clients} | {r['requests']:,} | {r['failed']} | {r['rps']:,.1f} "
        f"| {r['p50']:,.1f} | {r['p99']:,.1f} | {r['max']:,.1f} |\n"
        for r in rows
    )


def section(rows: list[dict], clients: int, seconds: float, argv: list[str]) -> str:
    cmd = " ".join(["python bench/load.py", *argv]).strip()
    return (
        f"{HEADING}\n\nCommand: `{cmd}`. One uvicorn process (`newstrace serve` app, one "
        f"worker) on 127.0.0.1 over a store holding the bundled example corpus; {clients} "
        f"concurrent asyncio + httpx clients per route, {seconds:g} s per route, keep-alive. "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs shared with the load "
        f"generator (load average {os.getloadavg()[0]:.1f} at the end of the run, other jobs "
        f"included). `GET /api/v1/stories` "
        f"lists one page (limit 20); `POST /api/v1/compare` compares two short texts "
        f"(about 60 words each) from scratch on every request.\n\n"
        f"{table(rows, clients, seconds)}\n"
        "A failed request is any non-2xx answer or transport error; the run exits 1 if "
        "there is one.\n"
    )


def write_section(text: str) -> None:
    """Replace the ``## Web load`` section of docs/benchmarks.md (append it when absent)."""
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(doc):
        doc = pattern.sub(lambda _: text + "\n", doc, count=1).rstrip("\n") + "\n"
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    DOC.write_text(doc, encoding="utf-8")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=10.0, help="per route")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/ alone")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newstrace-load-") as tmp:
        db = str(Path(tmp) / "load.db")
        build_store(db)
        port = free_port()
        proc = start_server(db, port)
        try:
            base = f"http://{HOST}:{port}"
            routes = [
                ("GET", "/api/v1/stories?limit=20", None),
                ("POST", "/api/v1/compare", {"a": {"text": WIRE}, "b": {"text": REWRITE}}),
            ]
            rows = [
                asyncio.run(drive(base, m, p, b, args.clients, args.seconds)) for m, p, b in routes
            ]
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(table(rows, args.clients, args.seconds))
    for r in rows:
        for example in r["examples"]:
            print(f"failure on {r['route']}: {example}", file=sys.stderr)
    if not args.no_write:
        write_section(section(rows, args.clients, args.seconds, argv))
        print(f"wrote the {HEADING!r} section of {DOC.relative_to(ROOT)}")
    return 1 if any(r["failed"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
