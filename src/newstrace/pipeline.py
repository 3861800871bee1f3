"""The corpus engine: ingest -> fingerprint -> candidates -> stories -> provenance, over a store.

:class:`Corpus` is the public API behind ``newstrace ingest``, ``stories``,
``story`` and ``trace``. Stages stay pure; this module only feeds them and
persists what they return:

- each batch of articles (normalized, hashed, signed, banded, with its event
  vector) is stored in one transaction, so a killed ingest leaves whole
  batches and a re-run skips them;
- the story graph lives in the store: each batch's texts are linked into
  regions through the store's band and key indexes (``Store.link_pending``),
  and only the regions they reached are re-clustered, rewriting only the
  stories whose members changed (``Store.recluster``). Opening a corpus reads
  nothing up front, and writers may run at once;
- pair comparisons are cached in the store's edges and reused.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import xxhash

from .errors import NotFound
from .fingerprint import (
    content_of,
    deserialize,
    exact_hash,
    fingerprint_contents,
    is_empty,
    serialize,
)
from .ingest import IngestFailure, iter_articles
from .model import Article
from .normalize import detect_language, document_text
from .semantic import cross_language
from .settings import DEFAULT, Settings
from .store import EXACT_COPY, NEW, Store, StoredArticle, open_store
from .store.base import FACET_LIMIT
from .stories import (
    build_provenance,
    content_hash,
    event_vector,
    members_hash,
)
from .stories.cluster import pack_vector
from .stories.evidence import (
    Digest,
    digest,
    lean,
    name_overlap,
    shingle_counts,
    translation_relation,
    word_matrices,
)
from .stories.evidence import relation as evidence_relation
from .stories.provenance import ABSENT, ANALYSIS_VERSION, analysis, chronological_key
from .stories.sources import MAX_SOURCES, candidate_pairs, credit_pairs, jaccard_matrix, shares
from .stories.view import listing, story_document

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self from Python 3.11

BATCH_SIZE = 500
FIRST_BATCH = 100  # articles in the first batch of an ingest with a preparing worker
NAMES_MIN = 4  # names or numbers two texts in two languages must share to be compared at all
NAMES_SHARE = 0.6  # and the share of the smaller set of them the other holds
TRANSLATION_MIN = (
    0.85  # lead embedding cosine of a possible translation (translations score 0.87-0.93)
)
LEAD_CHARS = (
    300  # title and lead embedded to screen a possible translation (short: the model is slow)
)
WORDS_ALL_MAX = 6000  # sentences of a story up to which sentence anchors rank every pair
EDGES_AT_ONCE = 5_000  # decided relations a story fill writes in one transaction
PLAN_AHEAD = 4_000  # articles of stories planned ahead while leads are embedded (bounds memory)
LEAD_PROXY = 0.8  # same-language texts sharing this much both ways share one lead embedding
LEAD_WORDS_PROXY = 0.8  # or whose leads have this word-set Jaccard (a few words edited)
RELATION_VERSION = 2  # bump when the cached edge payload changes shape (2: decided from evidence)
Progress = Callable[[str, int, "int | None"], None]

DIGEST_AHEAD = 2_000  # articles of the next stories whose digests the worker computes ahead
DIGEST_JOB = 500  # digests the worker computes and sends back in one job, at most
EARLY_DIGESTS = 4_000  # digests an ingest computes beside preparing (in the worker), at most
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
        return {
            "read": self.read,
            "new": self.new,
            "duplicate": self.duplicate,
            "exact_copies": self.exact_copies,
            "stories": self.stories,
            "compared_pairs": self.compared,
            "seconds": round(self.seconds, 3),
            "failed": [{"source": f.source, "reason": f.reason} for f in self.failed],
        }


@dataclass
class _Prepared:
    item: StoredArticle
    vector: object  # EventVector
    signature: np.ndarray
    copy_key: (
        str  # equal for articles whose event vector is the same (content hash, title, language)
    )
    digest: Digest | None = None  # the evidence digest, when asked for (see ``prepare``)


def _batched(items: Iterable, size: int, first: int | None = None) -> Iterator[list]:
    """Yield lists of ``size`` items (the first of ``first`` when given; the last may be short)."""
    batch: list = []
    limit = min(size, first or size)
    for x in items:
        batch.append(x)
        if len(batch) >= limit:
            yield batch
            batch, limit = [], size
    if batch:
        yield batch


# Per-process memo of what depends only on the content and the fingerprint
# parameters (syndicated copies are computed once), keyed by all of them, so a
# value always equals a fresh computation and results do not depend on it.
_MEMO_MAX = 20_000  # entries of each memo; a digest is about 18 KB (docs/benchmarks.md, session 12)
_memo_text: dict[tuple, tuple] = {}  # (content hash, *fingerprint params) -> _Fingerprint
_memo_vec: dict[str, object] = {}  # copy key -> event vector (it reads no fingerprint parameter)


@dataclass(frozen=True)
class _Fingerprint:
    """What the fingerprint stage memoizes per content hash (from the first text signed)."""

    signature: np.ndarray
    keys: np.ndarray  # band keys, int64
    language: str  # detected on that text
    n_shingles: int  # its distinct shingles
    text_id: bytes  # 128-bit hash of that text itself: its language and count are reused
    # only for a text equal to it (two texts of one content hash may differ in punctuation)


@dataclass(frozen=True)
class _Clean:
    """An article's text once cleaned: what both the fingerprint and the digest read."""

    text: str  # document_text
    rules: list  # boilerplate rule of each paragraph of ``text`` (None: content)
    content: str  # content text (``fingerprint.content_text``)
    hash: str  # exact hash of the content
    text_id: bytes  # 128-bit hash of the content itself


