"""A Comparison as plain data for the pair template.

The facts (labels, links, tooltips, drift spans, orderings, headline) come
from ``newstrace.report`` so the web page and the standalone HTML report
never disagree. Only the markup differs: here every string stays raw text
and the Jinja2 template escapes it, so no article text is ever marked safe.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..model import Change, Comparison, Sentence
from ..report._common import (
    b_links,
    boilerplate,
    direction_line,
    evidence_text,
    headline,
    only_in,
    points_to,
    ranked_omissions,
    sentence_text,
    side_name,
    split_drift,
    swap_note,
)
from ..report.html import LEGEND, drift_marks, sentence_facts

# Every drift mark gets an id so the explanation list can link to it.
MARK_ID = "m-{side}-{n}"


def pair_view(c: Comparison) -> dict:
    """Return everything the pair page shows, as plain data."""
    meaning, cosmetic = split_drift(c)
    return {
        "headline": headline(c),
        "verdict": c.verdict,
        "same_story": c.same_story,
        "score": c.same_story_score,
        "mode": c.mode,
        "swap_note": swap_note(c),
        "direction": _direction(c),
        "coverage": _coverage(c),
        "meaning": [_change(ch) for ch in meaning],
        "cosmetic_types": sorted({ch.type for ch in cosmetic}),
        "n_cosmetic": len(cosmetic),
        "legend": legend(),
        "columns": [_column(c, "a"), _column(c, "b")],
        "omissions": [
            {
                "ids": list(o.a),
                "salience": o.salience,
                "why": o.why,
                "text": sentence_text(c.a, o.a),
            }
            for o in ranked_omissions(c)
        ],
        "additions": [
            {
                "ids": list(x.b),
                "kind": x.kind,
                "credits": x.credits,
                "text": sentence_text(c.b, x.b),
            }
            for x in c.additions
        ],
        "n_boilerplate": len(boilerplate(c)),
    }


def legend() -> list[dict]:
    """Return the colour legend: one entry per sentence label, glyph and meaning."""
    return [
        {"label": k, "name": k.replace("_", "-"), "glyph": g, "text": t}
        for k, (g, t) in LEGEND.items()
    ]


def _direction(c: Comparison) -> dict:
    d = c.direction
    lacks = {"a": "A has, B lacks", "b": "B has, A lacks"}
    return {
        "source": d.source,
        "confidence": d.confidence,
        "line": direction_line(c),
        "only_in": [
            {"label": lacks[side], "text": text} for side, text in sorted(only_in(c).items())
        ]
        if d.source == "common_source"
        else [],
        "evidence": [
            {
                "kind": e.kind,
                "side": e.side,
                "about": e.about,
                "points_to": points_to(e),
                "weight": e.weight,
                "text": evidence_text(e, c),
            }
            for e in sorted(d.evidence, key=lambda e: -e.weight)
        ],
    }


def _coverage(c: Comparison) -> list[dict]:
    return [
        {"pct": _pct(v), "text": t.format(f"{_pct(v)}%")}
        for v, t in (
            (c.coverage_b_from_a, "{} of B comes from A"),
            (c.coverage_a_in_b, "B uses {} of A"),
        )
    ]


def _pct(v: float) -> int:
    return round(max(0.0, min(1.0, v)) * 100)


def _change(ch: Change) -> dict:
    return {
        "how": f"{ch.type}, {ch.direction}" if ch.direction else ch.type,
        "explanation": ch.explanation,
        "where": [(side, sp.sentence) for side, sp in (("a", ch.a_span), ("b", ch.b_span)) if sp],
    }


def _column(c: Comparison, side: str) -> dict:
    doc = c.a if side == "a" else c.b
    marks = drift_marks(c, side)
    # Built once per column: looking links up per sentence would be quadratic.
    index = c.alignment.a_to_b() if side == "a" else b_links(c)
    paras: dict[int, list[dict]] = {}
    for s in doc.sentences:
        paras.setdefault(s.paragraph, []).append(_sentence(c, side, s, index, marks.get(s.i, [])))
    art = doc.article
    return {
        "side": side,
        "name": side_name(doc, side),
        "role": _role(c, side),
        "language": doc.language,
        "title": art.title,
        "url": art.url,
        "url_is_web": bool(art.url) and urlsplit(art.url).scheme in ("http", "https"),
        "meta": [x for x in (art.published, art.byline, doc.language) if x],
        "paragraphs": [v for _, v in sorted(paras.items())],
    }


def _role(c: Comparison, side: str) -> str:
    if c.direction.source == "common_source":
        return "from a common source"
    if not c.direction.source:
        return ""
    return "source" if side == c.direction.source else "derivative"


def _sentence(c: Comparison, side: str, s: Sentence, index: dict, marks: list) -> dict:
    label, links, tip = sentence_facts(c, side, s, index)
    other = "b" if side == "a" else "a"
    return {
        "id": f"{side}-{s.i}",
        "n": f"{side.upper()}{s.i}",
        "label": label,
        "glyph": LEGEND.get(label, ("?", ""))[0],
        "tip": tip,
        "links": " ".join(f"{other}-{i}" for i in links),
        "segments": segments(s.text, marks),
    }


def segments(text: str, marks: list[tuple[int, int, Change]]) -> list[dict]:
    """Split ``text`` into plain and marked pieces, ``{"text", "mark"}`` each.

    ``mark`` is None or ``{"cls", "tip"}``. Spans are clamped to the text and
    clipped where they overlap an earlier one; one left empty is dropped (its
    change is still listed in the header).
    """
    out, pos = [], 0
    for start, end, ch in sorted(marks, key=lambda m: (m[0], -m[1])):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            out.append({"text": text[pos:start], "mark": None})
        out.append({"text": text[start:end], "mark": _mark(ch)})
        pos = end
    if pos < len(text) or not out:
        out.append({"text": text[pos:], "mark": None})
    return out


def _mark(ch: Change) -> dict:
    how = ch.type + (f", {ch.direction}" if ch.direction else "")
    return {
        "cls": "drift" if ch.severity == "meaning" else "drift cosmetic",
        "tip": f"{how}: {ch.explanation}",
    }
