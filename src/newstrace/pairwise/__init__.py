"""The pairwise engine: alignment, same story, verdict, direction, drift of two documents.

The result is always oriented source first: when the evidence names the
second document the source, the two are exchanged (``Comparison.swapped``),
so that A is the source, B the derivative, and every label, omission,
addition and drift direction reads from A to B.
"""

from __future__ import annotations

import time
from dataclasses import replace

from ..changes import classify_addition, salience
from ..model import Alignment, Comparison, Direction, Document
from ..settings import DEFAULT, Settings
from . import direction as dirn
from . import similarity as sim
from .align import align_lexical
from .align_scores import sentence_words
from .clauses_across import taken_across
from .drift_pass import document_changes
from .outlets import credits_an_outlet, mentions_any, outlet_names
from .semantic_pass import align_semantic
from .similarity import head_body_cosine, lexical_signals, story_score
from .verdict import additions, coverage, omissions, verdict

REPORT_SENTENCES = 4  # content sentences from which a not-derived pair has no meaning drift

__all__ = ["compare_documents", "overlap_of"]

# Above any cosine of two L2-normalized float32 vectors (1 plus rounding); story_score grows with
# the cosine, so the score at this ceiling bounds the score at the real one.
COSINE_CEILING = 1.001


def _align(a: Document, b: Document, settings: Settings, embedder, paraphraser=None) -> Alignment:
    alignment = align_lexical(a, b, settings)
    model = embedder if embedder is not None else paraphraser
    if model is not None:
        alignment = align_semantic(a, b, alignment, model, settings)
    return alignment


def _same_story_score(a: Document, b: Document, cov: tuple[float, float], embedder) -> float:
    """Return the same-story score in [0, 1] (see ``similarity.story_score``).

    The score is the higher of the signals' score and what the coverage says; when the coverage
    already beats the signals' score at the highest cosine there can be, the four head and body
    texts (seconds of embedding) are not embedded: the score is the same either way.
    """
    signals = lexical_signals(a, b)
    derived = min(1.0, sum(cov) / 2 + 0.1 * max(cov))  # a condensed copy is one story
    cosine = None
    if embedder is not None:
        if sim.SEMANTIC_FIT[1] >= 0 and derived >= story_score(signals, COSINE_CEILING):
            return round(derived, 4)
        cosine = head_body_cosine(a, b, embedder)
    return round(max(story_score(signals, cosine), derived), 4)


def _own_passages(doc: Document, indices: list[int]) -> tuple[float, tuple[str, ...]]:
    """Return (share of ``doc``'s content in passages crediting an outlet, excerpts of the rest).

    A passage crediting a third outlet came from elsewhere; one naming the
    article's own outlet ("told the Daily Post") is its own reporting.
    Neither says that the shared text came from a common source.
    """
    size = {s.i: max(1, len(sentence_words(s.text, doc.language))) for s in doc.content}
    total = sum(size.values()) or 1
    names = outlet_names(doc.article)
    credited, own = 0, []
    for i in indices:
        if i not in size:
            continue
        text = doc.sentences[i].text
        if credits_an_outlet(text, doc.language) or mentions_any(text, names):
            credited += size[i]
        else:
            own.append(doc.sentences[i].text)
    return credited / total, tuple(sorted(own, key=len, reverse=True))


def overlap_of(
    a: Document, b: Document, alignment: Alignment, cov: tuple[float, float]
) -> dirn.Overlap:
    """Return the direction Overlap of an aligned pair: containment both ways and what only one side
    has."""
    a_credited, a_only = _own_passages(
        a, [i for i, lab in enumerate(alignment.a_labels) if lab == "omitted"]
    )
    b_credited, b_only = _own_passages(
        b, [link.b for link in alignment.links if link.label == "new"]
    )
    return dirn.Overlap(
        b_in_a=cov[0],
        a_in_b=cov[1],
        a_credited=a_credited,
        b_credited=b_credited,
        a_only=a_only,
        b_only=b_only,
    )


def _direction(
    a: Document, b: Document, alignment: Alignment, cov: tuple[float, float]
) -> Direction:
    evidence = dirn.pair_evidence(
        dirn.article_signals(a), dirn.article_signals(b), overlap_of(a, b, alignment, cov)
    )
    return dirn.decide(evidence)


def _not_taken(drift: tuple) -> tuple:
    """Return ``drift`` with no change of severity ``meaning``: B took nothing from A.

    Used for two reports (``REPORT_SENTENCES`` content sentences or more each)
    that share too little to be derived: independent reports of one event
    differ in wording, figures and sources without either changing what the
    other said, so a change between their loosely matched sentences is no
    drift (on ECB+ same-event pairs, every such flag read was false). Single
    claims (a press release's conclusion against a paper's) are left alone:
    one sentence gives coverage nothing to tell a paraphrase from independence.
    The changes stay listed, as cosmetic.
    """
    return tuple(replace(c, severity="cosmetic") if c.severity == "meaning" else c for c in drift)


def compare_documents(
    a: Document, b: Document, settings: Settings = DEFAULT, embedder=None, paraphraser=None
) -> Comparison:
    """Return the full Comparison of normalized documents ``a`` and ``b``, source first.

    ``embedder`` (see ``newstrace.semantic``) adds the cross-language pass and
    the embedding same-story score; ``paraphraser`` only aligns same-language
    paraphrases in the gaps of the lexical alignment.
    """
    t0 = time.perf_counter()
    alignment = _align(a, b, settings, embedder, paraphraser)
    cov = coverage(a, b, alignment)
    direction = _direction(a, b, alignment, cov)
    if max(cov) < settings.partially_min:  # nothing was taken, so neither side is a source
        direction = Direction(None, 0.0, direction.evidence)
    # With a common source neither text is the other's source: the given order stays.
    swapped = direction.source == "b"
    if swapped:
        # Re-read the evidence in the new orientation so its texts name the right side.
        a, b = b, a
        alignment = _align(a, b, settings, embedder, paraphraser)
        cov = coverage(a, b, alignment)
        direction = _direction(a, b, alignment, cov)
    t1 = time.perf_counter()
    score = _same_story_score(a, b, cov, embedder)
    same = score >= settings.same_story_min or cov[0] >= settings.wholly_min
    relation = verdict(cov[0] if direction.source else max(cov), same, settings)
    t2 = time.perf_counter()
    drift = document_changes(a, b, alignment, settings.drift_min_confidence)
    drift = taken_across(drift, a, b, alignment, embedder)
    if relation == "not_derived" and min(len(a.content), len(b.content)) >= REPORT_SENTENCES:
        drift = _not_taken(drift)
    t3 = time.perf_counter()
    return Comparison(
        a=a,
        b=b,
        alignment=alignment,
        same_story=same,
        same_story_score=score,
        verdict=relation,
        direction=direction,
        coverage_b_from_a=cov[0],
        coverage_a_in_b=cov[1],
        omissions=omissions(a, alignment, salience),
        additions=additions(b, alignment, classify_addition),
        drift=drift,
        swapped=swapped,
        mode=alignment.mode,
        timings={
            "align_ms": (t1 - t0) * 1e3,
            "story_ms": (t2 - t1) * 1e3,
            "drift_ms": (t3 - t2) * 1e3,
        },
    )
