"""How well A sentences explain a B sentence: the candidates the alignment path chooses from.

Sentences are compared as bags of light stems (the first ``STEM_CHARS``
characters of each word; numbers whole), so "produced"/"production" and
"operation"/"operations" meet. Each stem weighs as its rarest word (see
``normalize.weights``). A candidate is a *cover*: one primary A sentence,
plus the further A sentences a merged B sentence also draws on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..changes.lexicon import load
from ..model import Document
from ..normalize.text import words
from ..normalize.weights import term_weight, weight_table

STEM_CHARS = 5
_DIGIT = re.compile(r"\d")
_LEAD_DIGITS = re.compile(r"\d+")
MAX_SOURCES = 3  # A sentences merged into one B sentence at most
PRIMARIES = 4  # best-scoring A sentences tried as the primary source of each B sentence
EXTRA_SOURCE_MIN = 0.15  # share of B's weight a further A sentence must explain
MIN_SHARED_WEIGHT = 6.0  # about two content words: below that a match is chance
SOURCE_USE_MIN = 0.3  # a further source must have this share of its own words in B
A_SHARE_FACTOR = 0.6  # a short A sentence wholly inside a longer B sentence counts at this rate
SPREAD_DISCOUNT = 0.25  # per further A sentence that holds the same stem
NAME_DISCOUNT = (
    0.25  # a name a further source shares counts at this rate (a speaker moved, not a source)
)


@dataclass(frozen=True)
class Side:
    """The content sentences of one document, as words and weighted stems."""

    index: tuple[int, ...]  # Sentence.i of each content sentence
    tokens: tuple[tuple[str, ...], ...]  # casefolded words, in order (for labels)
    stems: tuple[dict[str, float], ...]  # stem -> weight, per sentence
    names: tuple[frozenset, ...]  # stems of capitalized words inside the sentence
    total: tuple[float, ...]  # summed stem weight, per sentence


@dataclass(frozen=True)
class Cover:
    """A candidate source of one B sentence: A positions (into Side.index) and how well they explain
    it."""

    a: tuple[int, ...]  # sorted content positions in A
    primary: int
    share: float  # share of the B sentence's weight the cover explains
    strength: float  # the score the path weighs: share, or A containment for a short source

    @property
    def lo(self) -> int:
        return self.a[0]

    @property
    def hi(self) -> int:
        return self.a[-1]


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """Return the light stem of casefolded ``token``: a number without its unit ("250mw" -> "250"),
    else a prefix."""
    if _DIGIT.search(token):
        lead = _LEAD_DIGITS.match(token)
        return (
            lead.group() if lead else token
        )  # "500,000t" and "500,000 tonnes" share "500" and "000"
    return token[:STEM_CHARS]


def _names(text: str, language: str) -> frozenset:
    """Return the stems of a speaker's or a name's words: capitalized words inside the sentence,
    the lower-case particles between two of them ("Simon van Dam"), and speech verbs ("said")."""
    raw = text.split()
    caps = [
        k > 0 and w[:1].isupper() and not raw[k - 1].endswith((".", ":", "“", '"'))
        for k, w in enumerate(raw)
    ]
    verb = load(language).attribution_verb
    out = set()
    for k, w in enumerate(raw):
        particle = 0 < k < len(raw) - 1 and caps[k - 1] and raw[k + 1][:1].isupper() and w.islower()
        if caps[k] or particle or verb.fullmatch(w.strip(",.;:!?\"“”'’")):
            out.update(stem(t) for t in words(w))
    return frozenset(out)


@lru_cache(maxsize=16384)
def _sentence(text: str, language: str) -> tuple[tuple[str, ...], dict[str, float], frozenset]:
    """Return (words, stem -> weight, name stems) of one sentence; cached, never mutated."""
    table = weight_table(language)
    toks = tuple(words(text))
    bag: dict[str, float] = {}
    for w in toks:
        s = stem(w)
        bag[s] = max(bag.get(s, 0.0), term_weight(w, table))
    return toks, bag, _names(text, language)


def sentence_words(text: str, language: str) -> tuple[str, ...]:
    """Return ``words(text)`` as a tuple, from the cache the alignment fills (read it, never
    change it): the later stages of a comparison count the same sentences' words."""
    return _sentence(text, language)[0]


def spread(doc: Document) -> dict[str, int]:
    """Return stem -> how many of ``doc``'s content sentences hold it."""
    out: dict[str, int] = {}
    for s in doc.content:
        for t in _sentence(s.text, doc.language)[1]:
            out[t] = out.get(t, 0) + 1
    return out


def _discount(count: int) -> float:
    # A word in many A sentences (the company, the project's name) cannot say which one B took.
    return 1.0 / (1.0 + SPREAD_DISCOUNT * (count - 1)) if count > 1 else 1.0


def side(doc: Document, spread_in_a: dict[str, int] | None = None) -> Side:
    """Return the Side of ``doc``'s content sentences, stems weighted down by their
    ``spread_in_a``."""
    spread_in_a = spread_in_a or {}
    content = doc.content
    parsed = [_sentence(s.text, doc.language) for s in content]
    # _discount, inlined; a stem in no A sentence (or in one) keeps its weight
    discount = {
        t: 1.0 / (1.0 + SPREAD_DISCOUNT * (n - 1)) for t, n in spread_in_a.items() if n > 1
    }.get
    stems = tuple({t: w * discount(t, 1.0) for t, w in bag.items()} for _toks, bag, _n in parsed)
    return Side(
        index=tuple(s.i for s in content),
        tokens=tuple(p[0] for p in parsed),
        stems=stems,
        names=tuple(p[2] for p in parsed),
        total=tuple(sum(b.values()) for b in stems),
    )


