"""Sentence alignment of a derivative (B) against a possible source (A), in document order.

Each B sentence gets the A sentences it comes from:
- candidates (``align_scores``): for each B sentence, covers built on its
  best few A sentences; a merged B sentence (many-to-one) gets a cover of
  several A sentences, and several B sentences may take the same A
  sentence (a split, one-to-many);
- the choice (``align_path``): one Viterbi path over the whole document
  that follows A's order, with jumps allowed at a cost, so a weak match far
  out of place is dropped and a strong one out of order (a moved
  paragraph) is kept;
- a B sentence that credits another outlet ("the Valley Herald reported
  that ...") is an addition unless its content is really in A.

Scores are stem-weighted containments (rare words weigh most, see
``normalize.weights``); labels come from the in-order token match.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from ..changes.attribution import find_sources
from ..model import Alignment, Document, Link
from ..settings import DEFAULT, Settings
from .align_path import best_path
from .align_scores import Cover, Side, covers, inverted, side, spread

CREDIT_MIN = 0.6  # a sentence crediting a third outlet needs this share of its content in A
REPEAT_MIN = 0.8  # a deck with this share of its weight inside a body sentence repeats it
DECK_SENTENCES = 2  # the opening sentences that may be a deck (standfirst)


def _label(
    btoks, a: Side, chosen: tuple[int, ...], strength: float, settings: Settings
) -> tuple[str, float]:
    """Return (label, score) for a B sentence the path took from A positions ``chosen``."""
    atoks = [t for k in chosen for t in a.tokens[k]]
    if len(btoks) == len(atoks) and list(btoks) == atoks:
        matched = len(btoks)  # a word-for-word copy: every token is in the one matching block
    else:
        m = SequenceMatcher(None, btoks, atoks, autojunk=False)
        matched = sum(block.size for block in m.get_matching_blocks())
    ratio = 2 * matched / (len(btoks) + len(atoks)) if atoks else 0.0
    in_order = matched / len(btoks) if btoks else 0.0
    if ratio >= settings.verbatim_min and len(chosen) == 1:
        return "verbatim", round(ratio, 4)
    if in_order >= settings.near_verbatim_min:
        return "near_verbatim", round(in_order, 4)
    return "paraphrase", round(strength, 4)


def _third_outlet(text: str, lang: str, a: Document) -> bool:
    """Return True when ``text`` credits an outlet that is not A's own."""
    own = (a.article.outlet or "").casefold()
    for src in find_sources(text, lang):
        if src.kind == "outlet" and not (
            own and (own in src.name.casefold() or src.name.casefold() in own)
        ):
            return True
    return False


def _credited_elsewhere(a: Document, a_content, cover: Cover) -> bool:
    """Return True when no A sentence of ``cover`` credits a third outlet either."""
    return not any(_third_outlet(a_content[k].text, a.language, a) for k in cover.a)


def _repeats(sa: Side, used: set[int]) -> dict[int, list[int]]:
    """Return used A position -> the unused A positions that repeat it (a deck restating a body
    sentence).

    B takes one of the two, but the repeated facts are in B either way: the
    repeat is not an omission.
    """
    out: dict[int, list[int]] = {}
    for k in range(min(DECK_SENTENCES, len(sa.index))):
        if k in used or not sa.total[k]:
            continue
        for m in sorted(u for u in used if u > k):
            inside = sum(w for t, w in sa.stems[k].items() if t in sa.stems[m])
            if inside >= REPEAT_MIN * sa.total[k]:
                out.setdefault(m, []).append(k)
                break
    return out


def align_lexical(a: Document, b: Document, settings: Settings = DEFAULT) -> Alignment:
    """Return the lexical, order-aware Alignment of every sentence of ``b`` against ``a``."""
    spread_a = spread(a)
    sa, sb = side(a, spread_a), side(b, spread_a)
    inv = inverted(sa)
    a_content, options = a.content, []
    for pos, sentence in enumerate(b.content):
        opts = covers(sb, pos, sa, inv)
        if opts and _third_outlet(sentence.text, b.language, a):
            # "In early May, the Valley Herald reported that ...": another outlet's report is
            # an addition unless A carries that content too (a high share, or the same credit).
            opts = [
                c for c in opts if c.share >= CREDIT_MIN or not _credited_elsewhere(a, a_content, c)
            ]
        options.append(opts)
    path = best_path(options, settings.paraphrase_min)
    repeats = _repeats(sa, {k for cover in path if cover for k in cover.a})
    links: dict[int, Link] = {}
    for pos, cover in enumerate(path):
        bi = sb.index[pos]
        if cover is None:
            links[bi] = Link(b=bi, a=(), label="new", score=0.0)
            continue
        label, score = _label(sb.tokens[pos], sa, cover.a, cover.strength, settings)
        sources = sorted(set(cover.a).union(*(repeats.get(k, ()) for k in cover.a)))
        links[bi] = Link(b=bi, a=tuple(sa.index[k] for k in sources), label=label, score=score)
    return _finish(a, b, links, "lexical")


def _finish(a: Document, b: Document, links: dict[int, Link], mode: str) -> Alignment:
    """Return the Alignment with boilerplate links and A-side labels filled in."""
    full = tuple(
        links.get(s.i) or Link(b=s.i, a=(), label="boilerplate", score=0.0) for s in b.sentences
    )
    kept = {i for link in full for i in link.a}
    a_labels = tuple(
        "boilerplate" if s.boilerplate else ("kept" if s.i in kept else "omitted")
        for s in a.sentences
    )
    return Alignment(links=full, a_labels=a_labels, mode=mode)


def relabel(
    a: Document, b: Document, alignment: Alignment, updates: dict[int, Link], mode: str
) -> Alignment:
    """Return ``alignment`` with the links of ``updates`` replaced (B index -> Link)."""
    links = {
        link.b: updates.get(link.b, link) for link in alignment.links if link.label != "boilerplate"
    }
    return _finish(a, b, links, mode)
