"""Cheap per-article evidence: containment, paraphrase anchors, names across scripts, pair
relations."""

from __future__ import annotations

import numpy as np
import pytest

from newstrace.fingerprint import minhash_batch
from newstrace.model import Article
from newstrace.stories import build_provenance, evidence
from newstrace.stories.evidence import (
    containment,
    credited_share,
    digest,
    fold,
    name_overlap,
    relation,
    shingle_counts,
    word_coverage,
    word_matrices,
)
from newstrace.stories.sources import candidate_pairs, jaccard_matrix, shares

WIRE = (
    "The Eastwick Bay town council approved a 14 "
    "million euro plan on Monday to rebuild the old fish "
    "market, which was closed after a fire in January.\n\nWork will start in September and should "
    "take two years, council leader Marta Ollenby said.\n\nThe new market will have room for 60 "
    "stalls, twice as many as before."
)


def _digests(*arts: Article):
    texts = [a.text for a in arts]
    sigs = minhash_batch(texts)
    ds = [digest(a, "en", n) for a, n in zip(arts, shingle_counts(texts))]
    return ds, jaccard_matrix(sigs)


def test_containment_from_jaccard_and_sizes():
    # B (50 shingles) lies wholly inside A (100): J = 50 / 100.
    assert containment(0.5, 100, 50) == (1.0, 0.5)
    assert containment(0.0, 100, 50) == (0.0, 0.0)


def test_a_crediting_copy_is_derived_from_the_credited_outlet():
    wire = Article(
        text=WIRE, id="w", outlet="Harbor Press Agency", published="2026-05-12T08:00:00+00:00"
    )
    copy = Article(
        text="Harbor Press Agency reports that " + WIRE[4:],
        id="c",
        outlet="Coastal Echo",
        published="2026-05-12T11:00:00+00:00",
    )
    (dw, dc), jac = _digests(wire, copy)
    rel = relation(dc, dw, float(jac[0, 1]))  # given derivative first: oriented source first
    assert rel["a"] == "w" and rel["source"] == "a" and rel["verdict"] == "wholly_derived"
    assert any(
        e["kind"] == "attribution" and "Harbor Press Agency" in e["text"] for e in rel["evidence"]
    )


def test_a_paraphrase_sharing_no_shingles_still_counts():
    wire = Article(text=WIRE, id="w", outlet="Wire")
    para = Article(
        text="On Monday, Eastwick Bay council approved rebuilding the fish market, closed since a "
        "January fire, with a plan of 14 million euro.",
        id="p",
        outlet="Echo",
    )
    (dw, dp), jac = _digests(wire, para)
    rel = relation(dw, dp, float(jac[0, 1]))
    assert rel["coverage"]["b_from_a"] >= 0.5 and rel["verdict"] != "not_derived"


def test_two_rewrites_of_an_absent_release_have_a_common_source():
    release = WIRE.split("\n\n")
    a = Article(
        text=f"{release[0]}\n\n{release[1]}\n\nLocal fishermen welcomed the decision at a meeting "
        "on Tuesday evening in the harbour hall.",
        id="a",
        outlet="Trade Weekly",
    )
    b = Article(
        text=f"{release[0]}\n\n{release[2]}\n\nThe previous market opened in 1968 and was "
        "designed by the architect Hilde Brannock.",
        id="b",
        outlet="Market News",
    )
    (da, db), jac = _digests(a, b)
    rel = relation(da, db, float(jac[0, 1]))
    assert rel["source"] == "common_source" and rel["verdict"] == "partially_derived"
    prov = build_provenance([a, b], [rel])
    assert prov["independent_sources"] == 1
    [v] = prov["virtual"]
    assert v["label"] == "source not in the corpus" and v["members"] == ["a", "b"]
    assert sorted((e["source"], e["derivative"], e["kind"]) for e in prov["edges"]) == [
        (v["id"], "a", "common_source"),
        (v["id"], "b", "common_source"),
    ]
    assert prov["roles"] == {v["id"]: "absent_source", "a": "derivative", "b": "derivative"}


def test_an_unrelated_pair_is_no_edge():
    wire = Article(text=WIRE, id="w", outlet="Wire")
    other = Article(
        text="The Rasmere choir won the regional singing contest in Tellaby on Saturday with "
        "a programme of folk songs, its conductor Ilse Varn said.",
        id="o",
        outlet="Echo",
    )
    (dw, do), jac = _digests(wire, other)
    rel = relation(dw, do, float(jac[0, 1]))
    assert (
        rel["verdict"] == "not_derived"
        and build_provenance([wire, other], [rel])["independent_sources"] == 2
    )


