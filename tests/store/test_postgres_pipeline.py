"""The corpus engine over PostgreSQL: the same stories as SQLite, concurrent writers, kill -9.

Every test here drives the real pipeline (``Corpus`` or ``newstrace ingest``
subprocesses) and compares whole stores: articles, stories with their
members, and the provenance fields.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest

from newstrace import Corpus
from newstrace.pipeline import BATCH_SIZE, FIRST_BATCH
from newstrace.store import open_store

from .conftest import pg_schema

pytestmark = pytest.mark.postgres

SYLLABLES = ["ka", "lo", "mer", "vin", "tas", "dru", "pel", "sor", "qui", "ban"]


def _name(k: int) -> str:
    return "".join(SYLLABLES[int(c)] for c in str(k)).capitalize()


def fictional_records(n: int) -> list[dict]:
    """Return ``n`` fictional reports: three per event, every seventh an exact copy, some
    rewrites."""
    out = []
    for k in range(n):
        e = k // 3
        text = (
            f"The {_name(e)}port harbour board approved a new pier for {_name(e + 7)}ville "
            f"on Monday, engineer {_name(e + 3)} {_name(e + 5)}son said. "
            f"Work on the {_name(e + 11)} quay starts in spring, the board added."
        )
        if k % 7 == 6:  # syndicated: the event's first text word for word, under another id
            text = out[k - k % 3]["text"] if k % 3 else text
        elif k % 3 == 2:  # a rewrite that adds a line of its own
            text += f" Residents of {_name(e + 13)} street welcomed the plan, report {k}."
        out.append(
            {
                "id": f"a{k}",
                "title": f"{_name(e)}port pier",
                "text": text,
                "outlet": f"Outlet {k % 5}",
                "published": f"2025-04-{1 + e % 28:02d}T0{k % 10}:00:00Z",
            }
        )
    return out


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def snapshot(target: str) -> dict:
    """Return a store's content as plain data: article ids, and each story's fields and members."""
    with open_store(target) as store:
        ids = sorted(a.id for a in store.iter_articles())
        stories = {}
        rows = [
            r
            for offset in range(0, store.count_stories(), 1000)
            for r in store.list_stories(limit=1000, offset=offset)
        ]
        for row in rows:
            full = store.get_story(row["id"])
            stories[row["id"]] = {
                k: full.get(k)
                for k in (
                    "title",
                    "n_articles",
                    "n_outlets",
                    "n_sources",
                    "origin",
                    "first_published",
                    "last_published",
                    "languages",
                    "outlets",
                )
            }
            # Members as a set: articles published at the same moment are listed in arrival
            # order, which concurrent writers change (the members themselves must not change).
            stories[row["id"]]["members"] = sorted(full["articles"])
        assert store.count_stories() == len(stories)
        canon = {i: store.article_info(i)["canonical_id"] is None for i in ids}
    return {"articles": ids, "stories": stories, "n_canonical": sum(canon.values())}


def _ingest(target: str, sources: list[str], provenance: bool = True) -> dict:
    with Corpus(target, workers=0) as corpus:
        report = corpus.ingest(sources, provenance=provenance)
    assert not report.failed
    return report.as_dict()


def test_same_stories_and_ids_as_sqlite(tmp_path, pg_url, corpus):
    src = write_jsonl(tmp_path / "fiction.jsonl", fictional_records(60))
    sources = [str(corpus), str(src)]
    sqlite_db = str(tmp_path / "same.db")
    a, b = _ingest(sqlite_db, sources), _ingest(pg_url, sources)
    assert a["new"] == b["new"] and a["exact_copies"] == b["exact_copies"] > 0
    lite, pg = snapshot(sqlite_db), snapshot(pg_url)
    assert len(pg["stories"]) > 20 and any(s["n_articles"] >= 3 for s in pg["stories"].values())
    assert pg == lite
    with Corpus(sqlite_db) as one, Corpus(pg_url) as two:
        assert one.stories(limit=100) == two.stories(limit=100)
        top = one.stories(limit=1)["stories"][0]["id"]
        assert two.story(top) == one.story(top)  # provenance graph, evidence, alignment


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newstrace", "ingest", *args]


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in [str(Path(__file__).parents[2] / "src"), env.get("PYTHONPATH", "")] if p
    )
    return env


def test_four_concurrent_ingests_equal_one_sequential(tmp_path):
    records = fictional_records(1200)
    # Four overlapping shards: each also carries 60 articles of the next, so ids arrive twice.
    shards = [
        records[k * 300 : (k + 1) * 300] + records[((k + 1) % 4) * 300 :][:60] for k in range(4)
    ]
    paths = [write_jsonl(tmp_path / f"shard{k}.jsonl", s) for k, s in enumerate(shards)]
    with pg_schema() as together, pg_schema() as alone:
        procs = [subprocess.Popen(_cli(str(p), "--db", together, "--json", "--no-provenance"),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=_env()) for p in paths]  # fmt: skip
        outs = [p.communicate(timeout=600) for p in procs]
        assert [p.returncode for p in procs] == [0] * 4, [err[-2000:] for _, err in outs]
        reports = [json.loads(out) for out, _ in outs]
        assert sum(r["new"] + r["exact_copies"] for r in reports) == 1200  # nothing lost or doubled
        assert sum(r["duplicate"] for r in reports) == 240
        assert _interleaved(together, shards), "the four ingests did not write at the same time"

        single = subprocess.run(
            _cli(
                str(write_jsonl(tmp_path / "all.jsonl", records)),
                "--db",
                alone,
                "--json",
                "--no-provenance",
            ),
            capture_output=True,
            text=True,
            timeout=600,
            env=_env(),
            check=False,
        )
        assert single.returncode == 0, single.stderr[-2000:]
        both, one = snapshot(together), snapshot(alone)
        assert len(both["articles"]) == 1200 and len(both["stories"]) >= 300
        assert both == one


def _interleaved(target: str, shards: list[list[dict]]) -> bool:
    """Return True when the stored order mixes the shards (their writes overlapped in time)."""
    owner = {r["id"]: k for k, shard in enumerate(shards) for r in shard[:300]}
    with open_store(target) as store:
        order = [owner[a.id] for a in store.iter_articles() if a.id in owner]
    switches = sum(1 for x, y in pairwise(order) if x != y)
    return switches >= 2


def test_kill_9_mid_ingest_then_rerun_equals_uninterrupted(tmp_path):
    src = write_jsonl(tmp_path / "big.jsonl", fictional_records(3000))
    with pg_schema() as killed, pg_schema() as clean:
        proc = subprocess.Popen(
            _cli(str(src), "--db", killed, "--no-provenance"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_env(),
        )
        stored = _wait_for_articles(killed, proc, within=120)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with open_store(killed) as store:
            partial = store.count_articles()
        whole = partial >= FIRST_BATCH and (partial - FIRST_BATCH) % BATCH_SIZE == 0
        assert 0 < partial < 3000 and whole, (stored, partial)  # whole batches only
        for target in (killed, clean):
            run = subprocess.run(
                _cli(str(src), "--db", target, "--no-provenance", "--json"),
                capture_output=True,
                text=True,
                timeout=600,
                env=_env(),
                check=False,
            )
            assert run.returncode == 0, run.stderr[-2000:]
        assert json.loads(run.stdout)["new"] > 0
        assert snapshot(killed) == snapshot(clean)


def _wait_for_articles(target: str, proc: subprocess.Popen, within: float) -> int:
    """Poll until the ingest has committed some articles; return how many were seen."""
    deadline = time.time() + within
    with open_store(target) as store:
        while time.time() < deadline and proc.poll() is None:
            n = store.count_articles()
            if n > 0:
                return n
            time.sleep(0.05)
    pytest.fail(f"the ingest stored nothing within {within} s (exit code {proc.poll()})")
