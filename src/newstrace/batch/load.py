"""Load a batch run's results into a store (``--db``): articles, edges, then stories in one
replace."""

from __future__ import annotations

from ..settings import Settings
from ..store import open_store
from . import adapter

LOAD_BATCH = 500  # articles per add_articles transaction (the local pipeline's batch size)


def load_store(db: str, prepared, assign, stories, settings: Settings) -> None:
    """Write the prepared articles (in reading order), the edges and the stories into the store at
    ``db``.

    The texts are linked into the store's story graph as a local ingest
    links them; then the batch's stories replace the store's stories, as after
    a local ingest of the same corpus. Raises StoreError when the store cannot be opened or its
    fingerprint parameters differ.
    """
    with open_store(db) as store:
        store.ensure_params(adapter.fingerprint_params(settings))
        batch = []
        for _, p in prepared.sortByKey().toLocalIterator():
            batch.append(p.item)
            if len(batch) >= LOAD_BATCH:
                store.add_articles(batch)
                batch = []
        if batch:
            store.add_articles(batch)
        # Fill the store's story graph (texts linked into regions, none left dirty), so a
        # later local ingest re-clusters only the regions its articles reach.
        store.link_pending()
        while store.recluster()[1]:
            pass
        rows = stories.collect()
        edges = [(r["a"], r["b"], r) for _, relations, _ in rows for r in relations]
        if edges:
            store.put_edges(edges)
        store.replace_stories(dict(assign.collect()), [row for row, _, _ in rows])
