"""Corpus commands: trace --example, stories, story, errors, and recovery from kill -9
mid-ingest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from newstrace.cli import main
from newstrace.pipeline import BATCH_SIZE, FIRST_BATCH


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_trace_example_terminal_and_json(tmp_path: Path):
    db = str(tmp_path / "t.db")
    out = _run("trace", "--example", "--db", db, "--semantic", "off")
    assert out.exit_code == 0, out.output
    assert "1 independent source" in out.output and "Northgate Wire" in out.output
    doc = json.loads(_run("trace", "--example", "--db", db, "--json", "--semantic", "off").output)
    assert doc["story"]["independent_sources"] == 1 and doc["stories"]["total"] == 2
    listing = json.loads(_run("stories", "--db", db, "--json").output)
    sid = listing["stories"][0]["id"]
    story = json.loads(_run("story", sid, "--db", db, "--json").output)
    assert story["schema"] == "newstrace.story/2" and story["origin"] == doc["story"]["origin"]
    assert "origin" in _run("story", sid, "--db", db).output


def test_errors_are_one_line(tmp_path: Path):
    out = _run("stories", "--db", str(tmp_path / "none.db"))
    assert out.exit_code == 2 and out.output.startswith("error:")
    _run("trace", "--example", "--db", str(tmp_path / "t.db"), "--semantic", "off")
    out = _run("story", "nope", "--db", str(tmp_path / "t.db"))
    assert out.exit_code == 2 and "not in the store" in out.output


def _write_corpus(d: Path, n: int) -> None:
    """Write ``n`` short fictional reports, three per event (fictional names from the number)."""
    d.mkdir()
    syll = ["ka", "lo", "mer", "vin", "tas", "dru", "pel", "sor", "qui", "ban"]
    name = lambda k: "".join(syll[int(c)] for c in str(k)).capitalize()
    with open(d / "big.jsonl", "w") as fh:
        for k in range(n):
            e = k // 3
            text = (
                f"The {name(e)}port harbour board approved a new pier for {name(e + 7)}ville "
                f"on Monday, engineer {name(e + 3)} {name(e + 5)}son said. Report {k}."
            )
            fh.write(
                json.dumps({"id": f"a{k}", "title": f"{name(e)}port pier", "text": text}) + "\n"
            )


HELPER = Path(__file__).with_name("cli_ingest_helper.py")
N, KILL_AFTER = 3000, 1000  # records; the ingest commits FIRST_BATCH, then BATCH_SIZE each


def test_kill_mid_ingest_then_rerun_is_exact(tmp_path: Path):
    src, db = tmp_path / "src", str(tmp_path / "k.db")
    _write_corpus(src, N)
    args = ["ingest", str(src), "--db", db, "--no-provenance"]
    # The helper runs this CLI and waits after the batch that reaches KILL_AFTER records is
    # committed, with later batches in the workers: the kill comes at that point, not by timing.
    proc = subprocess.Popen(
        [sys.executable, str(HELPER), str(KILL_AFTER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    stored = [int(line.split()[1]) for line in _until_stored(proc.stdout, KILL_AFTER)]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    # Committed batches: a first one of FIRST_BATCH, then BATCH_SIZE each, up to KILL_AFTER.
    sizes = [FIRST_BATCH] + [BATCH_SIZE] * N
    expected = [sum(sizes[: i + 1]) for i in range(len(sizes))]
    expected = expected[: next(i for i, r in enumerate(expected) if r >= KILL_AFTER) + 1]
    assert stored == expected and proc.returncode == -signal.SIGKILL
    done = stored[-1]
    assert _count(db) == done  # the committed batches, nothing of the ones in flight
    assert _no_process_mentions(db, within=10), "a worker outlived the killed ingest"
    cmd = [sys.executable, "-m", "newstrace", *args, "--json"]
    report = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    assert report["new"] + report["exact_copies"] == N - done
    assert report["duplicate"] == done and _count(db) == N
    again = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    assert again["new"] == 0 and again["duplicate"] == N and again["stories"] == report["stories"]


def _until_stored(lines, n: int):
    """Yield the helper's ``stored R`` lines up to the first with R >= n."""
    for line in lines:
        if line.startswith("stored "):
            yield line
            if int(line.split()[1]) >= n:
                return
    raise AssertionError("the ingest ended before the kill point")


def _no_process_mentions(text: str, within: float) -> bool:
    """Return True once no running process has ``text`` in its command line (Linux /proc)."""
    deadline = time.time() + within
    while time.time() < deadline:
        alive = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if text.encode() in cmdline.read_bytes():
                    alive.append(cmdline)
            except OSError:
                continue
        if not alive:
            return True
        time.sleep(0.2)
    return False


def _count(db: str) -> int:
    import sqlite3

    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0