def _clean(raw: str) -> _Clean:
    """Return the cleaned forms of one raw article text (pure)."""
    text = document_text(raw)
    content, rules = content_of(text)
    return _Clean(text, rules, content, exact_hash(content), _text_id(content))


def _text_id(content: str) -> bytes:
    return xxhash.xxh3_128_digest(content.encode("utf-8", "surrogatepass"))


def _remember(memo: dict, key, value):
    if len(memo) >= _MEMO_MAX:
        memo.clear()
    memo[key] = value
    return value


def copy_key(text_hash: str, article: Article, language: str | None) -> str:
    """Return the key shared by articles whose event vectors are equal: content hash, title,
    language."""
    return xxhash.xxh64_hexdigest(
        f"{text_hash}\x00{article.title or ''}\x00{language or ''}".encode()
    )


def _params_key(settings: Settings) -> tuple:
    return tuple(sorted(_fingerprint_params(settings).items()))


def _fingerprints(cleans: list[_Clean], settings: Settings) -> dict[str, _Fingerprint]:
    """Return ``{content hash: _Fingerprint}``, memoized per parameters."""
    params = _params_key(settings)
    known = {
        c.hash: _memo_text[(c.hash, *params)] for c in cleans if (c.hash, *params) in _memo_text
    }
    todo = sorted({c.hash: c for c in cleans if c.hash not in known}.items())
    fps = fingerprint_contents([c.content for _, c in todo], settings, [h for h, _ in todo])
    for (h, c), fp in zip(todo, fps):
        keys = np.array(fp.bands, np.int64)  # 256 bytes, not 32 Python ints
        lang = detect_language(c.content)
        known[h] = _remember(
            _memo_text,
            (h, *params),
            _Fingerprint(fp.signature, keys, lang, fp.n_shingles, c.text_id),
        )
    return known


def prepare(
    articles: list[Article], settings: Settings = DEFAULT, digests: bool = False
) -> list[_Prepared]:
    """Return the stored form of ``articles``: content hash, language, signature, bands, event
    vector (and, with ``digests``, the evidence digest provenance reads).

    Pure: the per-document work of the corpus pipeline (no store, no I/O); the
    result depends on the articles and ``settings`` only. Hashes and band keys
    come from ``fingerprint.fingerprint_contents`` over the content text, the
    one place that computes them. Each text is cleaned once (``_clean``): the
    fingerprint, the event vector and the digest read the same content text,
    language detection and shingle pass. Raises ConfigError for bad
    fingerprint settings.
    """
    cleans = [_clean(a.text) for a in articles]
    known = _fingerprints(cleans, settings)
    out = []
    for a, c in zip(articles, cleans):
        fp = known[c.hash]
        sig, text = fp.signature, c.content
        lang = a.language or fp.language
        key = copy_key(c.hash, a, lang)
        vec = _memo_vec.get(key) or _remember(_memo_vec, key, event_vector(a, text, lang))
        item = StoredArticle(
            article=a,
            exact_hash=c.hash,
            signature=serialize(sig, settings),
            bands=[] if is_empty(sig) else list(enumerate(fp.keys.tolist())),
            language=lang,
            n_words=len(text.split()),
            copy_key=key,
            vector=pack_vector(vec),
        )
        d = _digest_of(a, c, fp, settings) if digests else None
        out.append(_Prepared(item, vec, sig, key, d))
    return out


def _digest_of(a: Article, c: _Clean, fp: _Fingerprint | None, settings: Settings) -> Digest:
    """Return the evidence digest of ``a`` from its cleaned text (and its content's fingerprint).

    Its language is the article's, else the one detected on its content; the
    fingerprint's detection and shingle count are reused when they were
    computed on this very content text.
    """
    if fp is not None and fp.text_id == c.text_id:
        lang, n = a.language or fp.language, fp.n_shingles
    else:
        lang = a.language or detect_language(c.content)
        n = shingle_counts([c.content], settings)[0]
    return digest(a.with_(language=lang), lang, n, c.content, c.text, c.rules)


