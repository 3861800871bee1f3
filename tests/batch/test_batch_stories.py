"""The batch job gives the local ingest's stories: same partition, same ids (and, with provenance,
same origins)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import corpus_dir

from newstrace import Corpus
from newstrace.settings import DEFAULT

from .conftest import PARTITIONS
from .helpers import generate, parquet_stories, store_stories, warc_record, write_corpus, write_warc

pytestmark = pytest.mark.spark
SETTINGS = DEFAULT.with_(semantic="off")


def _local(sources, db, provenance: bool) -> dict:
    with Corpus(db, settings=SETTINGS, workers=0) as corpus:
        corpus.ingest(sources, provenance=provenance)
        return store_stories(corpus.store)


def _with_bad_inputs(root: Path) -> dict:
    """Copy the example corpus under ``root`` and add a JSON Lines file with a broken line and a
    WARC.gz with a corrupt record; return the failures expected as ``{item: offset}``."""
    shutil.copytree(corpus_dir(), root)
    good = generate(4, seed=5)
    lines = [json.dumps(good[0]), '{"title": "cut off', json.dumps(good[1])]
    (root / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    warc = root / "crawl.warc.gz"
    offsets = write_warc(warc, [warc_record(a, k) for k, a in enumerate(good[2:] + good[:1])])
    data = bytearray(warc.read_bytes())
    mid = (offsets[1] + offsets[2]) // 2
    data[mid : mid + 40] = b"\x00" * 40  # inside the second record's compressed bytes
    warc.write_bytes(bytes(data))
    return {f"{root / 'feed.jsonl'}:2": len(lines[0]) + 1, f"{warc}@{offsets[1]}": offsets[1]}


def test_example_corpus_and_bad_inputs_same_stories_as_ingest_and_loaded_store(spark, tmp_path):
    from newstrace.batch import run_batch
    from newstrace.store import open_store

    expected_failures = _with_bad_inputs(tmp_path / "corpus")
    src = [str(tmp_path / "corpus")]
    report = run_batch(src, str(tmp_path / "out"), db=str(tmp_path / "batch.db"), settings=SETTINGS,
                       spark=spark, partitions=PARTITIONS)  # fmt: skip
    local = _local(src, tmp_path / "local.db", provenance=True)
    assert parquet_stories(spark, tmp_path / "out") == local
    assert report.articles == 7 + 4 and report.stories == len(local) and report.failed == 2
    assert any(
        len(s["members"]) > 1 for s in local.values()
    )  # the example has a multi-article story
    with open_store(tmp_path / "batch.db") as store:
        assert store_stories(store) == local
        # The load filled the story graph: nothing is left to link or re-cluster, so a later
        # local ingest into the loaded store re-clusters only the regions its articles reach.
        assert store.link_pending() == 0 and store.recluster() == ([], False)
    assert _local(src, tmp_path / "batch.db", provenance=True) == local
    edges = spark.read.parquet(str(tmp_path / "out" / "edges")).collect()
    assert report.edges == len(edges) > 0
    assert all(
        e.story_id in local and {e.a, e.b} <= set(local[e.story_id]["members"]) for e in edges
    )
    failures = spark.read.parquet(str(tmp_path / "out" / "failures")).collect()
    assert {f.item: f.offset for f in failures} == expected_failures
    assert {f.source for f in failures} == {
        i.rsplit(":", 1)[0].rsplit("@", 1)[0] for i in expected_failures
    }


def test_5000_generated_articles_same_partition_and_ids(spark, tmp_path):
    from newstrace.batch import run_batch

    articles = generate(5000)
    write_corpus(tmp_path / "corpus", articles)
    src = [str(tmp_path / "corpus")]
    report = run_batch(src, str(tmp_path / "out"), settings=SETTINGS, provenance=False, spark=spark,
                       partitions=PARTITIONS)  # fmt: skip
    local = _local(src, tmp_path / "local.db", provenance=False)
    batch = parquet_stories(spark, tmp_path / "out")
    assert {k: v["members"] for k, v in batch.items()} == {
        k: v["members"] for k, v in local.items()
    }
    sizes = sorted(len(s["members"]) for s in local.values())
    assert report.read == 5000 and report.failed == 0
    assert (
        300 < len(local) < 2000 and sizes[-1] > 3
    )  # real families, not one blob or all singletons


@pytest.mark.postgres
def test_batch_loads_into_postgresql_the_local_ingest_stories(spark, tmp_path):
    """``run_batch(..., db=postgresql://...)`` fills a PostgreSQL store with the stories, origins
    and graph a local SQLite ingest of the same corpus gives."""
    from store.conftest import pg_schema

    from newstrace.batch import run_batch
    from newstrace.store import open_store

    src = [str(corpus_dir())]
    local = _local(src, tmp_path / "local.db", provenance=True)
    with pg_schema() as url:
        report = run_batch(src, str(tmp_path / "out"), db=url, settings=SETTINGS, spark=spark,
                           partitions=PARTITIONS)  # fmt: skip
        assert report.stories == len(local) and report.failed == 0
        with open_store(url) as store:
            assert store_stories(store) == local
            assert store.link_pending() == 0 and store.recluster() == ([], False)
        # A later local ingest into the loaded PostgreSQL store changes nothing.
        assert _local(src, url, provenance=True) == local
