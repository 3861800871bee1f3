"""Sentence alignment of a derivative (B) against a possible source (A).

Each B sentence gets the A sentences it comes from:
- one-to-one and one-to-many (a split sentence: several B sentences take
  the same A sentence) come from scoring each B sentence on its own;
- many-to-one (condensing) comes from a greedy cover: after the best A
  sentence, another A sentence is added while it covers enough of the
  B words still unexplained;
- order does not matter, since candidates come from an inverted index.

Scores are word-weighted containments (rare words weigh most, see
``normalize.weights``); labels come from the in-order token match.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from ..model import Alignment, Document, Link
from ..normalize.text import words
from ..normalize.weights import term_weight, weight_table
from ..settings import DEFAULT, Settings

MAX_SOURCES = 3  # A sentences merged into one B sentence at most
EXTRA_SOURCE_MIN = 0.15  # share of B's weight a further A sentence must explain
MIN_SHARED_WEIGHT = 6.0  # about two content words: below that a match is chance
SOURCE_USE_MIN = 0.3  # a further source must have this share of its own words in B


@dataclass(frozen=True)
class _Side:
    """Tokens and weights of one document's content sentences."""

    index: tuple[int, ...]  # Sentence.i of each content sentence
    tokens: tuple[tuple[str, ...], ...]
    sets: tuple[frozenset, ...]
    weight: dict


def _side(doc: Document) -> _Side:
    content = doc.content
    toks = tuple(tuple(words(s.text)) for s in content)
    return _Side(
        index=tuple(s.i for s in content),
        tokens=toks,
        sets=tuple(frozenset(t) for t in toks),
        weight=weight_table(doc.language),
    )


def _w(tokens, table) -> float:
    return sum(term_weight(t, table) for t in tokens)


def _inverted(side: _Side) -> dict[str, list[int]]:
    inv: dict[str, list[int]] = {}
    for k, toks in enumerate(side.sets):
        for t in toks:
            inv.setdefault(t, []).append(k)
    return inv


def _best_cover(bset: frozenset, b_weight: float, a: _Side, inv, table) -> tuple[list[int], float]:
    """Return the A positions that together explain ``bset`` best, and the share explained."""
    chosen: list[int] = []
    left = set(bset)
    while len(chosen) < MAX_SOURCES and left:
        gains: dict[int, float] = {}
        for t in left:
            wt = term_weight(t, table)
            for k in inv.get(t, ()):
                if k not in chosen:
                    gains[k] = gains.get(k, 0.0) + wt
        if not gains:
            break
        k, gain = max(gains.items(), key=lambda kv: (kv[1], -kv[0]))
        need = MIN_SHARED_WEIGHT if not chosen else max(MIN_SHARED_WEIGHT, EXTRA_SOURCE_MIN * b_weight)
        if gain < need:
            break
        chosen.append(k)
        left -= a.sets[k]
    chosen = chosen[:1] + [k for k in chosen[1:] if _used(a, k, bset) >= SOURCE_USE_MIN]
    left = set(bset).difference(*(a.sets[k] for k in chosen))
    explained = b_weight - _w(left, table)
    return sorted(chosen), (explained / b_weight if b_weight else 0.0)


def _used(a: _Side, k: int, bset: frozenset) -> float:
    """Return the share of A sentence ``k``'s own weight that appears in ``bset``."""
    total = _w(a.sets[k], a.weight)
    return _w(a.sets[k] & bset, a.weight) / total if total else 0.0


def _label(btoks, a: _Side, chosen: list[int], share: float, settings: Settings) -> tuple[str, float]:
    """Return (label, score) for a B sentence explained by A positions ``chosen``."""
    atoks = [t for k in chosen for t in a.tokens[k]]
    m = SequenceMatcher(None, btoks, atoks, autojunk=False)
    matched = sum(block.size for block in m.get_matching_blocks())
    ratio = 2 * matched / (len(btoks) + len(atoks)) if atoks else 0.0
    in_order = matched / len(btoks) if btoks else 0.0
    if ratio >= settings.verbatim_min and len(chosen) == 1:
        return "verbatim", round(ratio, 4)
    if in_order >= settings.near_verbatim_min:
        return "near_verbatim", round(in_order, 4)
    if share >= settings.paraphrase_min:
        return "paraphrase", round(share, 4)
    return "new", round(share, 4)


def align_lexical(a: Document, b: Document, settings: Settings = DEFAULT) -> Alignment:
    """Return the lexical Alignment of every sentence of ``b`` against ``a``."""
    sa, sb = _side(a), _side(b)
    inv = _inverted(sa)
    links: dict[int, Link] = {}
    for pos, bi in enumerate(sb.index):
        bset = sb.sets[pos]
        b_weight = _w(bset, sb.weight)
        chosen, share = _best_cover(bset, b_weight, sa, inv, sb.weight)
        label, score = _label(sb.tokens[pos], sa, chosen, share, settings) if chosen else ("new", 0.0)
        sources = tuple(sa.index[k] for k in chosen) if label != "new" else ()
        links[bi] = Link(b=bi, a=sources, label=label, score=score)
    return _finish(a, b, links, "lexical")


def _finish(a: Document, b: Document, links: dict[int, Link], mode: str) -> Alignment:
    """Return the Alignment with boilerplate links and A-side labels filled in."""
    full = tuple(
        links.get(s.i) or Link(b=s.i, a=(), label="boilerplate", score=0.0) for s in b.sentences
    )
    kept = {i for link in full for i in link.a}
    a_labels = tuple(
        "boilerplate" if s.boilerplate else ("kept" if s.i in kept else "omitted") for s in a.sentences
    )
    return Alignment(links=full, a_labels=a_labels, mode=mode)


def relabel(a: Document, b: Document, alignment: Alignment, updates: dict[int, Link], mode: str) -> Alignment:
    """Return ``alignment`` with the links of ``updates`` replaced (B index -> Link)."""
    links = {link.b: updates.get(link.b, link) for link in alignment.links if link.label != "boilerplate"}
    return _finish(a, b, links, mode)
