"""Second alignment pass: embed only what the lexical path left unmatched.

Across languages, a B sentence the lexical path left new may come from any
A sentence that no verbatim or near-verbatim link uses (a paraphrased A
sentence may be the source of a second, translated B sentence); the match
needs ``settings.semantic_min``.

Within one language, sentences on the same event score high on topic
alone, so a paraphrase is looked for only where the document order puts
it: among the omitted A sentences between the A sentences that B's aligned
neighbours use (the gap a rewrite leaves when it rewords a sentence), and
it needs ``SAME_LANGUAGE_MIN``, fitted on real rewrites and unrelated text
(``python bench/calibrate_paraphrase.py``, docs/alignment.md).
"""

from __future__ import annotations

from ..model import Alignment, Document, Link
from ..settings import Settings
from .align import relabel

SAME_LANGUAGE_MIN = 0.93  # cosine; fitted by bench/calibrate_paraphrase.py (see docs/alignment.md)
GAP_SLACK = (
    1  # A sentences either side of the gap also count (a reworded sentence may sit next to it)
)
# texts embedded per pair within one language: the 150 ms budget at about 11 ms a sentence, with
# margin
MAX_EMBED = 8


def gap_candidates(a: Document, alignment: Alignment) -> dict[int, list[int]]:
    """Return B index -> the omitted A sentences in the document-order gap around it.

    The gap of a new B sentence runs from the last A sentence its preceding
    aligned B neighbour uses to the first one its following neighbour uses
    (the whole document at either end), widened by ``GAP_SLACK``.
    """
    content = [link for link in alignment.links if link.label != "boilerplate"]
    omitted = [s.i for s in a.content if alignment.a_labels[s.i] == "omitted"]
    if not omitted:
        return {}
    out: dict[int, list[int]] = {}
    for pos, link in enumerate(content):
        if link.label != "new":
            continue
        before = next((max(x.a) for x in reversed(content[:pos]) if x.a), -1)
        after = next((min(x.a) for x in content[pos + 1 :] if x.a), len(a.sentences))
        lo, hi = min(before, after) - GAP_SLACK, max(before, after) + GAP_SLACK
        cands = [i for i in omitted if lo <= i <= hi]
        if cands:
            out[link.b] = cands
    return out


def _cross_candidates(a: Document, alignment: Alignment) -> dict[int, list[int]]:
    firm = {
        i for link in alignment.links if link.label in ("verbatim", "near_verbatim") for i in link.a
    }
    cand_a = [s.i for s in a.content if s.i not in firm]
    return {link.b: cand_a for link in alignment.links if link.label == "new"} if cand_a else {}


def _budget(cands: dict[int, list[int]]) -> dict[int, list[int]]:
    """Return ``cands`` cut to the first B sentences whose texts fit in ``MAX_EMBED`` embeddings."""
    out, seen = {}, set()
    for bi, a_idx in sorted(cands.items()):
        need = {("b", bi)} | {("a", i) for i in a_idx}
        if len(seen | need) > MAX_EMBED:
            break
        seen |= need
        out[bi] = a_idx
    return out


def candidate_cosines(
    a: Document, b: Document, cands: dict[int, list[int]], embedder
) -> dict[int, list[tuple[float, int]]]:
    """Return B index -> (cosine, A index) for each of its candidates, embedding each text once."""
    b_idx = sorted(cands)
    a_idx = sorted({i for v in cands.values() for i in v})
    if not b_idx or not a_idx:
        return {}
    vecs = embedder.embed(
        [b.sentences[i].text for i in b_idx] + [a.sentences[i].text for i in a_idx]
    )
    sims = vecs[: len(b_idx)] @ vecs[len(b_idx) :].T
    col = {i: k for k, i in enumerate(a_idx)}
    return {bi: [(float(sims[row, col[i]]), i) for i in cands[bi]] for row, bi in enumerate(b_idx)}


def align_semantic(
    a: Document, b: Document, lexical: Alignment, embedder, settings: Settings
) -> Alignment:
    """Return ``lexical`` with unmatched B sentences matched by embedding cosine (see the module
    doc)."""
    same = a.language == b.language
    cands = _budget(gap_candidates(a, lexical)) if same else _cross_candidates(a, lexical)
    threshold = SAME_LANGUAGE_MIN if same else settings.semantic_min
    updates, taken = {}, set()
    for bi, scored in candidate_cosines(a, b, cands, embedder).items():
        sim, ai = max(scored, key=lambda t: (t[0], -t[1]))
        # Within one language a reworded A sentence has one rewrite; the first B sentence keeps it.
        if sim >= threshold and not (same and ai in taken):
            taken.add(ai)
            updates[bi] = Link(b=bi, a=(ai,), label="paraphrase", score=round(sim, 4))
    # Within one language under 'auto' the model only fills gaps: when it fills none, the result is
    # lexical.
    used = updates or not same or settings.semantic == "on"
    return relabel(a, b, lexical, updates, "multilingual" if used else lexical.mode)
