"""Second alignment pass: embed only what the lexical pass left unmatched."""

from __future__ import annotations

import numpy as np

from ..model import Alignment, Document, Link
from ..settings import Settings
from .align import relabel

# Within one language, sentences on the same event score high on topic alone;
# whatever shares little wording there is rarely a paraphrase.
SAME_LANGUAGE_MARGIN = 0.09  # 0.87 + 0.09: the 99th percentile of same-language unrelated pairs (docs/quality.md)


def align_semantic(a: Document, b: Document, lexical: Alignment, embedder, settings: Settings) -> Alignment:
    """Return ``lexical`` with unmatched B sentences matched by embedding cosine.

    B sentences labelled new are embedded, and so are the A sentences that no
    verbatim or near-verbatim link uses (a paraphrased A sentence may still
    be the source of a second, translated B sentence). A match needs a cosine
    of ``settings.semantic_min`` or more (plus a margin within one language).
    """
    new_b = [link.b for link in lexical.links if link.label == "new"]
    firm = {i for link in lexical.links if link.label in ("verbatim", "near_verbatim") for i in link.a}
    cand_a = [s.i for s in a.content if s.i not in firm]
    if not new_b or not cand_a:
        return lexical
    vecs = embedder.embed([b.sentences[i].text for i in new_b] + [a.sentences[i].text for i in cand_a])
    sims = vecs[: len(new_b)] @ vecs[len(new_b) :].T
    threshold = settings.semantic_min + (SAME_LANGUAGE_MARGIN if a.language == b.language else 0.0)
    updates = {}
    for row, bi in enumerate(new_b):
        k = int(np.argmax(sims[row]))
        if sims[row, k] >= threshold:
            updates[bi] = Link(b=bi, a=(cand_a[k],), label="paraphrase", score=round(float(sims[row, k]), 4))
    return relabel(a, b, lexical, updates, "multilingual")
