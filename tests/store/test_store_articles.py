"""Articles, idempotency, signatures and LSH band candidates."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstrace.errors import ConfigError, InputError, NotFound, StoreError
from newstrace.store import DUPLICATE, EXACT_COPY, NEW, open_store

from .conftest import make_item, new_target


def test_new_then_duplicate(store):
    items = [make_item(i) for i in range(3)]
    assert store.add_articles(items) == [NEW] * 3
    assert store.add_articles(items) == [DUPLICATE] * 3
    assert store.count_articles() == 3


def test_same_text_other_id_is_kept_as_exact_copy(store):
    wire = make_item(1, text="Ferry service resumes on Monday, the port authority said.")
    copy = make_item(2, text=wire.article.text)
    assert store.add_articles([wire]) == [NEW]
    assert store.add_articles([copy]) == [EXACT_COPY]
    assert store.count_articles() == 2
    assert store.article_info("art-2")["canonical_id"] == "art-1"
    assert store.article_info("art-1")["canonical_id"] is None


def test_repeats_inside_one_batch(store):
    a, b = make_item(1), make_item(2, text=make_item(1).article.text)
    assert store.add_articles([a, a, b]) == [NEW, DUPLICATE, EXACT_COPY]
    assert store.count_articles() == 2


def test_an_article_with_a_very_long_title_is_stored(store):
    # No index carries titles: a PostgreSQL B-tree entry holds at most 2,704 bytes, and a title
    # this long (random letters do not compress) would not fit in one.
    import random
    import string

    rng = random.Random(5)
    title = "".join(rng.choice(string.ascii_letters + " ") for _ in range(8000))
    assert store.add_articles([make_item(1, title=title)]) == [NEW]
    assert store.get_article("art-1").title == title


def test_get_article_round_trips_every_field(store):
    item = make_item(7, language="fr")
    store.add_articles([item])
    assert store.get_article("art-7") == item.article.with_(language="fr")


def test_language_falls_back_to_the_article(store):
    item = make_item(1, language=None)
    item = type(item)(item.article.with_(language="de"), item.exact_hash, item.signature)
    store.add_articles([item])
    assert store.get_article("art-1").language == "de"


def test_not_found(store):
    for call in (store.get_article, store.signature, store.candidates_for, store.article_info):
        with pytest.raises(NotFound, match="art-404"):
            call("art-404")


def test_articles_by_ids_keeps_order_and_names_missing(store):
    store.add_articles([make_item(i) for i in range(4)])
    got = store.articles_by_ids(["art-3", "art-0", "art-2"])
    assert [a.id for a in got] == ["art-3", "art-0", "art-2"]
    with pytest.raises(NotFound, match="art-9"):
        store.articles_by_ids(["art-1", "art-9"])


def test_iter_articles_in_insertion_order(store):
    store.add_articles([make_item(i) for i in (5, 3, 8)])
    store.add_articles([make_item(1)])
    assert [a.id for a in store.iter_articles(batch_size=2)] == ["art-5", "art-3", "art-8", "art-1"]
    with pytest.raises(ConfigError):
        list(store.iter_articles(batch_size=0))


def test_signature_round_trip(store):
    item = make_item(3)
    store.add_articles([item])
    assert store.signature("art-3") == item.signature


def test_band_candidates(store):
    shared = [(0, 42), (1, 43)]
    store.add_articles(
        [
            make_item(1, bands=shared + [(2, 1)]),
            make_item(2, bands=[(0, 42), (2, 2)]),
            make_item(3, bands=[(1, 42), (2, 3)]),  # same key, other band: no match
        ]
    )
    assert store.band_candidates([(0, 42)]) == {"art-1", "art-2"}
    assert store.band_candidates([(1, 43), (2, 3)]) == {"art-1", "art-3"}
    assert store.band_candidates([]) == set()
    assert store.candidates_for("art-1") == {"art-2"}
    assert store.candidates_for("art-3") == set()


def test_unsigned_64_bit_keys(store):
    big = 2**64 - 5
    store.add_articles([make_item(1, bands=[(0, big)]), make_item(2, bands=[(0, big - 2**63)])])
    assert store.band_candidates([(0, big)]) == {"art-1"}
    with pytest.raises(ConfigError, match="64 bits"):
        store.band_candidates([(0, 2**64)])


def test_bad_items_are_refused_before_writing(store):
    good = make_item(1)
    nameless = make_item(2)
    nameless = type(nameless)(nameless.article.with_(id=""), "h", b"")
    with pytest.raises(InputError, match="no id"):
        store.add_articles([good, nameless])
    with pytest.raises(InputError, match="signature must be bytes"):
        store.add_articles([type(good)(good.article, "h", "text")])
    assert store.count_articles() == 0


def test_failed_batch_writes_nothing(store):
    broken = make_item(2)
    broken = type(broken)(broken.article.with_(text=None), "h2", b"x", [(0, 1)])
    with pytest.raises(StoreError, match="write failed"):
        store.add_articles([make_item(1), broken])
    assert store.count_articles() == 0
    assert store.band_candidates([(0, 1), (0, 100)]) == set()


def test_empty_batch(store):
    assert store.add_articles([]) == []


def test_ensure_params(store, db_target):
    store.ensure_params({"num_perm": 128, "bands": 32, "seed": 1})
    store.ensure_params({"seed": 1, "bands": 32, "num_perm": 128})
    with (
        open_store(db_target) as other,
        pytest.raises(StoreError, match="fingerprints were stored"),
    ):
        other.ensure_params({"num_perm": 64, "bands": 32, "seed": 1})


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 4)), max_size=8), max_size=6))
def test_any_ingest_order_stores_each_id_once(backend, tmp_path_factory, batches):
    seen_ids, seen_texts = set(), set()
    with new_target(backend, tmp_path_factory.mktemp("h")) as target, open_store(target) as s:
        for batch in batches:
            items = [make_item(i, text=f"text {t}") for i, t in batch]
            for item, status in zip(items, s.add_articles(items)):
                text, aid = item.article.text, item.article.id
                expected = (
                    DUPLICATE if aid in seen_ids else (EXACT_COPY if text in seen_texts else NEW)
                )
                assert status == expected
                if status != DUPLICATE:
                    seen_ids.add(aid)
                    seen_texts.add(text)
        assert s.count_articles() == len(seen_ids)


def test_candidates_span_merged_and_recent_bands(sqlite_store, monkeypatch):
    import newstrace.store.sqlite as sqlite_module

    store = sqlite_store
    monkeypatch.setattr(sqlite_module, "MERGE_MIN_ROWS", 64)
    store.add_articles([make_item(1, bands=[(b, b) for b in range(32)])])
    store.add_articles([make_item(2, bands=[(b, 500 + b) for b in range(32)])])  # merges
    store.add_articles([make_item(3, bands=[(0, 0)] + [(b, 900 + b) for b in range(1, 32)])])
    conn = store._conn
    assert conn.execute("SELECT count(*) FROM bands").fetchone()[0] == 64
    assert conn.execute("SELECT count(*) FROM bands_recent").fetchone()[0] == 32
    assert store.candidates_for("art-3") == {"art-1"}
    assert store.candidates_for("art-1") == {"art-3"}
