"""The pairwise engine: alignment, same story, verdict, direction, drift of two documents.

The result is always oriented source first: when the evidence names the
second document the source, the two are exchanged (``Comparison.swapped``),
so that A is the source, B the derivative, and every label, omission,
addition and drift direction reads from A to B.
"""

from __future__ import annotations

import time

from ..changes import classify_addition, salience
from ..model import Alignment, Comparison, Direction, Document, Evidence
from ..settings import DEFAULT, Settings
from . import direction as dirn
from .align import align_lexical
from .drift_pass import document_changes
from .semantic_pass import align_semantic
from .similarity import head_body_cosine, lexical_signals, story_score
from .verdict import additions, coverage, omissions, verdict

__all__ = ["compare_documents"]


def _align(a: Document, b: Document, settings: Settings, embedder, paraphraser=None) -> Alignment:
    alignment = align_lexical(a, b, settings)
    model = embedder if embedder is not None else paraphraser
    if model is not None:
        alignment = align_semantic(a, b, alignment, model, settings)
    return alignment


def _same_story_score(a: Document, b: Document, cov: tuple[float, float], embedder) -> float:
    """Return the same-story score in [0, 1] (see ``similarity.story_score``)."""
    cosine = None
    if embedder is not None:
        cosine = head_body_cosine(a, b, embedder)
    derived = min(1.0, sum(cov) / 2 + 0.1 * max(cov))  # a condensed copy is one story
    return round(max(story_score(lexical_signals(a, b), cosine), derived), 4)


def _evidence(a: Document, b: Document, cov: tuple[float, float]) -> list[Evidence]:
    return (
        dirn.attribution_evidence(a, b)
        + dirn.timestamp_evidence(a, b)
        + dirn.containment_evidence(*cov)
        + dirn.footer_evidence(a, b)
    )


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
    direction = dirn.decide(_evidence(a, b, cov))
    if max(cov) < settings.partially_min:  # nothing was taken, so neither side is a source
        direction = Direction(None, 0.0, direction.evidence)
    swapped = direction.source == "b"
    if swapped:
        # Re-read the evidence in the new orientation so its texts name the right side.
        a, b = b, a
        alignment = _align(a, b, settings, embedder, paraphraser)
        cov = coverage(a, b, alignment)
        direction = dirn.decide(_evidence(a, b, cov))
    t1 = time.perf_counter()
    score = _same_story_score(a, b, cov, embedder)
    same = score >= settings.same_story_min or cov[0] >= settings.wholly_min
    drift = document_changes(a, b, alignment)
    t2 = time.perf_counter()
    return Comparison(
        a=a,
        b=b,
        alignment=alignment,
        same_story=same,
        same_story_score=score,
        verdict=verdict(cov[0] if direction.source else max(cov), same, settings),
        direction=direction,
        coverage_b_from_a=cov[0],
        coverage_a_in_b=cov[1],
        omissions=omissions(a, alignment, salience),
        additions=additions(b, alignment, classify_addition),
        drift=drift,
        swapped=swapped,
        mode=alignment.mode,
        timings={"align_ms": (t1 - t0) * 1e3, "drift_ms": (t2 - t1) * 1e3},
    )
