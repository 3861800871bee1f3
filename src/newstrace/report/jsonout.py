"""A Comparison as versioned JSON (schema ``newstrace.comparison/2``).

The shape is documented field by field in ``docs/schema.md`` and checked by
``docs/comparison.schema.json``. ``comparison_from_dict`` reads it back, so
stored or served JSON can be rendered again (``to_dict(from_dict(d)) == d``).
"""

from __future__ import annotations

import json

from ..errors import MalformedInput
from ..model import (
    Addition,
    Alignment,
    Article,
    Change,
    Comparison,
    Direction,
    Document,
    Evidence,
    Link,
    Omission,
    Sentence,
    Span,
)
from ._common import a_label, b_links, derivative_side

SCHEMA = "newstrace.comparison/2"
READABLE = ("newstrace.comparison/1", SCHEMA)  # /1 reads back as /2 without common sources
_META = ("id", "outlet", "url", "title", "published", "byline", "source")


def comparison_to_dict(c: Comparison) -> dict:
    """Return ``c`` as plain JSON-ready data in the ``newstrace.comparison/2`` shape."""
    return {
        "schema": SCHEMA,
        "mode": c.mode,
        "a": _doc_meta(c.a),
        "b": _doc_meta(c.b),
        "same_story": c.same_story,
        "same_story_score": _num(c.same_story_score),
        "verdict": c.verdict,
        "derivative": derivative_side(c),
        "swapped": bool(getattr(c, "swapped", False)),
        "direction": _direction(c.direction),
        "coverage": {"b_from_a": _num(c.coverage_b_from_a), "a_in_b": _num(c.coverage_a_in_b)},
        "sentences": {"a": _a_sentences(c), "b": _b_sentences(c)},
        "boilerplate": _boilerplate(c),
        "omissions": [
            {"a": list(o.a), "salience": _num(o.salience), "why": o.why} for o in c.omissions
        ],
        "additions": [{"b": list(x.b), "kind": x.kind, "credits": x.credits} for x in c.additions],
        "drift_source": c.drift_source,
        "drift": [_change(ch) for ch in c.drift],
    }


def to_json(c: Comparison) -> str:
    """Return ``c`` as stable JSON text: sorted keys, indent 2, UTF-8 kept as is."""
    return json.dumps(comparison_to_dict(c), sort_keys=True, ensure_ascii=False, indent=2)


def _num(x: float) -> float:
    # Rounded so the same comparison prints the same digits on every platform.
    return round(float(x), 4)


def _doc_meta(doc: Document) -> dict:
    meta = {k: getattr(doc.article, k) for k in _META}
    meta["language"] = doc.language
    return meta


def _direction(d: Direction) -> dict:
    return {
        "source": d.source,
        "confidence": _num(d.confidence),
        "evidence": [
            {
                "kind": e.kind,
                "side": e.side,
                "about": e.about,
                "text": e.text,
                "weight": _num(e.weight),
            }
            for e in d.evidence
        ],
    }


def _a_sentences(c: Comparison) -> list[dict]:
    uses = c.alignment.a_to_b()
    return [
        {
            "i": s.i,
            "text": s.text,
            "label": a_label(c, s.i),
            "paragraph": s.paragraph,
            "to": list(uses.get(s.i, ())),
        }
        for s in c.a.sentences
    ]


def _b_sentences(c: Comparison) -> list[dict]:
    links = b_links(c)
    out = []
    for s in c.b.sentences:
        link = links.get(s.i)
        # A B sentence with no link is treated as new (or boilerplate): nothing points to A.
        label = link.label if link else ("boilerplate" if s.boilerplate else "new")
        out.append(
            {
                "i": s.i,
                "text": s.text,
                "label": label,
                "paragraph": s.paragraph,
                "from": list(link.a) if link else [],
                "score": _num(link.score) if link else 0.0,
            }
        )
    return out


def _boilerplate(c: Comparison) -> list[dict]:
    return [
        {"side": side, "i": s.i, "text": s.text, "rule": s.boilerplate}
        for side, doc in (("a", c.a), ("b", c.b))
        for s in doc.sentences
        if s.boilerplate
    ]


