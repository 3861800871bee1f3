"""The batch job: sources -> articles -> prepared -> band-join components -> stories -> provenance
-> Parquet.

Stages (each timed in :class:`BatchReport`):

1. **read**: every file's bytes through ``binaryFiles``, parsed by the local
   ingest on the executors; bad records become failure rows.
2. **prepare**: one article per id (the first in reading order, as the local
   store keeps), then the pipeline's ``prepare`` per partition.
3. **candidates**: a join on bucket keys (exact hash, ``(band, key)``, event
   keys) links each bucket as a star to its smallest id; large-star /
   small-star rounds give the components.
4. **cluster**: each component through the local clusterer (verify and split).
5. **provenance**: each story's pairs compared and its graph built, stories in parallel.
6. **write**: the Parquet tables, and with ``db`` a load into a store.
"""

from __future__ import annotations

import glob
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ..errors import ConfigError
from ..settings import DEFAULT, Settings
from . import adapter, tables
from .components import components, star_edges
from .read import parse_file
from .session import get_session

PREPARE_BATCH = 500  # articles per prepare() call (the local pipeline's batch size)
_SCHEME = "://"


@dataclass
class BatchReport:
    """What one batch run did: counts, where it wrote, and seconds per stage."""

    read: int = 0
    articles: int = 0
    duplicates: int = 0
    failed: int = 0
    stories: int = 0
    edges: int = 0
    out: str = ""
    stages: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        """Return the report as JSON-safe data."""
        return {
            "read": self.read,
            "articles": self.articles,
            "duplicates": self.duplicates,
            "failed": self.failed,
            "stories": self.stories,
            "edges": self.edges,
            "out": self.out,
            "stages": {k: round(v, 3) for k, v in self.stages.items()},
            "seconds": round(self.seconds, 3),
        }


class _Clock:
    def __init__(self, report: BatchReport) -> None:
        self.report, self.t = report, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.stages[stage] = now - self.t
        self.t = now


def run_batch(sources: Sequence[str], out: str, *, master: str | None = None, db: str | None = None,
              settings: Settings = DEFAULT, provenance: bool = True, partitions: int | None = None,
              spark=None) -> BatchReport:  # fmt: skip
    """Run the batch job over ``sources`` and write the Parquet tables under ``out``; return a
    BatchReport.

    ``sources`` are files, directories or globs on any file system Spark reads.
    ``db`` (a store path or URL) also receives the articles, stories and edges.
    Raises ConfigError for no sources or a bad master, MissingExtra without pyspark.
    """
    if not sources:
        raise ConfigError("give at least one source (a file, directory or glob)")
    t0, report = time.perf_counter(), BatchReport(out=out)
    spark = spark or get_session(master)
    sc = spark.sparkContext
    n = partitions or max(2, sc.defaultParallelism * 2)
    # The DataFrame band join and the table writes shuffle into n partitions too (Spark's
    # default of 200 costs minutes of empty tasks on a small job).
    spark.conf.set("spark.sql.shuffle.partitions", str(n))
    clock = _Clock(report)
    specs = [_spec(s) for s in sources]
    items = _read(sc, specs, settings).persist(_disk())
    found, failed = _tally(items)
    failed += _missing(specs)
    report.read, report.failed = found + len(failed), len(failed)
    clock.lap("read")
    prepared = _prepare(items, settings, n).persist(_disk())
    report.articles = prepared.count()
    report.duplicates = found - report.articles
    items.unpersist()
    clock.lap("prepare")
    comp = _components(spark, prepared, n).persist(_disk())
    comp.count()
    clock.lap("candidates")
    assign = _cluster(prepared, comp, settings, n).persist(_disk())
    assign.count()
    clock.lap("cluster")
    stories = _stories(prepared, assign, settings, provenance, n).persist(_disk())
    report.stories, report.edges = stories.map(lambda s: (1, len(s[1]))).fold((0, 0), _add)
    clock.lap("provenance")
    _write(spark, out, prepared, assign, stories, failed)
    clock.lap("write")
    if db:
        from .load import load_store

        load_store(db, prepared, assign, stories, settings)
        clock.lap("load")
    for rdd in (prepared, comp, assign, stories):
        rdd.unpersist()
    report.seconds = time.perf_counter() - t0
    return report


def _disk():
    """Return MEMORY_AND_DISK: cached stages spill, never recompute (a recompute re-reads the
    archive)."""
    from pyspark import StorageLevel

    return StorageLevel.MEMORY_AND_DISK


def _tally(items) -> tuple[int, list[dict]]:
    """Return how many articles were read and the failure rows, in one pass over ``items``."""

    def part(it):
        n, bad = 0, []
        for x in it:
            if x[0] == "a":
                n += 1
            else:
                bad.append(x[1])
        yield n, bad

    found, failed = items.mapPartitions(part).fold((0, []), lambda a, b: (a[0] + b[0], a[1] + b[1]))
    return found, sorted(failed, key=lambda f: (f["source"], f["offset"] or 0, f["item"]))


def _add(a: tuple, b: tuple) -> tuple:
    return a[0] + b[0], a[1] + b[1]