def test_names_meet_across_scripts_and_spellings():
    assert fold("Petrovic") == fold("Petrović") == fold("Петрович")
    sr = digest(
        Article(
            text="Gradonačelnik Dragan Petrović rekao je da most Zemun košta 48 miliona.", id="s"
        ),
        "sr",
        1,
    )
    ru = digest(
        Article(text="Мэр Драган Петрович сказал, что мост Земун стоит 48 миллионов.", id="r"),
        "ru",
        1,
    )
    assert name_overlap(sr, ru) >= 0.75


def test_each_text_keeps_only_its_best_candidate_sources():
    share = np.array(
        [
            [0, 0.9, 0.5, 0.2, 0.01],
            [0.9, 0, 0.4, 0.1, 0],
            [0.5, 0.4, 0, 0, 0],
            [0.2, 0.1, 0, 0, 0],
            [0.01, 0, 0, 0, 0],
        ]
    )
    # Each row keeps its two best partners; text 4's best share (0.01) is below the minimum.
    assert candidate_pairs(share, set(), k=2) == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3)]
    assert candidate_pairs(share, {(2, 4)}, k=1) == [(0, 1), (0, 2), (0, 3), (2, 4)]
    assert (
        shares(np.array([[1.0, 0.5], [0.5, 1.0]], np.float32), np.array([100.0, 50.0]))[1, 0] == 1.0
    )


def _assert_pairs_as_computed_alone(ds, m) -> None:
    """Assert every ordered pair of ``word_matrices`` gives what the pair functions give alone."""
    for i, a in enumerate(ds):
        for j, b in enumerate(ds):
            if i != j:
                want = (
                    word_coverage(b, a),
                    word_coverage(a, b),
                    credited_share(a, b),
                    credited_share(b, a),
                )
                assert m.pair(i, j) == want


@pytest.mark.parametrize("dense_max", [0, 10**9])  # the sparse and the dense products
def test_word_matrices_equal_the_pair_by_pair_shares(monkeypatch, dense_max):
    monkeypatch.setattr(evidence, "DENSE_MAX", dense_max)
    release = WIRE.split("\n\n")
    arts = [
        Article(text=WIRE, id="w", outlet="Wire"),
        Article(
            text=f"{release[1]}\n\nAccording to the Valley Herald, the old market lost money "
            "for years.\n\n{release[0]}",
            id="r",
            outlet="Echo",
        ),
        Article(
            text="On Monday, Eastwick Bay council approved rebuilding the fish market, closed "
            "since a January fire, with a plan of 14 million euro.",
            id="p",
            outlet="Post",
        ),
        Article(text="The Rasmere choir won the regional singing contest on Saturday.", id="o"),
        Article(text="Short.", id="e"),
    ]
    ds, _ = _digests(*arts)
    m = word_matrices(ds)
    _assert_pairs_as_computed_alone(ds, m)
    assert m.pair(0, 2)[0] >= 0.5 and m.pair(0, 1)[3] > 0  # the paraphrase; r's credited passage


@pytest.mark.parametrize("dense_max", [0, 10**9])
@pytest.mark.parametrize("block", [1, 2, 1024])  # the products in blocks of word sets
def test_word_matrices_count_repeated_sentences_as_the_pairs_do(monkeypatch, dense_max, block):
    # Copies and near copies repeat sentences (one word set counted once in the product), a
    # text repeats one of its own, and texts without sentences sit between the others.
    monkeypatch.setattr(evidence, "DENSE_MAX", dense_max)
    monkeypatch.setattr(evidence, "WORDS_BLOCK", block)
    paras = WIRE.split("\n\n")
    texts = [
        WIRE,
        "It is.",
        f"{WIRE}\n\nThis article was generated from an automated news agency feed.",
        f"{paras[2]}\n\n{paras[0]}\n\n{paras[2]}\n\nThe Valley Herald says stalls cost more.",
        "And so it was.",
        f"{paras[1]} The Rasmere choir won the regional singing contest on Saturday.",
    ]
    ds, _ = _digests(*[Article(text=t, id=f"t{k}", outlet=f"o{k}") for k, t in enumerate(texts)])
    m = word_matrices(ds)
    _assert_pairs_as_computed_alone(ds, m)
    assert m.total[1] == m.total[4] == 0 and m.pair(2, 0)[0] == 1.0
    empty = word_matrices([ds[1], ds[4]])
    assert not empty.kept.any() and not empty.total.any()
