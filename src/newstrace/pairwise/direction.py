"""Which article is the source: evidence, each with a weight, and a decision.

Evidence kinds:
- attribution: one article credits the other's outlet ("X reports", "according to X");
- timestamp: the earlier publication time;
- containment: the derivative lies inside the source, and the source has
  material the derivative lacks;
- footer: a syndication footer marks an article as a republished copy.
Weights combine as independent votes (noisy-or) per side.
"""

from __future__ import annotations

from ..model import Direction, Document, Evidence
from ..timeutil import parse_time
from .outlets import credits, outlet_names

ATTRIBUTION_WEIGHT = 0.7
FIRST_REPORT_WEIGHT = 0.85
FOOTER_WEIGHT = 0.4
TIMESTAMP_WEIGHT = 0.3
TIMESTAMP_CLOSE_WEIGHT = 0.15  # under an hour apart: clocks and time zones blur it
CONTAINMENT_MAX = 0.5
DECIDE_MIN = 0.3  # a side needs this much combined weight to be named the source
DECIDE_MARGIN = 0.15  # and this much more than the other side


def _other(side: str) -> str:
    return "b" if side == "a" else "a"


def attribution_evidence(a: Document, b: Document) -> list[Evidence]:
    """Return evidence from sentences of one article that credit the other's outlet."""
    out = []
    for side, doc, other in (("a", b, a), ("b", a, b)):  # doc credits other -> other is source
        names = outlet_names(other.article) - outlet_names(doc.article)
        if not names:
            continue
        for s in doc.sentences:
            hit = credits(s.text, names)
            if hit:
                weight = FIRST_REPORT_WEIGHT if hit[1] else ATTRIBUTION_WEIGHT
                out.append(Evidence("attribution", side, s.text, weight))
                break
    return out


def timestamp_evidence(a: Document, b: Document) -> list[Evidence]:
    """Return evidence from publication times, when both are known and differ."""
    ta, tb = parse_time(a.article.published), parse_time(b.article.published)
    if ta is None or tb is None:
        return []
    date_only = len(a.article.published or "") <= 10 or len(b.article.published or "") <= 10
    gap = abs((ta - tb).total_seconds())
    if ta == tb or (date_only and ta.date() == tb.date()):
        return [Evidence("timestamp", None, f"both published {a.article.published}", 0.0)]
    side = "a" if ta < tb else "b"
    weight = TIMESTAMP_WEIGHT if gap >= 3600 else TIMESTAMP_CLOSE_WEIGHT
    text = f"{side.upper()} published {min(ta, tb).isoformat()}, {_other(side).upper()} {max(ta, tb).isoformat()}"
    return [Evidence("timestamp", side, text, weight)]


def containment_evidence(b_from_a: float, a_in_b: float) -> list[Evidence]:
    """Return evidence when one article's kept content sits inside the other's."""
    asym = b_from_a - a_in_b
    if max(b_from_a, a_in_b) < 0.2 or abs(asym) < 0.1:
        return []
    side = "a" if asym > 0 else "b"
    weight = round(min(CONTAINMENT_MAX, abs(asym) * 0.6), 3)
    text = f"{b_from_a:.0%} of B comes from A; {a_in_b:.0%} of A appears in B"
    return [Evidence("containment", side, text, weight)]


def footer_evidence(a: Document, b: Document) -> list[Evidence]:
    """Return evidence from syndication footers: the article carrying one is the copy."""
    out = []
    for side, doc in (("a", b), ("b", a)):
        for s in doc.sentences:
            if s.boilerplate == "syndication_footer":
                out.append(Evidence("footer", side, s.text, FOOTER_WEIGHT))
                break
    return out


def _noisy_or(weights) -> float:
    p = 1.0
    for w in weights:
        p *= 1.0 - w
    return 1.0 - p


def decide(evidence: list[Evidence]) -> Direction:
    """Return the Direction the evidence supports, or an undetermined one."""
    score = {s: _noisy_or(e.weight for e in evidence if e.side == s) for s in ("a", "b")}
    best = max(score, key=lambda s: (score[s], s == "a"))
    margin = score[best] - score[_other(best)]
    ordered = tuple(sorted(evidence, key=lambda e: -e.weight))
    if score[best] < DECIDE_MIN or margin < DECIDE_MARGIN:
        return Direction(None, 0.0, ordered)
    return Direction(best, round(margin, 3), ordered)