def _prepare_remote(articles: list[Article], settings: Settings, digests: bool = False):
    """Run :func:`prepare` in a worker; the answer holds only what the store needs.

    The articles are left out (the caller has them), and so are the unpacked
    event vector and signature (the stored item carries both packed): pickling
    those numpy-backed objects cost more than preparing took for some batches.
    """
    out = prepare(articles, settings, digests)
    for p in out:
        p.item = replace(p.item, article=None)
        p.vector = p.signature = None
        if p.digest is not None:
            p.digest = _detached(p.digest)
    return out


def _digests_remote(articles: list[Article], settings: Settings) -> list[Digest]:
    """Return the evidence digests of ``articles`` (in a worker: the articles left out, the
    caller has them; see :func:`_attached`)."""
    return [_detached(_article_digest(a, settings)) for a in articles]


def _detached(d: Digest) -> Digest:
    """Return ``d`` without its article (a worker's answer: the caller has the article)."""
    return replace(d, doc=replace(d.doc, article=None))


def _attached(d: Digest, a: Article) -> Digest:
    """Return a digest a worker computed from ``a`` with ``a`` back in it (with the digest's
    language), as computing it here would give, its strings interned (``evidence.lean``)."""
    return replace(lean(d), doc=replace(d.doc, article=a.with_(language=d.doc.language)))


