"""Real `newstrace ingest` processes: two at once, and one killed with SIGKILL, give the sequential
stories."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from newstrace.store import open_store

from . import fiction

FAMILIES, SIZE = 500, 6  # 3,000 articles: several batches per process


def _cli(db, *sources) -> list[str]:
    return [sys.executable, "-m", "newstrace", "ingest", "--db", str(db), "--no-provenance",
            "--semantic", "off", *map(str, sources)]  # fmt: skip


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([p for p in sys.path if p and "site-packages" not in p])
    return env


def _stories(db) -> dict[str, list[str]]:
    with open_store(str(db)) as store:
        return fiction.stories(store)


@pytest.fixture(scope="module")
def halves(tmp_path_factory):
    d = tmp_path_factory.mktemp("writers")
    arts = fiction.corpus(FAMILIES, SIZE)
    return (
        d,
        fiction.write_jsonl(d / "a.jsonl", arts[0::2]),
        fiction.write_jsonl(d / "b.jsonl", arts[1::2]),
    )


@pytest.fixture(scope="module")
def sequential(halves):
    d, a, b = halves
    db = d / "seq.db"
    for src in (a, b):
        subprocess.run(_cli(db, src), check=True, capture_output=True, env=_env(), timeout=600)
    return _stories(db)


def test_sequential_reference_holds_every_article(sequential):
    assert sum(len(v) for v in sequential.values()) == FAMILIES * SIZE


def test_two_writers_at_once_equal_one_after_the_other(halves, sequential, tmp_path):
    _, a, b = halves
    db = tmp_path / "both.db"
    procs = [
        subprocess.Popen(_cli(db, src), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
        for src in (a, b)
    ]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()
    assert _stories(db) == sequential


def _articles(db) -> int:
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_mid_ingest_then_rerun_equals_uninterrupted(halves, sequential, tmp_path):
    _, a, b = halves
    db = tmp_path / "killed.db"
    proc = subprocess.Popen(
        _cli(db, a, b), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env()
    )
    deadline = time.monotonic() + 300
    while _articles(db) < 1000 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert 0 < _articles(db) < FAMILIES * SIZE
    subprocess.run(_cli(db, a, b), check=True, capture_output=True, env=_env(), timeout=600)
    assert _stories(db) == sequential
