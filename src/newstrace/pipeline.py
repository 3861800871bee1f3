"""The corpus engine: ingest -> fingerprint -> candidates -> stories -> provenance, over a store.

:class:`Corpus` is the public API behind ``newstrace ingest``, ``stories``,
``story`` and ``trace``. Stages stay pure; this module only feeds them and
persists what they return:

- each batch of articles (normalized, hashed, signed, banded) is stored in one
  transaction, so a killed ingest leaves whole batches and a re-run skips them;
- stories are recomputed from everything stored, then replaced in one
  transaction, so they always match the articles;
- pair comparisons are cached in the store's edges and reused.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np
import xxhash

from .fingerprint import (
    LSHIndex,
    band_keys_batch,
    deserialize,
    exact_hash,
    jaccard_estimate,
    minhash_batch,
    serialize,
)
from .ingest import IngestFailure, iter_articles
from .model import Article
from .normalize import detect_language
from .settings import DEFAULT, Settings
from .store import EXACT_COPY, NEW, Store, StoredArticle, open_store
from .stories import (
    StoryClusterer,
    build_provenance,
    content_hash,
    content_text,
    event_vector,
    relation,
    story_id,
)
from .stories.cluster import LINK_MIN, _matrix
from .stories.provenance import chronological_key
from .stories.view import listing, story_document

BATCH_SIZE = 500
NEAR_DUP_MIN = 0.5  # MinHash Jaccard at which an LSH candidate is a near duplicate (must-link)
ALL_PAIRS_MAX = 12  # stories with at most this many distinct texts compare every pair
MAX_PARTNERS = 6  # in larger stories, each text is compared with this many closest texts
RELATION_VERSION = 1  # bump when the cached edge payload changes shape
Progress = Callable[[str, int, "int | None"], None]

PARENT_POLL_SECONDS = 1.0  # how soon a pool worker notices its ingest process died


@dataclass
class IngestReport:
    """What one ingest did: counts, failures by name and reason, and timing."""

    read: int = 0
    new: int = 0
    duplicate: int = 0  # already stored (same id): skipped
    exact_copies: int = 0  # new id, same content as a stored article
    failed: list[IngestFailure] = field(default_factory=list)
    stories: int = 0
    compared: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        """Return the report as JSON-safe data."""
        return {"read": self.read, "new": self.new, "duplicate": self.duplicate,
                "exact_copies": self.exact_copies, "stories": self.stories,
                "compared_pairs": self.compared, "seconds": round(self.seconds, 3),
                "failed": [{"source": f.source, "reason": f.reason} for f in self.failed]}  # fmt: skip


@dataclass
class _Prepared:
    item: StoredArticle
    vector: object  # EventVector
    signature: np.ndarray
    copy_key: str  # equal for articles whose event vector is the same (content hash, title, language)


def _batched(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for x in items:
        batch.append(x)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# Per-process memo of what only depends on the content (syndicated copies are
# computed once). Values equal a fresh computation, so results do not depend on it.
_MEMO_MAX = 50_000
_memo_text: dict[str, tuple] = {}  # content hash -> (signature, band keys, detected language)
_memo_vec: dict[str, object] = {}  # copy key -> event vector


def _remember(memo: dict, key, value):
    if len(memo) >= _MEMO_MAX:
        memo.clear()
    memo[key] = value
    return value


def copy_key(text_hash: str, article: Article, language: str | None) -> str:
    """Return the key shared by articles whose event vectors are equal: content hash, title, language."""
    return xxhash.xxh64_hexdigest(f"{text_hash}\x00{article.title or ''}\x00{language or ''}".encode())


def prepare(articles: list[Article], settings: Settings = DEFAULT) -> list[_Prepared]:
    """Return the stored form of ``articles``: content hash, language, signature, bands, event vector.

    Pure: the per-document work of the corpus pipeline (no store, no I/O).
    """
    texts = [content_text(a.text) for a in articles]
    hashes = [exact_hash(t) for t in texts]
    known = {h: _memo_text[h] for h in hashes if h in _memo_text}
    todo = sorted({h: t for h, t in zip(hashes, texts) if h not in known}.items())
    if todo:
        sigs = minhash_batch([t for _, t in todo], settings)
        bands = band_keys_batch(sigs, settings.lsh_bands).tolist()
        for (h, t), sig, keys in zip(todo, sigs, bands):
            known[h] = _remember(_memo_text, h, (sig, keys, detect_language(t)))
    out = []
    for a, text, h in zip(articles, texts, hashes):
        sig, keys, detected = known[h]
        lang = a.language or detected
        key = copy_key(h, a, lang)
        vec = _memo_vec.get(key) or _remember(_memo_vec, key, event_vector(a, text, lang))
        item = StoredArticle(
            article=a, exact_hash=h, signature=serialize(sig, settings),
            bands=list(enumerate(keys)), language=lang, n_words=len(text.split()),
        )  # fmt: skip
        out.append(_Prepared(item, vec, sig, key))
    return out


def _prepare_remote(articles: list[Article], settings: Settings) -> list[_Prepared]:
    """Run :func:`prepare` in a worker; the articles are left out of the answer (the caller has them)."""
    out = prepare(articles, settings)
    for p in out:
        p.item = replace(p.item, article=None)
    return out


def _reattach(prepared: list[_Prepared], articles: list[Article]) -> list[_Prepared]:
    for p, a in zip(prepared, articles):
        if p.item.article is None:
            p.item = replace(p.item, article=a)
    return prepared


class Corpus:
    """A corpus of articles in a store, grouped into stories with provenance.

    >>> with Corpus("news.db") as corpus:          # doctest: +SKIP
    ...     report = corpus.ingest(["feeds/", "archive.warc.gz"])
    ...     top = corpus.stories()["stories"][0]
    ...     tree = corpus.story(top["id"])
    """

    def __init__(self, db: str | os.PathLike | Store | None = None, settings: Settings | None = None,
                 batch_size: int = BATCH_SIZE, workers: int | None = None) -> None:  # fmt: skip
        self.settings = settings or DEFAULT
        self.batch_size = batch_size
        # Preparing articles (hashing, signing, event vectors) is pure and runs in
        # ``workers`` other processes (0: in this one); storing and clustering stay
        # here, batch by batch, in order. One worker per spare core: measured on
        # 2 cores, one worker beats two (its memo sees every syndicated copy).
        default = min(3, (os.cpu_count() or 1) - 1)
        self.workers = max(0, workers if workers is not None else default)
        self.store: Store = db if isinstance(db, Store) else open_store(db)
        self._clusterer: StoryClusterer | None = None
        self._lsh = LSHIndex(self.settings)
        self._sigs: dict[str, np.ndarray] = {}
        self._hash_first: dict[str, str] = {}

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest ---------------------------------------------------------------
    def ingest(self, sources, *, provenance: bool = True, progress: Progress | None = None) -> IngestReport:
        """Read ``sources`` into the store and update stories; return an IngestReport.

        Sources are files, directories, globs (see ``newstrace.ingest.iter_articles``).
        Unreadable items are reported in ``failed``, never raised. With
        ``provenance``, every story of two or more articles gets its
        derivation graph (pair comparisons, cached in the store).
        """
        items = iter_articles(sources, self.settings)
        return self.ingest_articles(items, provenance=provenance, progress=progress)

    def ingest_articles(self, items: Iterable[Article | IngestFailure], *, provenance: bool = True,
                        progress: Progress | None = None) -> IngestReport:  # fmt: skip
        """Store Articles given in memory (IngestFailures are counted as failed); see :meth:`ingest`."""
        t0, report = time.perf_counter(), IngestReport()
        self.store.ensure_params(_fingerprint_params(self.settings))
        clusterer = self._load()
        with _preparer(self.workers) as submit:
            pending: list = []
            for batch in _batched(items, self.batch_size):
                articles = [x for x in batch if isinstance(x, Article)]
                pending.append((batch, submit(_prepare_remote, articles, self.settings)))
                if len(pending) > max(1, self.workers):  # keep a few batches in flight, in order
                    self._store_batch(*pending.pop(0), clusterer, report, progress)
            for batch, future in pending:
                self._store_batch(batch, future, clusterer, report, progress)
        report.compared = self.update_stories(provenance=provenance, progress=progress)
        report.stories = self.store.count_stories()
        report.seconds = time.perf_counter() - t0
        return report

    def _store_batch(self, batch: list, future, clusterer: StoryClusterer, report: IngestReport,
                     progress: Progress | None) -> None:  # fmt: skip
        report.failed += [x for x in batch if isinstance(x, IngestFailure)]
        report.read += len(batch)
        prepared = _reattach(future.result(), [x for x in batch if isinstance(x, Article)])
        statuses = self.store.add_articles([p.item for p in prepared])  # one transaction
        fresh = [p for p, s in zip(prepared, statuses) if s in (NEW, EXACT_COPY)]
        report.new += sum(s == NEW for s in statuses)
        report.exact_copies += sum(s == EXACT_COPY for s in statuses)
        report.duplicate += sum(s not in (NEW, EXACT_COPY) for s in statuses)
        self._add(clusterer, fresh)
        if progress:
            progress("ingest", report.read, None)

    def _add(self, clusterer: StoryClusterer, prepared: list[_Prepared]) -> None:
        """Add stored articles to the clusterer with their exact and near-duplicate must-links.

        Only the first article of each content hash enters the LSH index: its
        copies have the same signature and join it by the exact must-link.
        """
        prepared = [p for p in prepared if p.item.article.id not in clusterer]
        must, firsts = [], []
        for p in prepared:
            aid = p.item.article.id
            first = self._hash_first.setdefault(p.item.exact_hash, aid)
            if first != aid:
                must.append((first, aid))
            else:
                firsts.append(p)
        clusterer.add([p.item.article.id for p in prepared], [p.vector for p in prepared], must,
                      [p.copy_key for p in prepared])  # fmt: skip
        if firsts:
            ids = [p.item.article.id for p in firsts]
            self._sigs.update((i, p.signature) for i, p in zip(ids, firsts))
            near = [(old, new) for old, new in self._lsh.add_batch(ids, np.array([p.signature for p in firsts]))
                    if not clusterer.must_linked(old, new)
                    and jaccard_estimate(self._sig(old), self._sig(new)) >= NEAR_DUP_MIN]  # fmt: skip
            clusterer.add([], [], near)

    def _sig(self, article_id: str) -> np.ndarray:
        sig = self._sigs.get(article_id)
        if sig is None:
            sig = deserialize(self.store.signature(article_id))
            self._sigs[article_id] = sig
        return sig

    def _load(self) -> StoryClusterer:
        """Return the clusterer holding every stored article (rebuilt from the store once)."""
        if self._clusterer is None:
            self._clusterer = StoryClusterer()
            for batch in _batched(self.store.iter_articles(), self.batch_size * 4):
                self._add(self._clusterer, prepare(batch, self.settings))
        return self._clusterer

    # -- stories --------------------------------------------------------------
    def update_stories(self, *, provenance: bool = True, progress: Progress | None = None) -> int:
        """Recompute stories from the stored articles and replace them; return pairs compared."""
        clusterer = self._load()
        groups = clusterer.stories()
        assignments = {i: story_id(g) for g in groups for i in g}
        stories, compared = [], 0
        for n, members in enumerate(groups):
            entry = {"id": story_id(members)}
            if provenance and len(members) > 1:
                prov, done = self._provenance(members)
                compared += done
                entry.update(_story_fields(prov, self.store.articles_by_ids([prov["origin"]])[0]))
            elif len(members) == 1:
                entry.update(_story_fields(_single(members[0]), self.store.get_article(members[0])))
            stories.append(entry)
            if progress and len(members) > 1:
                progress("stories", n + 1, len(groups))
        self.store.replace_stories(assignments, stories)
        return compared

    def stories(self, *, limit: int = 50, offset: int = 0, sort: str = "size", **filters) -> dict:
        """Return the ``newstrace.story/1`` listing: one summary per story, biggest first."""
        page = self.store.list_stories(limit=limit, offset=offset, sort=sort, **filters)
        return listing(page, self.store.count_stories(**filters))

    def story(self, story_id_: str) -> dict:
        """Return the ``newstrace.story/1`` document of one story; raise NotFound."""
        stored = self.store.get_story(story_id_)
        articles = self.store.articles_by_ids(stored["articles"])
        prov, _ = self._provenance(stored["articles"])
        return story_document(stored, articles, prov)

    def trace_report(self) -> tuple[dict, dict | None]:
        """Return the stories listing and the document of the main story (the largest)."""
        doc = self.stories()
        top = doc["stories"][0] if doc["stories"] else None
        return doc, (self.story(top["id"]) if top else None)

    def export_rows(self, what: str, story_ids: Iterable[str] | None = None) -> Iterator[dict]:
        """Yield the flat rows of ``what`` (stories, articles or edges; see ``newstrace.stories.export``).

        ``story_ids`` limits them to those stories (default: every story,
        biggest first). Raises ConfigError for another ``what``, NotFound for
        an unknown story id.
        """
        from .errors import ConfigError
        from .stories import export

        if what not in export.KINDS:
            raise ConfigError(f"what must be one of {', '.join(export.KINDS)}, got {what!r}")
        ids = list(story_ids) if story_ids is not None else None
        if what == "stories":
            summaries = self._all_summaries() if ids is None else (self.story(i) for i in ids)
            yield from export.story_rows(summaries)
            return
        rows = export.article_rows if what == "articles" else export.edge_rows
        for sid in ids if ids is not None else (s["id"] for s in self._all_summaries()):
            yield from rows(self.story(sid))

    def _all_summaries(self) -> Iterator[dict]:
        from .store.base import MAX_LIMIT

        offset = 0
        while True:
            page = self.stories(limit=MAX_LIMIT, offset=offset)["stories"]
            yield from page
            if len(page) < MAX_LIMIT:
                return
            offset += len(page)

    # -- provenance -----------------------------------------------------------
    def _provenance(self, members: list[str]) -> tuple[dict, int]:
        """Return the provenance graph of a story and how many pairs had to be compared."""
        articles = self.store.articles_by_ids(sorted(members))
        hashes = {a.id: content_hash(a.text) for a in articles}
        reps = _representatives(articles, hashes)
        pairs = self._pairs_to_compare(reps)
        cached = {k: v for k, v in self.store.edges_for([a.id for a in reps]).items()
                  if v.get("version") == RELATION_VERSION}  # fmt: skip
        todo = [p for p in pairs if p not in cached and p[::-1] not in cached]
        fresh = self._compare_pairs(todo, {a.id: a for a in reps})
        if fresh:
            self.store.put_edges([(r["a"], r["b"], r) for r in fresh])
        relations = list(cached.values()) + fresh
        return build_provenance(articles, relations, hashes), len(todo)

    def _pairs_to_compare(self, reps: list[Article]) -> list[tuple[str, str]]:
        """Return the pairs of distinct texts whose comparison provenance needs.

        Small stories compare every pair. Larger ones compare each text with
        its MAX_PARTNERS closest texts (event score at least LINK_MIN) and with
        the texts whose outlet it names, so the work grows linearly with the story.
        """
        ids = [a.id for a in reps]
        if len(ids) <= ALL_PAIRS_MAX:
            return [(a, b) for k, a in enumerate(ids) for b in ids[k + 1 :]]
        m = _matrix([event_vector(a) for a in reps])
        scores = np.round((m @ m.T).toarray(), 9)
        np.fill_diagonal(scores, -1.0)
        pairs = set()
        for k in range(len(ids)):
            order = np.lexsort((np.arange(len(ids)), -scores[k]))[:MAX_PARTNERS]
            pairs.update((min(k, j), max(k, j)) for j in order.tolist() if scores[k, j] >= LINK_MIN)
        pairs.update((k, j) for k in range(len(ids)) for j in range(k + 1, len(ids)) if _credits_outlet(reps[k], reps[j]))
        return [(ids[k], ids[j]) for k, j in sorted(pairs)]

    def _compare_pairs(self, pairs: list[tuple[str, str]], by_id: dict[str, Article]) -> list[dict]:
        from . import api

        docs: dict = {}
        out = []
        for a, b in pairs:
            for i in (a, b):
                if i not in docs:
                    docs[i] = api.to_document(by_id[i], self.settings)
            rel = relation(api.compare(docs[a], docs[b], self.settings))
            rel["version"] = RELATION_VERSION
            out.append(rel)
        return out


class _Done:
    """A finished result with the Future interface."""

    def __init__(self, value) -> None:
        self.value = value

    def result(self):
        return self.value


@contextmanager
def _preparer(workers: int):
    """Yield ``submit(fn, *args)``: a process pool of ``workers`` processes, or in place when 0."""
    if workers < 1:
        yield lambda fn, *args: _Done(fn(*args))
        return
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_exit_with_parent,
                             initargs=(os.getpid(),)) as pool:  # fmt: skip
        yield pool.submit


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when the ingest process is gone.

    A pool worker waits on a queue whose other end its siblings also hold, so
    it never sees end-of-file when the parent is killed with SIGKILL; without
    this watch it would sleep forever as an orphan.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _fingerprint_params(settings: Settings) -> dict:
    return {"num_perm": settings.num_perm, "lsh_bands": settings.lsh_bands,
            "shingle_size": settings.shingle_size, "seed": settings.seed}  # fmt: skip


def _representatives(articles: list[Article], hashes: dict[str, str]) -> list[Article]:
    """Return the earliest article of each content hash (syndicated copies share one)."""
    seen, out = set(), []
    for a in sorted(articles, key=chronological_key):
        if hashes[a.id] not in seen:
            seen.add(hashes[a.id])
            out.append(a)
    return out


def _credits_outlet(a: Article, b: Article) -> bool:
    """Return True when either text names the other's outlet (a possible credit)."""
    return bool((a.outlet and a.outlet in b.text) or (b.outlet and b.outlet in a.text))


def _single(article_id: str) -> dict:
    return {"origin": article_id, "independent_sources": 1}


def _story_fields(prov: dict, origin: Article) -> dict:
    return {"origin": prov["origin"], "n_sources": prov["independent_sources"],
            "origin_outlet": origin.outlet, "title": origin.title}  # fmt: skip
