"""kill -9 in the middle of an ingest leaves a clean store, and re-running completes it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newstrace.store import open_store

HELPER = Path(__file__).with_name("ingest_helper.py")
N_BATCHES, SIZE, BANDS = 40, 500, 32


def _run(db: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(HELPER), db, str(N_BATCHES), str(SIZE)],
        stdout=subprocess.PIPE,
        text=True,
    )


def _kill_during_batch(proc: subprocess.Popen, batch: int) -> None:
    # Kill right after the helper announces a batch, so the transaction is in flight.
    for line in proc.stdout:
        if line.startswith(f"begin {batch}"):
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _counts(db: str) -> tuple[int, int, int]:
    if "://" in db:
        with open_store(db) as store:
            return store._write.execute(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM signatures),"
                " (SELECT count(*) FROM bands)"
            ).fetchone()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sql = (
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM signatures),"
            " (SELECT count(*) FROM bands) + (SELECT count(*) FROM bands_recent)"
        )
        return conn.execute(sql).fetchone()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_mid_ingest_then_rerun(db_target):
    db = db_target
    proc = _run(db)
    _kill_during_batch(proc, 5)
    assert proc.returncode == -signal.SIGKILL

    articles, signatures, bands = _counts(db)
    assert articles >= 5 * SIZE and articles % SIZE == 0  # only whole batches
    assert signatures == articles and bands == articles * BANDS

    rerun = subprocess.run(
        [sys.executable, str(HELPER), db, str(N_BATCHES), str(SIZE)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    done = [line.split()[2] for line in rerun.stdout.splitlines() if line.startswith("done")]
    assert len(done) == N_BATCHES
    assert done[: articles // SIZE] == ["duplicate"] * (articles // SIZE)
    assert done[articles // SIZE :] == ["new"] * (N_BATCHES - articles // SIZE)

    assert _counts(db) == (N_BATCHES * SIZE, N_BATCHES * SIZE, N_BATCHES * SIZE * BANDS)
    with open_store(db) as store:
        assert store.candidates_for("crash-0") == set()
        assert store.band_candidates([(3, 3)]) == {"crash-0"}
