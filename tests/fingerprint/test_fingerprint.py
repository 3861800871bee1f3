"""Invariants of fingerprints, signatures, serialization and LSH candidates."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from newstrace.errors import ConfigError, FingerprintFormatError
from newstrace.fingerprint import (
    FORMAT_VERSION,
    LSHIndex,
    band_keys,
    deserialize,
    doc_bands,
    exact_hash,
    jaccard_estimate,
    minhash,
    minhash_batch,
    serialize,
    shingle_hashes,
    shingles,
    words,
)
from newstrace.fingerprint.lsh import _sort_keys, band_key, band_keys_batch
from newstrace.fingerprint.shingles import shingle_hash, word_hash
from newstrace.fingerprint.signatures import EMPTY, _sign, permutations
from newstrace.settings import Settings

STORY = (
    "The harbour authority of Norvik said on Tuesday that the old swing bridge "
    "would reopen in May, after eight months of repairs that cost up to 40 million "
    "crowns. Engineers found corrosion in two of the four main girders last autumn, "
    "a spokeswoman told reporters, and traffic was diverted through the tunnel."
)
OTHER = (
    "Rain delayed the final of the regional chess open in Lakemoor, where a "
    "sixteen-year-old from the village of Brisk beat the defending champion in "
    "a game that lasted more than six hours and ended shortly before midnight."
)
texts_st = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


def edit(text: str, rate: float, seed: int) -> str:
    rng = random.Random(seed)
    w = text.split()
    for _ in range(max(1, int(rate * len(w)))):
        w[rng.randrange(len(w))] = rng.choice(["alpha", "beta", "gamma"])
    return " ".join(w)


@given(texts_st)
def test_vectorized_hashes_match_the_scalar_definition(text):
    hashes, offsets = shingle_hashes([text, text[::-1], text])
    want = [shingle_hash([word_hash(w) for w in s.split(" ")]) for s in shingles(text)]
    assert hashes[offsets[0] : offsets[1]].tolist() == want
    assert hashes[offsets[2] : offsets[3]].tolist() == want


@given(st.lists(texts_st, max_size=8))
def test_batch_equals_single_and_is_stable(texts):
    batch = minhash_batch(texts)
    assert batch.shape == (len(texts), 128) and batch.dtype == np.uint32
    for row, text in zip(batch, texts):
        assert np.array_equal(row, minhash(text))
    assert np.array_equal(batch, minhash_batch(texts))


@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=50))
def test_signature_is_the_minimum_over_permutations(xs):
    x = np.array(xs, np.uint32)
    a = permutations(128, 1)
    out = np.full((1, 128), EMPTY, np.uint32)
    _sign(x, np.array([0, x.size]), a, out)
    want = [min(int(ai) * v % 2**32 for v in xs) for ai in a[:, 0]]
    assert out[0].tolist() == want


def test_empty_text_has_empty_signature_and_no_bands():
    assert np.all(minhash(" ,.; ") == EMPTY)
    assert doc_bands("", "x") == []
    assert jaccard_estimate(minhash(""), minhash("")) == 0.0


def test_short_texts_get_one_shingle():
    assert shingles("Hello, World") == ["hello world"]
    assert words("Straße ﬁsh ÉTÉ") == ["strasse", "fish", "été"]


def test_exact_hash_ignores_case_space_punctuation():
    assert exact_hash("Hello,   World!\n") == exact_hash("hello world")
    assert exact_hash("hello world") != exact_hash("hello word")
    assert len(exact_hash("x")) == 32


@given(st.integers(0, 2**31 - 1))
@hsettings(max_examples=30)
def test_serialize_round_trip_any_seed(seed):
    s = Settings(seed=seed)
    sig = minhash(STORY, s)
    data = serialize(sig, s)
    assert np.array_equal(deserialize(data, s), sig)
    assert len(data) == 12 + 4 * 128


@given(texts_st)
@hsettings(max_examples=30)
def test_serialize_round_trip_any_text(text):
    sig = minhash(text)
    assert np.array_equal(deserialize(serialize(sig)), sig)


def test_version_mismatch_is_a_clear_error():
    data = bytearray(serialize(minhash(STORY)))
    data[4] = FORMAT_VERSION + 1
    with pytest.raises(FingerprintFormatError, match="version"):
        deserialize(bytes(data))
    with pytest.raises(FingerprintFormatError, match="magic"):
        deserialize(b"JUNK" + bytes(data[4:]))
    with pytest.raises(FingerprintFormatError, match="seed"):
        deserialize(serialize(minhash(STORY)), Settings(seed=2))
    with pytest.raises(FingerprintFormatError, match="bytes"):
        deserialize(bytes(data[:4]) + bytes([FORMAT_VERSION]) + bytes(data[5:-4]))


@given(st.sets(st.integers(0, 10**6), min_size=20, max_size=300), st.data())
@hsettings(max_examples=40, deadline=None)
def test_jaccard_estimate_is_close_to_true_jaccard(base, data):
    items = sorted(base)
    cut = data.draw(st.integers(0, len(items)))
    texts = [
        " ".join(f"w{i}" for i in part) for part in (items[:cut] + items[::3], items[cut // 2 :])
    ]
    a, b = (set(shingles(t)) for t in texts)
    true = len(a & b) / len(a | b)
    # 128 permutations: standard deviation at most 0.045; allow 4.5 of them.
    assert abs(jaccard_estimate(minhash(texts[0]), minhash(texts[1])) - true) <= 0.2


def test_band_keys_match_scalar_definition_and_fit_sqlite():
    sig = minhash(STORY)
    keys = band_keys(sig, 32)
    assert len(keys) == 32
    assert all(-(2**63) <= k < 2**63 for k in keys)
    assert keys[7] == band_key(7, sig[28:32].tolist())
    assert [k for _, k, _ in doc_bands(STORY, "a")] == keys
    with pytest.raises(ConfigError):
        band_keys(sig, 30)


@pytest.mark.parametrize("seed", range(5))
def test_near_duplicates_are_candidates_and_unrelated_are_not(seed):
    index = LSHIndex()
    pairs = index.add_texts(
        ["src", "copy", "trimmed", "other"],
        [STORY, edit(STORY, 0.03, seed), STORY[: int(len(STORY) * 0.85)], OTHER],
    )
    assert {("src", "copy"), ("src", "trimmed")} <= set(pairs)
    assert not any("other" in p for p in pairs)
    assert index.pairs() == set(pairs)
    assert index.query(minhash(edit(STORY, 0.03, seed + 10))) >= {"src"}


def test_unrelated_texts_mostly_are_not_candidates():
    rng = random.Random(3)
    vocab = [f"word{i}" for i in range(5000)]
    texts = [" ".join(rng.choice(vocab) for _ in range(150)) for _ in range(300)]
    pairs = LSHIndex().add_texts(range(300), texts)
    assert len(pairs) <= 3


def test_index_rejects_repeated_ids_and_skips_empty_texts():
    index = LSHIndex()
    assert index.add_texts(["a", "b"], ["", ""]) == []
    with pytest.raises(ConfigError, match="already"):
        index.add("a", minhash(STORY))


def test_golden_signature():
    # Pins the whole hash layout; if this fails, bump FORMAT_VERSION.
    sig = minhash(STORY)
    assert sig[:6].tolist() == GOLDEN
    assert exact_hash(STORY) == GOLDEN_EXACT


GOLDEN = [55360310, 5477744, 1719978, 7825822, 16714292, 19295186]  # format version 2
GOLDEN_EXACT = "b320444b8f7d06b8f4016c5f3217d2ea"


def test_signature_matches_scalar_definition():
    xs = [shingle_hash([word_hash(w) for w in s.split(" ")]) >> 32 for s in shingles(STORY + OTHER)]
    a = permutations(128, 1)[:, 0].tolist()
    assert minhash(STORY + OTHER).tolist() == [min(ai * x % 2**32 for x in xs) for ai in a]


@pytest.mark.parametrize(
    "text",
    ["Straße İstanbul ŉ ǰ ΐ", "ß", "ßß ß", "İİ x", "x\x00ß\x00y", "ﬁsh ß ΰ é", "groß\n\nSTRASSE"],
)
def test_multi_character_case_folds_match_str_casefold(text):
    batch = [text, "plain words here", text.upper(), "", text]
    hashes, offsets = shingle_hashes(batch)
    for i, t in enumerate(batch):
        want = [shingle_hash([word_hash(w) for w in s.split(" ")]) for s in shingles(t)]
        assert hashes[offsets[i] : offsets[i + 1]].tolist() == want


@given(st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 40), max_size=60))
def test_sort_keys_sorts_and_keeps_owners(keys):
    # Small keys tie on their high bits, which takes the repair path.
    k = np.array(keys, np.uint64)
    sk, so = _sort_keys(k.copy(), np.arange(k.size) * 10)
    assert sk.tolist() == sorted(keys)
    assert all(k[o // 10] == v for o, v in zip(so.tolist(), sk.tolist()))


def test_doc_bands_band_keys_batch_and_index_agree():
    texts = [STORY, OTHER, edit(STORY, 0.1, 1), "", "Straße İstanbul ß " * 5, "two words"]
    sigs = minhash_batch(texts)
    batch = band_keys_batch(sigs, 32)
    index = LSHIndex()
    index.add_batch(range(len(texts)), sigs)
    for i, text in enumerate(texts):
        rows = doc_bands(text, i)
        if not text.strip():
            assert rows == [] and index.keys(i) == []
            continue
        assert rows == [(b, k, i) for b, k in enumerate(batch[i].tolist())]
        assert index.keys(i) == sorted(batch[i].tolist())


@pytest.mark.parametrize("splits", [[], [1], [2, 3], [1, 2, 3, 4, 5, 6, 7]])
def test_batches_give_the_same_pairs_as_one_batch(splits):
    texts = [
        STORY,
        edit(STORY, 0.02, 1),
        OTHER,
        STORY,
        edit(OTHER, 0.02, 2),
        STORY,
        "",
        edit(STORY, 0.02, 3),
    ]
    sigs = minhash_batch(texts)
    whole = LSHIndex()
    want = whole.add_batch(range(len(texts)), sigs)
    index, got = LSHIndex(), []
    for a, b in zip([0, *splits], [*splits, len(texts)]):
        got += index.add_batch(range(a, b), sigs[a:b])
    assert sorted(got) == want and index.pairs() == whole.pairs() == set(want)
    assert {(0, 3), (0, 5), (3, 5), (0, 1)} <= set(want)
    assert index.query(sigs[0]) == {0, 1, 3, 5, 7}