def _spec(source: str) -> str:
    """Return a source as Spark should read it: local paths made absolute, URIs as given."""
    source = os.fspath(source)
    return source if _SCHEME in source else os.path.abspath(source)


def _missing(specs: list[str]) -> list[dict]:
    """Return failure rows for local sources that name nothing (as the local ingest reports
    them)."""
    rows = []
    for spec in specs:
        if _SCHEME not in spec and not glob.glob(spec, recursive=True):
            why = (
                "no files match this pattern"
                if set("*?[") & set(spec)
                else "no such file or directory"
            )
            rows.append({"source": spec, "offset": None, "error": why, "item": spec})
    return rows


def _read(sc, specs: list[str], settings: Settings):
    """Return an RDD of parsed items from every existing source, tagged with the source's index."""
    # Directories are read recursively, as the local ingest walks them (also in a session we did not
    # build).
    sc._jsc.hadoopConfiguration().set("mapreduce.input.fileinputformat.input.dir.recursive", "true")
    rdds = []
    for index, spec in enumerate(specs):
        if _SCHEME not in spec and not glob.glob(spec, recursive=True):
            continue
        files = sc.binaryFiles(spec)
        rdds.append(
            files.flatMap(lambda kv, i=index, s=spec: parse_file(i, kv[0], kv[1], s, settings))
        )
    return sc.union(rdds) if rdds else sc.parallelize([], 1)


def _prepare(items, settings: Settings, n: int):
    """Return an RDD of ``(order, Prepared)``: the first article of each id, prepared."""
    first = (items.filter(lambda x: x[0] == "a").map(lambda x: (x[2].id, (x[1], x[2])))
             .reduceByKey(lambda a, b: a if a[0] <= b[0] else b, n).values())  # fmt: skip
    return first.mapPartitions(lambda it: _prepare_partition(it, settings))


def _prepare_partition(rows: Iterator[tuple], settings: Settings) -> Iterator[tuple]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= PREPARE_BATCH:
            yield from _prepare_batch(batch, settings)
            batch = []
    if batch:
        yield from _prepare_batch(batch, settings)


def _prepare_batch(batch: list[tuple], settings: Settings) -> list[tuple]:
    done = adapter.prepare([a for _, a in batch], settings)
    return [(order, p) for (order, _), p in zip(batch, done)]


def _components(spark, prepared, n: int):
    """Return an RDD of ``(article id, component id)`` for articles sharing any bucket key.

    The band join runs in the JVM (DataFrame group-by and join): each bucket
    is linked as a star to its smallest id.
    """
    pairs = prepared.flatMap(
        lambda op: [(k, op[1].item.article.id) for k in adapter.bucket_keys(op[1])]
    )
    df = spark.createDataFrame(pairs, "bucket long, id string").persist(_disk())  # read twice below
    return components(star_edges(df).rdd.map(tuple), n)


def _cluster(prepared, comp, settings: Settings, n: int):
    """Return an RDD of ``(article id, story id)``: each component clustered as the local ingest
    does."""
    by_id = prepared.map(lambda op: (op[1].item.article.id, adapter.node(op[1])))
    grouped = (
        by_id.leftOuterJoin(comp, n).map(lambda kv: (kv[1][1] or kv[0], kv[1][0])).groupByKey(n)
    )
    return grouped.flatMap(lambda kv: _assign(adapter.cluster(kv[1], settings)))


def _assign(groups: list[list[str]]) -> list[tuple[str, str]]:
    return [(i, adapter.story_id(g)) for g in groups for i in g]


def _stories(prepared, assign, settings: Settings, provenance: bool, n: int):
    """Return an RDD of ``(story row, relations, size)``, one per story, stories traced in
    parallel."""
    by_id = prepared.map(lambda op: (op[1].item.article.id, op[1].item))
    members = by_id.join(assign, n).map(lambda kv: (kv[1][1], kv[1][0])).groupByKey(n)
    return members.mapPartitions(lambda it: _trace(it, settings, provenance))


def _trace(stories: Iterator[tuple], settings: Settings, provenance: bool) -> Iterator[tuple]:
    with adapter.story_corpus(settings) as corpus:
        for _, members in stories:
            members = list(members)
            row, relations = adapter.story_row(corpus, members, provenance)
            yield row, relations, len(members)


def _write(spark, out: str, prepared, assign, stories, failed: list[dict]) -> None:
    """Write the five Parquet tables under ``out`` (replacing earlier ones)."""
    schema = tables.schemas()
    frames = {
        "articles": prepared.map(lambda op: tables.article_row(op[1])),
        "story_members": assign,
        "stories": stories.map(lambda s: tables.story_row(s[0], s[2])),
        "edges": stories.flatMap(lambda s: [tables.edge_row(s[0]["id"], r) for r in s[1]]),
        "failures": spark.sparkContext.parallelize([tables.failure_row(f) for f in failed], 1),
    }
    for name in tables.TABLES:
        df = spark.createDataFrame(frames[name], schema[name])
        df.write.mode("overwrite").parquet(f"{out.rstrip('/')}/{name}")