def _article_digest(a: Article, settings: Settings) -> Digest:
    """Return the evidence digest of ``a`` (its language detected on the content when unknown)."""
    c = _clean(a.text)
    return _digest_of(a, c, _memo_text.get((c.hash, *_params_key(settings))), settings)


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

    def __init__(
        self,
        db: str | os.PathLike | Store | None = None,
        settings: Settings | None = None,
        batch_size: int = BATCH_SIZE,
        workers: int | None = None,
    ) -> None:
        self.settings = settings or DEFAULT
        self.batch_size = batch_size
        # Preparing articles (hashing, signing, event vectors) is pure and runs in
        # ``workers`` other processes (0: in this one); storing and clustering stay
        # here, batch by batch, in order. One worker per spare core: measured on
        # 2 cores, one worker beats two (its memo sees every syndicated copy).
        default = min(3, (os.cpu_count() or 1) - 1)
        self.workers = max(0, workers if workers is not None else default)
        # Opening reads nothing: the story graph stays in the store.
        self.store: Store = db if isinstance(db, Store) else open_store(db)
        self._sigs: dict[
            str, np.ndarray
        ] = {}  # signatures read for provenance (bounded like the digests)
        self._digests: dict[str, Digest] = {}
        self._hashes: dict[str, str] = {}  # content hashes of the articles this ingest stored
        self.analysed = 0  # pair analyses computed (not read from the store) by story views
        self.lead_embeddings = 0  # leads embedded to screen possible translations

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest ---------------------------------------------------------------
    def ingest(
        self, sources, *, provenance: bool = True, progress: Progress | None = None
    ) -> IngestReport:
        """Read ``sources`` into the store and update stories; return an IngestReport.

        Sources are files, directories, globs (see ``newstrace.ingest.iter_articles``).
        Unreadable items are reported in ``failed``, never raised. With
        ``provenance``, every story of two or more articles gets its
        derivation graph (pair comparisons, cached in the store).
        """
        items = iter_articles(sources, self.settings)
        return self.ingest_articles(items, provenance=provenance, progress=progress)

    def ingest_articles(
        self,
        items: Iterable[Article | IngestFailure],
        *,
        provenance: bool = True,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Store Articles given in memory (IngestFailures are counted as failed); see
        :meth:`ingest`."""
        t0, report = time.perf_counter(), IngestReport()
        self.store.ensure_params(_fingerprint_params(self.settings))
        self._place_old_articles()
        with _preparer(self.workers) as submit:
            pending: list = []
            # Digests are pure too: a worker computes them beside the preparing, for the
            # first EARLY_DIGESTS articles (the memo is bounded; stories come after the ingest).
            early = EARLY_DIGESTS if provenance and self.workers else 0
            # A small first batch: this process waits only for it before storing and linking
            # while the worker prepares the next ones (stories do not depend on batch sizes).
            first = FIRST_BATCH if self.workers else None
            for batch in _batched(items, self.batch_size, first):
                articles = [x for x in batch if isinstance(x, Article)]
                future = submit(_prepare_remote, articles, self.settings, early > 0)
                early -= len(articles)
                pending.append((batch, future))
                if len(pending) > max(1, self.workers):  # keep a few batches in flight, in order
                    self._store_batch(*pending.pop(0), report, progress)
            for batch, future in pending:
                self._store_batch(batch, future, report, progress)
            self.store.link_pending()  # texts a killed ingest stored but did not link
            # the preparing worker computes the evidence digests of the stories ahead
            report.compared = self._update(provenance, progress, submit if self.workers else None)
        report.stories = self.store.count_stories()
        report.seconds = time.perf_counter() - t0
        return report

    def _place_old_articles(self) -> None:
        """Bring articles stored by schema 1 (no text node) into the story graph, once."""
        while batch := self.store.unplaced_articles(self.batch_size):
            self.store.place_texts([p.item for p in prepare(batch, self.settings)])
            self.store.link_pending()

    def _store_batch(
        self, batch: list, future, report: IngestReport, progress: Progress | None
    ) -> None:
        """Store one prepared batch (one transaction), then link its texts into the regions
        (another)."""
        report.failed += [x for x in batch if isinstance(x, IngestFailure)]
        report.read += len(batch)
        prepared = _reattach(future.result(), [x for x in batch if isinstance(x, Article)])
        statuses = self.store.add_articles([p.item for p in prepared])
        kept = [(p, s) for p, s in zip(prepared, statuses) if s in (NEW, EXACT_COPY)]
        for p, _ in kept:  # what provenance reads of them, without reading the store again
            # a worker sends the signature packed only (see _prepare_remote)
            sig = p.signature if p.signature is not None else deserialize(p.item.signature)
            _remember(self._sigs, p.item.article.id, sig)
            _remember(self._hashes, p.item.article.id, p.item.exact_hash)
        for p, status in zip(prepared, statuses):  # digests computed beside preparing, if any
            d = p.digest
            if d is not None and status in (NEW, EXACT_COPY):  # (checked on use)
                self._keep_digest(_attached(d, p.item.article))
            p.digest = None
        report.new += sum(s == NEW for s in statuses)
        report.exact_copies += sum(s == EXACT_COPY for s in statuses)
        report.duplicate += sum(s not in (NEW, EXACT_COPY) for s in statuses)
        self.store.link_pending()
        if progress:
            progress("ingest", report.read, None)

    # -- stories --------------------------------------------------------------
    def update_stories(self, *, provenance: bool = True, progress: Progress | None = None) -> int:
        """Re-cluster the regions new texts reached and fill in their changed stories; return pairs
        compared.

        Stories no new text reached keep their rows. With ``provenance``, every
        rewritten story of two or more articles gets its derivation graph.
        """
        return self._update(provenance, progress, None)

    def _update(self, provenance: bool, progress: Progress | None, digester) -> int:
        """:meth:`update_stories`; ``digester(fn, *args)`` runs evidence digests in a preparing
        worker (a future), or None to compute them here."""
        compared, more, done = 0, True, 0
        while more:
            written, more = self.store.recluster()
            compared += self._fill_stories(written, provenance, digester)
            done += len(written)
            if progress and written:
                progress("stories", done, None)
        return compared

    def _fill_stories(self, story_ids: list[str], provenance: bool, digester=None) -> int:
        """Write provenance fields of the given stories (those of 2+ articles); return pairs
        compared.

        Stories in two or more languages are planned first, so their lead
        embeddings run on a thread while the others are planned; each story is
        finished, in planning order, as soon as its embedding is done, or when
        ``PLAN_AHEAD`` articles are planned and waiting (that bounds memory).
        With a ``digester``, the evidence digests of the next stories (up to
        ``DIGEST_AHEAD`` articles) are computed there while this process
        decides the relations of the current one; digests are pure, so the
        stories are the same either way.
        """
        if not provenance:
            return 0
        updates, compared, ahead = {}, 0, 0
        plans: deque = deque()
        edges: list = []  # decided relations not yet written (each story's are its own)

        def put_edges(rows: list) -> None:
            edges.extend(rows)
            if len(edges) >= EDGES_AT_ONCE:
                self.store.put_edges(edges)
                edges.clear()

        def finish_oldest() -> None:
            nonlocal compared, ahead
            sid, members, plan = plans.popleft()
            ahead -= len(members)
            prov, done = plan()
            compared += done
            for a in members:  # each article is in one story: its digest is not read again
                self._digests.pop(a, None)
            oid = _origin_article(prov)
            origin = plan.articles.get(oid) or self.store.get_article(oid)
            updates[sid] = (members_hash(members), _story_fields(prov, origin))

        todo = []
        for sid in story_ids:
            try:
                story = self.store.get_story(sid)
            except NotFound:  # another writer re-clustered it since; it fills it in
                continue
            if len(story["articles"]) >= 2:
                todo.append((sid, story["articles"], len(_known(story.get("languages") or ())) < 2))
        embedding = self._embedding()
        if embedding:  # stories in two languages first: their leads embed while others plan
            todo.sort(key=lambda s: s[2])
        ahead_digests = _DigestsAhead(self, [m for _, m, _ in todo], digester)
        with _embed_thread(embedding) as submit:
            for sid, members, _ in todo:
                articles = ahead_digests.next() if digester is not None else None
                plans.append((sid, members, self._plan(members, submit, articles, put_edges)))
                ahead += len(members)
                while plans and (plans[0][2].ready() or ahead > PLAN_AHEAD):
                    finish_oldest()
            while plans:
                finish_oldest()
        if edges:
            self.store.put_edges(edges)
        self.store.update_story_fields(updates)
        return compared

    def stories(self, *, limit: int = 50, offset: int = 0, sort: str = "size", **filters) -> dict:
        """Return the ``newstrace.story/2`` listing: one summary per story, biggest first."""
        page = self.store.list_stories(limit=limit, offset=offset, sort=sort, **filters)
        return listing(page, self.store.count_stories(**filters))

    def story_facets(self, *, limit: int = FACET_LIMIT, **filters) -> dict:
        """Return the outlet, language and published facets of the stories matching ``filters``.

        The ``facets`` document: ``total`` (stories matching), and per facet its
        values with counts; each count is what that value's filter lists (see
        ``newstrace.store.facets``). Raises ConfigError for bad values.
        """
        facets = self.store.story_facets(limit=limit, **filters)
        return {"total": self.store.count_stories(**filters), "facets": facets}

    def story(self, story_id_: str, *, analyses: bool = True) -> dict:
        """Return the ``newstrace.story/2`` document of one story; raise NotFound.

        Every edge carries its sentence-level analysis (alignment, omissions,
        additions, drift), computed on the first view and cached in the store;
        ``analyses=False`` leaves them out (``analysis`` null), which is all an
        export needs.
        """
        stored = self.store.get_story(story_id_)
        articles = self.store.articles_by_ids(stored["articles"])
        prov, _ = self._provenance(stored["articles"])
        return story_document(stored, articles, prov, self._analyses(prov) if analyses else None)

    def trace_report(self) -> tuple[dict, dict | None]:
        """Return the stories listing and the document of the main story (the largest)."""
        doc = self.stories()
        top = doc["stories"][0] if doc["stories"] else None
        return doc, (self.story(top["id"]) if top else None)

    def export_rows(
        self, what: str, story_ids: Iterable[str] | None = None, *, sort: str = "size", **filters
    ) -> Iterator[dict]:
        """Yield the flat rows of ``what`` (stories, articles or edges; see
        ``newstrace.stories.export``).

        ``story_ids`` limits them to those stories; else every story matching
        ``filters`` (the ``stories`` filters), in ``sort`` order. Raises
        ConfigError for another ``what`` or a bad filter, NotFound for an
        unknown story id.
        """
        from .errors import ConfigError
        from .stories import export

        if what not in export.KINDS:
            raise ConfigError(f"what must be one of {', '.join(export.KINDS)}, got {what!r}")
        ids = list(story_ids) if story_ids is not None else None
        if what == "stories":
            summaries = (
                self._all_summaries(sort, filters)
                if ids is None
                else (self.story(i, analyses=False) for i in ids)
            )
            yield from export.story_rows(summaries)
            return
        rows = export.article_rows if what == "articles" else export.edge_rows
        for sid in (
            ids if ids is not None else (s["id"] for s in self._all_summaries(sort, filters))
        ):
            # The rows hold the edge decisions only: no sentence analysis to compute.
            yield from rows(self.story(sid, analyses=False))

    def _all_summaries(self, sort: str = "size", filters: dict | None = None) -> Iterator[dict]:
        from .store.base import MAX_LIMIT

        offset = 0
        while True:
            page = self.stories(limit=MAX_LIMIT, offset=offset, sort=sort, **(filters or {}))
            yield from page["stories"]
            if len(page["stories"]) < MAX_LIMIT:
                return
            offset += len(page["stories"])

    # -- provenance -----------------------------------------------------------
    def _provenance(self, members: list[str]) -> tuple[dict, int]:
        """Return the provenance graph of a story and how many pair relations had to be decided.

        Decided from cheap per-article evidence (see ``stories.evidence``):
        each text is related only to its few best candidate sources. Pairs in
        two known languages that share names get their leads embedded (one
        batch; shingles cannot meet across languages).
        """
        return self._plan(members, None)()

    def _plan(
        self,
        members: list[str],
        submit,
        articles: list[Article] | None = None,
        put_edges: Callable[[list], None] | None = None,
    ) -> _Plan:
        """Decide what :meth:`_provenance` can before the lead embedding; return the rest as a call.

        ``submit(fn, *args)`` runs the embedding (in a thread: the model releases
        the GIL), or None to run it here. ``articles``: the members as read from
        the store, when already read. ``put_edges(rows)`` stores the decided
        relations (the store's ``put_edges`` when not given; a story fill writes
        many stories' at once).
        """
        if articles is None:
            articles = self.store.articles_by_ids(sorted(members))
        hashes = {a.id: self._content_hash(a) for a in articles}
        reps = _representatives(articles, hashes)
        cached = {
            k: v
            for k, v in self.store.edges_for([a.id for a in reps]).items()
            if v.get("version") == RELATION_VERSION
        }
        digests = [self._digest(a) for a in reps]
        jac = jaccard_matrix(np.stack([self._sig_of(a, hashes[a.id]) for a in reps]))
        share = shares(jac, np.array([d.n_shingles for d in digests], np.float64))
        words = None
        if sum(len(d.sentence_words) for d in digests) <= WORDS_ALL_MAX:
            words = word_matrices(digests)  # paraphrase shares no shingles: rank by anchors too
            share = np.maximum(share, words.coverage())
            np.fill_diagonal(share, 0.0)
        pairs = candidate_pairs(share, credit_pairs(digests))
        todo = [
            (i, j)
            for i, j in pairs
            if (reps[i].id, reps[j].id) not in cached and (reps[j].id, reps[i].id) not in cached
        ]
        screened = self._translation_candidates(reps, digests, cached)
        crossed = self._leads_close(screened, reps, share, submit)

        def lexical(i: int, j: int) -> dict:
            w = words.pair(i, j) if words is not None else None
            return evidence_relation(digests[i], digests[j], float(jac[i, j]), self.settings, w)

        now = {p: lexical(*p) for p in todo if p not in set(screened)}

        def finish() -> tuple[dict, int]:
            close = crossed()
            later = {p: lexical(*p) for p in todo if p not in now and p not in close}
            fresh = [r for _, r in sorted({**now, **later}.items())]
            fresh += [
                translation_relation(digests[i], digests[j], cos, self.settings)
                for (i, j), cos in close.items()
            ]
            for r in fresh:
                r["version"] = RELATION_VERSION
            if fresh:
                (put_edges or self.store.put_edges)([(r["a"], r["b"], r) for r in fresh])
            relations = list(cached.values()) + fresh
            return build_provenance(articles, relations, hashes), len(fresh)

        return _Plan(finish, crossed, {a.id: a for a in articles})

    def _content_hash(self, a: Article) -> str:
        h = self._hashes.get(a.id)
        return h if h is not None else _remember(self._hashes, a.id, content_hash(a.text))

    def _sig_of(self, a: Article, text_hash: str) -> np.ndarray:
        sig = self._sigs.get(a.id)
        if sig is None:
            sig = _remember(self._sigs, a.id, deserialize(self.store.signature(a.id)))
        return sig

    def _digest(self, a: Article) -> Digest:
        """Return the article's evidence digest (memoized per id: it depends on the article
        alone)."""
        d = self._held_digest(a)
        return d if d is not None else self._keep_digest(_article_digest(a, self.settings))

    def _held_digest(self, a: Article) -> Digest | None:
        """Return the memo's digest of ``a``, or None (none, or computed from the article as
        read earlier)."""
        d = self._digests.get(a.id)
        return d if d is not None and d.doc.article == a else None

    def _missing_digests(self, articles: list[Article]) -> list[Article]:
        """Return the representatives among ``articles`` (see :meth:`_plan`) whose digest
        :meth:`_digest` would compute."""
        reps = _representatives(articles, {a.id: self._content_hash(a) for a in articles})
        return [a for a in reps if self._held_digest(a) is None]

    def _keep_digest(self, d: Digest) -> Digest:
        if len(self._digests) >= _MEMO_MAX:
            self._digests.clear()
        self._digests[d.id] = d
        return d

    def _translation_candidates(
        self, reps: list[Article], digests: list[Digest], cached: dict
    ) -> list[tuple[int, int]]:
        """Return the sorted position pairs in two known languages that may be translations.

        A candidate shares names or numbers with the text (transliterated, so
        Petrovic meets Петрович): at least ``NAMES_MIN`` and ``NAMES_SHARE`` of them, the best
        MAX_SOURCES by overlap. Empty when no embedder would run (``semantic``
        off, or the extra missing).
        """
        if len(_known(a.language for a in reps)) < 2 or not self._embedding():
            return []
        found = set()
        for i, a in enumerate(reps):
            other = [
                (name_overlap(digests[i], digests[j]), j)
                for j, b in enumerate(reps)
                if cross_language(a.language, b.language)
                and len(digests[i].names & digests[j].names) >= NAMES_MIN
            ]
            other = [x for x in other if x[0] >= NAMES_SHARE]
            for _, j in sorted(other, key=lambda x: (-x[0], x[1]))[:MAX_SOURCES]:
                p = (min(i, j), max(i, j))
                ids = (reps[p[0]].id, reps[p[1]].id)
                if ids not in cached and ids[::-1] not in cached:
                    found.add(p)
        return sorted(found)

    def _leads_close(
        self, pairs: list[tuple[int, int]], reps: list[Article], share: np.ndarray, submit=None
    ) -> _Pending:
        """Return a call giving {pair: lead cosine} for the pairs whose leads embed at least
        TRANSLATION_MIN.

        The leads are embedded in one batch, through ``submit`` when given.
        Near duplicates in one language share the embedding of the earliest
        one's lead (``LEAD_PROXY`` of each text in the other, or leads whose word
        sets have a Jaccard of ``LEAD_WORDS_PROXY``): their leads differ by a few
        words, and the model costs about 0.1 CPU s a lead.
        """
        if not pairs:
            return _Pending(dict)
        need = sorted({k for p in pairs for k in p})
        leads = {k: _lead(reps[k]) for k in need}
        proxy = _lead_proxies(need, reps, share, leads)
        own = sorted(set(proxy.values()))
        self.lead_embeddings += len(own)
        job = (submit or _Done.now)(_embed, [leads[k] for k in own])  # the model loads there

        def close() -> dict:
            vecs = dict(zip(own, job.result()))
            cos = {(i, j): float(vecs[proxy[i]] @ vecs[proxy[j]]) for i, j in pairs}
            return {p: c for p, c in cos.items() if c >= TRANSLATION_MIN}

        return _Pending(close, job)

    def _embedding(self) -> bool:
        from .semantic import available

        return self.settings.semantic == "on" or (self.settings.semantic == "auto" and available())

    def _compare_pairs(self, pairs: list[tuple[Article, Article]]) -> list:
        """Return the full Comparison of each pair (documents normalized once; sentences embedded in
        one batch)."""
        from . import api
        from .pairwise import compare_documents
        from .pairwise.similarity import body, head
        from .semantic import choose_embedder

        docs = {a.id: api.to_document(a, self.settings) for p in pairs for a in p}
        embedders = [
            choose_embedder(self.settings, docs[a.id].language, docs[b.id].language)
            for a, b in pairs
        ]
        used = {id(e): e for e in embedders if e is not None}
        for (
            e
        ) in used.values():  # one batch: every sentence, head and body (the embedder caches each)
            texts = {s.text for d in docs.values() for s in d.content} | {
                f(d) for d in docs.values() for f in (head, body)
            }
            e.embed(sorted(texts))
        return [
            compare_documents(docs[a.id], docs[b.id], self.settings, e)
            for (a, b), e in zip(pairs, embedders)
        ]

    def _analyses(self, prov: dict) -> dict[tuple[str, str], dict]:
        """Return the sentence-level analysis of every edge of ``prov``, computing and caching
        missing ones.

        Lazy: runs when a story is shown, once per pair; later views read the store.
        """
        wanted = sorted({_pair_of(e) for e in prov["edges"]})
        found = {
            k: v
            for k, v in self.store.analyses_for(wanted).items()
            if v.get("version") == ANALYSIS_VERSION
        }
        have = {tuple(sorted(k)) for k in found}
        todo = [p for p in wanted if tuple(sorted(p)) not in have]
        if todo:
            arts = {
                a.id: a for a in self.store.articles_by_ids(sorted({i for p in todo for i in p}))
            }
            comps = self._compare_pairs([(arts[a], arts[b]) for a, b in todo])
            fresh = [(c.a.article.id, c.b.article.id, analysis(c)) for c in comps]
            self.store.put_analyses(fresh)
            found.update({(a, b): p for a, b, p in fresh})
        self.analysed += len(todo)
        return {tuple(sorted(k)): v for k, v in found.items()}


class _DigestsAhead:
    """The evidence digests of the next stories, computed by a preparing worker while the
    ingesting process decides the current one (at most ``DIGEST_AHEAD`` articles ahead).

    :meth:`next` returns the next story's articles as read from the store,
    their missing digests in the corpus's memo (where ``Corpus._digest`` finds
    them); digests are pure, so a digest made ahead equals one made in place.
    """

    def __init__(self, corpus: Corpus, stories: list[list[str]], digester) -> None:
        self._corpus, self._digester = corpus, digester
        self._upcoming = iter(stories)
        self._fetched: deque = deque()  # (articles, those missing a digest, their future)
        self._articles = 0  # articles fetched and not yet handed out

    def _fetch(self) -> None:
        corpus = self._corpus
        while self._articles < DIGEST_AHEAD:
            members = next(self._upcoming, None)
            if members is None:
                return
            articles = corpus.store.articles_by_ids(sorted(members))
            missing = corpus._missing_digests(articles)
            # In parts: a large story's digests are not all held in the worker at once.
            jobs = [
                self._digester(_digests_remote, missing[k : k + DIGEST_JOB], corpus.settings)
                for k in range(0, len(missing), DIGEST_JOB)
            ]
            self._fetched.append((articles, missing, jobs))
            self._articles += len(articles)

    def next(self) -> list[Article]:
        """Return the next story's articles, with their digests in the memo."""
        self._fetch()
        articles, missing, jobs = self._fetched.popleft()
        self._articles -= len(articles)
        for k, job in enumerate(jobs):
            part = missing[k * DIGEST_JOB : (k + 1) * DIGEST_JOB]
            for a, d in zip(part, job.result()):
                self._corpus._keep_digest(_attached(d, a))
        self._fetch()  # the worker starts on the next ones before this one is planned
        return articles