def _span(sp: Span | None) -> list[int] | None:
    return [sp.sentence, sp.start, sp.end] if sp else None


def _change(ch: Change) -> dict:
    return {
        "type": ch.type,
        "severity": ch.severity,
        "direction": ch.direction,
        "explanation": ch.explanation,
        "a_span": _span(ch.a_span),
        "b_span": _span(ch.b_span),
        "a_text": ch.a_text,
        "b_text": ch.b_text,
        "confidence": _num(ch.confidence),
    }


# --- reading it back -------------------------------------------------------


def comparison_from_dict(d: dict) -> Comparison:
    """Rebuild a Comparison from :func:`comparison_to_dict` output.

    Document text is rebuilt from the sentences (spaces within a paragraph,
    blank lines between), so offsets may differ from the original; timings
    are not kept. Reads versions 1 and 2; raises MalformedInput for any other.
    """
    if not isinstance(d, dict) or d.get("schema") not in READABLE:
        got = d.get("schema") if isinstance(d, dict) else type(d).__name__
        raise MalformedInput(
            f"expected a {SCHEMA} comparison, got schema {got!r}",
            hint="produce it with newstrace.report.jsonout.to_json",
        )
    a, b = _doc(d["a"], d["sentences"]["a"], d), _doc(d["b"], d["sentences"]["b"], d)
    dr = d["direction"]
    return Comparison(
        a=a,
        b=b,
        alignment=_alignment(d),
        same_story=d["same_story"],
        same_story_score=d["same_story_score"],
        verdict=d["verdict"],
        direction=Direction(
            dr["source"], dr["confidence"], tuple(Evidence(**e) for e in dr["evidence"])
        ),
        coverage_b_from_a=d["coverage"]["b_from_a"],
        coverage_a_in_b=d["coverage"]["a_in_b"],
        omissions=tuple(Omission(tuple(o["a"]), o["salience"], o["why"]) for o in d["omissions"]),
        additions=tuple(Addition(tuple(x["b"]), x["kind"], x["credits"]) for x in d["additions"]),
        drift=tuple(_change_back(ch) for ch in d["drift"]),
        drift_source=d["drift_source"],
        mode=d["mode"],
        **_swapped(d),
    )


def _swapped(d: dict) -> dict:
    # Comparison.swapped arrived with compare; older models have no such field.
    return {"swapped": d["swapped"]} if "swapped" in Comparison.__dataclass_fields__ else {}


def _doc(meta: dict, sents: list[dict], d: dict) -> Document:
    side = "a" if meta is d["a"] else "b"
    rules = {x["i"]: x["rule"] for x in d["boilerplate"] if x["side"] == side}
    text, built = "", []
    for k, s in enumerate(sents):
        if k:
            text += "\n\n" if s["paragraph"] != sents[k - 1]["paragraph"] else " "
        built.append(
            Sentence(
                s["i"],
                s["text"],
                len(text),
                len(text) + len(s["text"]),
                s["paragraph"],
                rules.get(s["i"]),
            )
        )
        text += s["text"]
    art = Article(text=text, language=meta["language"], **{k: meta[k] for k in _META})
    return Document(article=art, text=text, language=meta["language"], sentences=tuple(built))


def _alignment(d: dict) -> Alignment:
    links = tuple(
        Link(s["i"], tuple(s["from"]), s["label"], s["score"]) for s in d["sentences"]["b"]
    )
    return Alignment(links, tuple(s["label"] for s in d["sentences"]["a"]), d["mode"])


def _change_back(ch: dict) -> Change:
    def span(v):
        return Span(*v) if v else None

    # "confidence" arrived after newstrace.comparison/1 was first published: older JSON reads as
    # 1.0.
    return Change(
        ch["type"],
        ch["severity"],
        ch["explanation"],
        ch["direction"],
        span(ch["a_span"]),
        span(ch["b_span"]),
        ch["a_text"],
        ch["b_text"],
        float(ch.get("confidence", 1.0)),
    )