def inverted(a: Side) -> dict[str, list[int]]:
    """Return stem -> the A positions whose sentence holds it."""
    inv: dict[str, list[int]] = {}
    for k, bag in enumerate(a.stems):
        for t in bag:
            inv.setdefault(t, []).append(k)
    return inv


def shared(b_bag: dict[str, float], inv: dict[str, list[int]]) -> dict[int, float]:
    """Return A position -> weight of the B sentence's stems that it shares (non-zero only)."""
    out: dict[int, float] = {}
    get, postings = out.get, inv.get
    for t, w in b_bag.items():
        for k in postings(t, ()):
            out[k] = get(k, 0.0) + w
    return out


def _a_share(a: Side, k: int, b_bag: dict[str, float]) -> float:
    total = a.total[k]
    return sum([w for t, w in a.stems[k].items() if t in b_bag]) / total if total else 0.0


def _extras(b_bag, b_names, b_weight, a: Side, primary: int, inv) -> list[int]:
    """Return further A positions that explain enough of what ``primary`` leaves unexplained."""
    chosen = [primary]
    # Stems no A sentence holds can add nothing: only the others are kept (in B's order).
    left = {t: w for t, w in b_bag.items() if t in inv and t not in a.stems[primary]}
    need = max(MIN_SHARED_WEIGHT, EXTRA_SOURCE_MIN * b_weight)
    a_names = a.names
    while len(chosen) < MAX_SOURCES and left:
        gains: dict[int, float] = {}
        get = gains.get
        for t, w in left.items():
            # A name alone (the speaker of a quote B moved) says little about a second source.
            b_named, low = t in b_names, w * NAME_DISCOUNT
            for k in inv[t]:
                if k not in chosen:
                    gains[k] = get(k, 0.0) + (low if b_named or t in a_names[k] else w)
        if not gains:
            break
        k, gain = max(gains.items(), key=lambda kv: (kv[1], -kv[0]))
        if gain < need or _a_share(a, k, b_bag) < SOURCE_USE_MIN:
            break
        chosen.append(k)
        left = {t: w for t, w in left.items() if t not in a.stems[k]}
    return chosen


def _marginal(bag, b_names, a: Side, k: int, others: list[int]) -> float:
    """Return the (name-discounted) B weight that only A position ``k`` explains among
    ``others``."""
    if len(others) == 1:
        rest = a.stems[others[0]]  # membership in one stem table needs no set
    else:
        rest = set().union(*(a.stems[j] for j in others)) if others else set()
    mine, names = a.stems[k], a.names[k]
    return sum(
        [
            w * (NAME_DISCOUNT if t in b_names or t in names else 1.0)
            for t, w in bag.items()
            if t in mine and t not in rest
        ]
    )


def _prune(chosen: list[int], bag, b_names, b_weight, a: Side) -> list[int]:
    """Return ``chosen`` without members that add too little once the others are there.

    A cover built on a weaker primary would otherwise take the best A sentence
    as its "extra" and look like a merge.
    """
    need = max(MIN_SHARED_WEIGHT, EXTRA_SOURCE_MIN * b_weight)
    chosen = list(chosen)
    while len(chosen) > 1:
        gains = {k: _marginal(bag, b_names, a, k, [j for j in chosen if j != k]) for k in chosen}
        k = min(chosen, key=lambda j: (gains[j], -j))
        if gains[k] >= need:
            break
        chosen.remove(k)
    return chosen


def covers(b: Side, pos: int, a: Side, inv) -> list[Cover]:
    """Return the candidate covers of B position ``pos``, best primary first (at most PRIMARIES)."""
    bag, b_weight = b.stems[pos], b.total[pos]
    if not b_weight:
        return []
    sh = shared(bag, inv)
    ranked = sorted(
        (kv for kv in sh.items() if kv[1] >= MIN_SHARED_WEIGHT), key=lambda kv: (-kv[1], kv[0])
    )
    out, seen = [], set()
    for k, _w in ranked[:PRIMARIES]:
        chosen = _prune(
            _extras(bag, b.names[pos], b_weight, a, k, inv), bag, b.names[pos], b_weight, a
        )
        # When pruning drops the primary itself (what it adds beyond the others is names they
        # hold too), the primary alone stays a candidate: a lead that rewords the lead must
        # not lose it to a later sentence that repeats the lead's names.
        for cand in (chosen,) if k in chosen else (chosen, [k]):
            key = tuple(sorted(cand))
            if key not in seen:
                seen.add(key)
                out.append(_cover(key, k if k in cand else key[0], bag, b_weight, a))
    return out


def _cover(chosen: tuple[int, ...], k: int, bag, b_weight: float, a: Side) -> Cover:
    """Return the Cover of A positions ``chosen`` (primary ``k``) for one B sentence's ``bag``."""
    # One source: its stem table answers the membership test; several: the union of theirs.
    union = a.stems[chosen[0]] if len(chosen) == 1 else set().union(*(a.stems[j] for j in chosen))
    share = sum([w for t, w in bag.items() if t in union]) / b_weight
    strength = share if len(chosen) > 1 else max(share, A_SHARE_FACTOR * _a_share(a, k, bag))
    return Cover(chosen, k, round(share, 4), round(strength, 4))