class _Done:
    """A finished result with the Future interface."""

    def __init__(self, value) -> None:
        self.value = value

    def result(self):
        return self.value

    def done(self) -> bool:
        return True

    @classmethod
    def now(cls, fn, *args) -> _Done:
        """Run ``fn(*args)`` here and return its result as a finished future."""
        return cls(fn(*args))


class _Pending:
    """A call whose answer may wait for a job (a Future); ``ready()`` says it will not wait."""

    def __init__(self, fn: Callable, job=None) -> None:
        self._fn, self._job = fn, job

    def __call__(self):
        return self._fn()

    def ready(self) -> bool:
        return self._job is None or self._job.done()


class _Plan(_Pending):
    """What is left of a story's provenance once planned (see ``Corpus._plan``), and its
    articles by id."""

    def __init__(
        self,
        finish: Callable[[], tuple[dict, int]],
        leads: _Pending,
        articles: dict[str, Article],
    ) -> None:
        super().__init__(finish, leads._job)
        self.articles = articles


def _embed(texts: list[str]) -> np.ndarray:
    from .semantic import default_embedder

    return default_embedder().embed(texts)


@contextmanager
def _preparer(workers: int):
    """Yield ``submit(fn, *args)``: a process pool of ``workers`` processes, or in place when 0."""
    if workers < 1:
        yield lambda fn, *args: _Done(fn(*args))
        return
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_exit_with_parent, initargs=(os.getpid(),)
    ) as pool:
        yield pool.submit


