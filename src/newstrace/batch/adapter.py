"""The one place the batch job calls the local pipeline's per-document and per-story functions.

Spark only distributes; every decision is made by the same code as ``newstrace
ingest``: :func:`newstrace.pipeline.prepare` per document, the store's story
graph (``Store.link_pending`` and ``Store.recluster``, the local ingest's one
clustering path) per component over a scratch store, and the pipeline's pair
choice, evidence and graph per story (``Corpus._provenance`` over a scratch
store). When those functions move or change shape, only this module follows.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import contextmanager

import xxhash

from .. import pipeline
from ..fingerprint import EMPTY
from ..model import Article
from ..settings import Settings
from ..store import StoredArticle, open_store
from ..stories import story_id

Prepared = pipeline._Prepared  # item (StoredArticle), vector, signature, copy_key

__all__ = [
    "Prepared",
    "bucket_keys",
    "cluster",
    "fingerprint_params",
    "node",
    "prepare",
    "story_corpus",
    "story_id",
    "story_row",
]


def prepare(articles: list[Article], settings: Settings) -> list[Prepared]:
    """Return the pipeline's prepared form of ``articles`` (hash, signature, bands, event
    vector)."""
    return pipeline.prepare(articles, settings)


def bucket_keys(p: Prepared) -> list[int]:
    """Return the 64-bit keys under which two articles may be linked by the local clusterer.

    A link needs a shared exact hash, a shared LSH band (near duplicates) or a
    shared event key (a rare name): every pair the clusterer can link shares
    one of these, so components over shared keys hold whole regions. Band keys
    are used as they are (the band index is inside them); hashes and event
    keys are hashed into the same space. A collision only adds a candidate,
    which the clusterer then rejects, so it never changes a story.
    """
    keys = [_code(f"h:{p.item.exact_hash}")]
    if not bool((p.signature == EMPTY).all()):
        keys += [int(key) for _, key in p.item.bands]
    keys += [_code(f"k:{k}") for k in p.vector.keys.tolist()]
    return keys


def _code(text: str) -> int:
    return xxhash.xxh64_intdigest(text.encode()) - (1 << 63)


def node(p: Prepared) -> StoredArticle:
    """Return what clustering needs of an article: its stored form (the scratch store's input)."""
    return p.item


def cluster(nodes: Iterable[StoredArticle], settings: Settings) -> list[list[str]]:
    """Return the stories (sorted id lists) the local ingest makes of one closed set of :func:`node`
    items.

    The component is stored in a scratch SQLite store and clustered by the
    store's own story graph (``link_pending``, then ``recluster`` until no
    region is dirty), exactly as ``Corpus.ingest`` does. A component is closed
    under every key a link needs (:func:`bucket_keys`), so its stories are
    those of the whole corpus. The result does not depend on order.
    """
    items = sorted(nodes, key=lambda it: it.article.id)
    if len(items) == 1:
        return [[items[0].article.id]]
    with tempfile.TemporaryDirectory(prefix="newstrace-batch-") as tmp, \
            open_store(os.path.join(tmp, "component.db")) as store:  # fmt: skip
        store.ensure_params(fingerprint_params(settings))
        store.add_articles(items)
        store.link_pending()
        written, more = store.recluster()
        while more:
            done, more = store.recluster()
            written += done
        return sorted(sorted(store.get_story(sid)["articles"]) for sid in set(written))


@contextmanager
def story_corpus(settings: Settings):
    """Yield a :class:`~newstrace.pipeline.Corpus` over a scratch SQLite store, for one partition's
    stories.

    Provenance runs through the corpus engine's own ``_provenance`` (pair
    choice, comparison, graph), so the batch job cannot drift from it; the
    scratch store holds only the articles and pair results of the stories
    being traced, and is deleted afterwards.
    """
    with (
        tempfile.TemporaryDirectory(prefix="newstrace-batch-") as tmp,
        pipeline.Corpus(os.path.join(tmp, "stories.db"), settings=settings, workers=0) as corpus,
    ):
        corpus.store.ensure_params(fingerprint_params(settings))
        yield corpus


def story_row(
    corpus, members: Sequence[StoredArticle], with_provenance: bool
) -> tuple[dict, list[dict]]:
    """Return the story's row (as the local ingest stores it) and its pair relations.

    ``id``, ``origin``, ``n_sources``, ``origin_outlet`` and ``title`` as in
    ``Corpus.update_stories``; a story of several articles without provenance
    has only its id, as there. ``corpus`` comes from :func:`story_corpus`.
    """
    members = sorted(members, key=lambda item: item.article.id)
    articles = [item.article for item in members]
    ids = [a.id for a in articles]
    row = {"id": story_id(ids)}
    if len(articles) == 1:
        row.update(
            pipeline._story_fields({"origin": ids[0], "independent_sources": 1}, articles[0])
        )
        return row, []
    if not with_provenance:
        return row, []
    corpus.store.add_articles(members)
    prov, _ = corpus._provenance(ids)
    origin_id = pipeline._origin_article(
        prov
    )  # an absent common source is named by its first member
    origin = next(a for a in articles if a.id == origin_id)
    row.update(pipeline._story_fields(prov, origin))
    relations = sorted(corpus.store.edges_for(ids).values(), key=lambda r: (r["a"], r["b"]))
    return row, relations


def fingerprint_params(settings: Settings) -> dict:
    """Return the fingerprint parameters a store records (the pipeline's ``ensure_params``
    argument)."""
    return pipeline._fingerprint_params(settings)
