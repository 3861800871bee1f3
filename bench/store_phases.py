"""+1,000 articles into an existing store, with its three store calls timed: where the time goes.

Run: ``PYTHONPATH=<tree>/src python bench/store_phases.py TARGET [new|follow]``. TARGET is a
SQLite path or a PostgreSQL URL (``postgresql://...?schema=NAME``) of a store built by
``bench/store_scale.py --child build``. The articles are those of ``bench/store_scale.py``'s
``add`` (``new``: the held-out texts and derivatives of them, stories the store has not seen;
``follow``: derivatives of stored texts). Prints one JSON line: the whole addition as
``store_scale.py`` reports it (wall, CPU of this process and its preparing worker), then for each
of ``add_articles``, ``link_pending`` and ``recluster`` its wall seconds, the CPU seconds of the
calling thread (where SQLite does its work) and, for PostgreSQL on this machine, of the server
process of the store's write connection, and the stories digest after
(``bench/store_digest.py``'s rows). Run it on a fresh copy of the store each time: it writes.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store_corpus
import store_digest
import store_scale

CALLS = ("add_articles", "link_pending", "recluster")


def _server_cpu(pid: int | None) -> float:
    """Return the CPU seconds of process ``pid`` (0 when there is none or it is not readable)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(cls, name: str, totals: dict) -> None:
    real = getattr(cls, name)

    def timed(self, *args, **kwargs):
        conn = getattr(self, "_write", None)
        pid = getattr(getattr(conn, "info", None), "backend_pid", None)
        t0, c0, s0 = time.perf_counter(), time.thread_time(), _server_cpu(pid)
        try:
            return real(self, *args, **kwargs)
        finally:
            w, c, s, n = totals.get(name, (0.0, 0.0, 0.0, 0))
            totals[name] = (
                w + time.perf_counter() - t0,
                c + time.thread_time() - c0,
                s + _server_cpu(pid) - s0,
                n + 1,
            )

    setattr(cls, name, timed)


def _pg_digest(url: str) -> str:
    """Return ``store_digest.digest`` of the PostgreSQL store at ``url`` (the same rows)."""
    from newstrace.store import open_store

    with open_store(url) as store, store._write.cursor() as cur:
        rows = [list(r) for r in cur.execute(store_digest._ROWS)]
        m = [
            list(r)
            for r in cur.execute("SELECT article_id, story_id FROM story_members ORDER BY 1")
        ]
        f = [
            list(r)
            for r in cur.execute("SELECT kind, value, story_id FROM story_facets ORDER BY 1, 2, 3")
        ]
    return hashlib.sha1(json.dumps([rows, m, f]).encode()).hexdigest()[:12]


def main() -> None:
    target = sys.argv[1]
    kind = sys.argv[2] if len(sys.argv) > 2 else "new"
    pg = target.startswith(("postgresql://", "postgres://"))
    if pg:
        from newstrace.store.postgres import PostgresStore as cls
    else:
        from newstrace.store.sqlite import SQLiteStore as cls
    totals: dict = {}
    for name in CALLS:
        _timed(cls, name, totals)
    texts = store_corpus.base_texts(store_corpus.data_dir())
    body, held = texts[: -store_scale.HELD_OUT], texts[-store_scale.HELD_OUT :]
    row = store_scale.add(target, kind, body, held)
    for name, (w, c, s, n) in totals.items():
        row[name] = {"seconds": round(w, 3), "cpu_seconds": round(c, 3), "calls": n}
        if pg:
            row[name]["server_cpu_seconds"] = round(s, 2)
    row["digest"] = _pg_digest(target) if pg else store_digest.digest(target)
    row["load"] = float(Path("/proc/loadavg").read_text().split()[0])
    print(json.dumps(row))


if __name__ == "__main__":
    main()