@contextmanager
def _embed_thread(wanted: bool):
    """Yield ``submit(fn, *args)`` on one thread (the embedder releases the GIL), or None."""
    if not wanted:
        yield None
        return
    with ThreadPoolExecutor(1, thread_name_prefix="newstrace-embed") as pool:
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
    return {
        "num_perm": settings.num_perm,
        "lsh_bands": settings.lsh_bands,
        "shingle_size": settings.shingle_size,
        "seed": settings.seed,
    }


def _representatives(articles: list[Article], hashes: dict[str, str]) -> list[Article]:
    """Return the earliest article of each content hash (syndicated copies share one)."""
    seen, out = set(), []
    for a in sorted(articles, key=chronological_key):
        if hashes[a.id] not in seen:
            seen.add(hashes[a.id])
            out.append(a)
    return out


def _lead(a: Article) -> str:
    """Return the title and lead of ``a`` embedded to screen a possible translation: the content
    sentences of the first ``LEAD_CHARS`` characters of its text, the last one maybe cut.

    The cut falls on the cleaned text (``clean_text``, which every reader stores), not on the
    characters as stored: a text given in memory keeps its line ends and runs of spaces, and
    cutting those would embed another lead than the same article read from a file.
    """
    from .ingest.clean import clean_line, clean_text
    from .normalize import normalize
    from .pairwise.similarity import head

    text = clean_text(a.text)[:LEAD_CHARS]
    return head(normalize(a.with_(text=text, title=clean_line(a.title or "") or None)), LEAD_CHARS)


def _lead_proxies(
    need: list[int], reps: list[Article], share: np.ndarray, leads: dict[int, str]
) -> dict[int, int]:
    """Return {position: position whose lead stands for it}: the earliest near duplicate in its
    language.

    ``need`` is in chronological order (positions of ``reps``, which are sorted so); ``leads``
    the lead of each. A near duplicate shares ``LEAD_PROXY`` of its shingles each way with the
    other text, or its lead's word set has a Jaccard of ``LEAD_WORDS_PROXY`` with the other's
    (texts that differ in a few edited words and an added passage share less than the first
    asks; their leads still read the same).
    """
    from .normalize.text import words

    bags = {k: frozenset(words(leads[k])) for k in need}

    def close(k: int, p: int) -> bool:
        if min(share[k, p], share[p, k]) >= LEAD_PROXY:
            return True
        union = len(bags[k] | bags[p])
        return union > 0 and len(bags[k] & bags[p]) >= LEAD_WORDS_PROXY * union

    proxy: dict[int, int] = {}
    for k in need:
        proxy[k] = next(
            (
                p
                for p in dict.fromkeys(proxy.values())
                if p < k and reps[p].language == reps[k].language and close(k, p)
            ),
            k,
        )
    return proxy


def _known(languages: Iterable[str | None]) -> set[str]:
    """Return the known languages among ``languages`` (not none, empty or "und")."""
    return set(languages) - {None, "", "und"}


def _pair_of(edge: dict) -> tuple[str, str]:
    """Return the two articles whose analysis shows an edge (for a common source: its best pair)."""
    rel = edge["relation"]
    return tuple(sorted(rel.get("pair") or (rel["a"], rel["b"])))


def _origin_article(prov: dict) -> str:
    """Return the id of the article that names the story: the origin, or an absent origin's first
    member."""
    absent = {v["id"]: v["members"][0] for v in prov.get("virtual", [])}
    return absent.get(prov["origin"], prov["origin"])


def _story_fields(prov: dict, origin: Article) -> dict:
    absent = prov["origin"] != origin.id
    return {
        "origin": prov["origin"],
        "n_sources": prov["independent_sources"],
        "origin_outlet": ABSENT if absent else origin.outlet,
        "title": origin.title,
    }
