"""A Comparison as one standalone, side-by-side HTML page.

No external resources: CSS and a small script are inline, and a Content
Security Policy allows only that script (by hash), so the page works from a
file, an e-mail attachment or an archive. Every piece of article text and
metadata goes through :func:`html.escape`; the CSP is a second line of
defence, not the first.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from importlib import resources
from urllib.parse import urlsplit

from ..model import Change, Comparison, Document, Sentence
from ._common import (
    a_label,
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

_DOT = " \u00b7 "

# Label -> (glyph shown next to the sentence number, legend text). The glyph
# keeps the label readable without colour.
LEGEND = {
    "verbatim": ("=", "verbatim copy"),
    "near_verbatim": ("\u2248", "near-verbatim"),
    "paraphrase": ("~", "paraphrase"),
    "new": ("+", "new in B"),
    "kept": ("\u2713", "A, used by B"),
    "omitted": ("\u2212", "A, left out of B"),
    "boilerplate": ("\u00b7", "boilerplate"),
}


def render_html(c: Comparison) -> str:
    """Return a complete standalone HTML page (UTF-8 text) for ``c``."""
    title = escape(headline(c))
    body = "\n".join((_header(c), _legend(), _columns(c), _lists(c)))
    return (
        f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        f"<title>newstrace: {title}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n<script>{_JS}</script>\n</body>\n</html>\n"
    )


# --- header ----------------------------------------------------------------


def _header(c: Comparison) -> str:
    story = "same story" if c.same_story else "not the same story"
    return (
        f'<header>\n<p class="kicker">newstrace comparison</p>\n'
        f'<h1 class="verdict v-{escape(c.verdict)}">{escape(headline(c))}</h1>\n'
        f'<p class="meta">{story} \u00b7 score {c.same_story_score:.2f} \u00b7 '
        f"verdict <code>{escape(c.verdict)}</code> \u00b7 mode {escape(c.mode)}"
        f"{_DOT + escape(swap_note(c)) if swap_note(c) else ''}</p>\n"
        f'<div class="cards">{_direction(c)}{_coverage(c)}{_drift_card(c)}</div>\n'
        f"</header>"
    )


def _direction(c: Comparison) -> str:
    d = c.direction
    src = f"{escape(direction_line(c))} (confidence {d.confidence:.2f})"
    if d.source == "common_source":
        lacks = {"a": "A has, B lacks", "b": "B has, A lacks"}
        src += "".join(
            f'<br><span class="only-in"><b>{lacks[side]}:</b> {escape(text)}</span>'
            for side, text in sorted(only_in(c).items())
        )
    rows = "".join(
        f"<tr><td>{escape(e.kind)}</td><td>{escape(points_to(e))}"
        f'</td><td class="num">{e.weight:.2f}</td><td>{escape(evidence_text(e, c))}</td></tr>'
        for e in sorted(d.evidence, key=lambda e: -e.weight)
    )
    table = (
        f'<table class="evidence"><thead><tr><th>kind</th><th>points to</th>'
        f"<th>weight</th><th>evidence</th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else "<p>No evidence.</p>"
    )
    return f'<section class="card"><h2>Direction</h2><p>{src}</p>{table}</section>'


def _coverage(c: Comparison) -> str:
    bars = "".join(
        f'<div class="bar"><span class="fill" style="width:{_pct(v)}%"></span></div>'
        f"<p>{text.format(f'{_pct(v)}%')}</p>"
        for v, text in (
            (c.coverage_b_from_a, "{} of B comes from A"),
            (c.coverage_a_in_b, "B uses {} of A"),
        )
    )
    n_bp = len(boilerplate(c))
    return (
        f'<section class="card"><h2>Coverage</h2>{bars}'
        f'<p class="muted">{n_bp} boilerplate sentence(s) ignored</p></section>'
    )


def _pct(v: float) -> int:
    return round(max(0.0, min(1.0, v)) * 100)


def _drift_card(c: Comparison) -> str:
    meaning, cosmetic = split_drift(c)
    items = "".join(f"<li>{_change_line(ch)}</li>" for ch in meaning)
    items = f'<ol class="changes">{items}</ol>' if items else "<p>none found</p>"
    more = (
        f'<p class="muted">+ {len(cosmetic)} cosmetic change(s): '
        f"{escape(', '.join(sorted({ch.type for ch in cosmetic})))}</p>"
        if cosmetic
        else ""
    )
    return (
        f'<section class="card drift-card"><h2>Meaning changes ({len(meaning)})</h2>'
        f"{items}{more}</section>"
    )


def _change_line(ch: Change) -> str:
    how = f"{ch.type}, {ch.direction}" if ch.direction else ch.type
    where = " ".join(
        f'<a href="#{side}-{sp.sentence}">{side.upper()}{sp.sentence}</a>'
        for side, sp in (("a", ch.a_span), ("b", ch.b_span))
        if sp
    )
    return f'<b>[{escape(how)}]</b> {escape(ch.explanation)} <span class="where">{where}</span>'


# --- legend and columns ----------------------------------------------------


def _legend() -> str:
    items = "".join(
        f'<li><span class="s l-{k}"><sup class="n">{escape(g)}</sup>'
        f"{escape(k.replace('_', '-'))}</span> {escape(text)}</li>"
        for k, (g, text) in LEGEND.items()
    )
    return (
        f'<nav class="legend" aria-label="legend"><ul>{items}'
        f'<li><mark class="drift">marked</mark> meaning changed</li>'
        f'<li><mark class="drift cosmetic">marked</mark> cosmetic change</li></ul>'
        f'<p class="muted">Hover or click a sentence to highlight its counterpart.</p></nav>'
    )


def _columns(c: Comparison) -> str:
    return f'<main class="cols">\n{_column(c, "a")}\n{_column(c, "b")}\n</main>'


def _column(c: Comparison, side: str) -> str:
    doc = c.a if side == "a" else c.b
    role = {c.direction.source: "source"}.get(side, "derivative" if c.direction.source else "")
    paras: dict[int, list[str]] = {}
    marks = drift_marks(c, side)
    # Built once per column: looking links up per sentence would be quadratic.
    index = c.alignment.a_to_b() if side == "a" else b_links(c)
    for s in doc.sentences:
        paras.setdefault(s.paragraph, []).append(_sentence(c, side, s, index, marks.get(s.i, [])))
    body = "\n".join(f'<p class="para">{" ".join(v)}</p>' for _, v in sorted(paras.items()))
    role_tag = f' <small class="role">{role}</small>' if role else ""
    return (
        f'<article class="col" id="col-{side}" lang="{escape(doc.language)}">'
        f"<h2>{side.upper()} \u00b7 {escape(side_name(doc, side))}{role_tag}</h2>"
        f"{_doc_meta(doc)}\n{body}</article>"
    )


def _doc_meta(doc: Document) -> str:
    art = doc.article
    title = f"<h3>{escape(art.title)}</h3>" if art.title else ""
    bits = [escape(x) for x in (art.published, art.byline, doc.language) if x]
    if art.url:
        bits.append(_link(art.url))
    return f'{title}<p class="doc-meta">{_DOT.join(bits)}</p>'


def _link(url: str) -> str:
    # Only web links become clickable: a javascript: URL stays inert text.
    if urlsplit(url).scheme in ("http", "https"):
        return f'<a href="{escape(url)}" rel="noopener noreferrer">{escape(url)}</a>'
    return f'<span class="url">{escape(url)}</span>'


def _sentence(c: Comparison, side: str, s: Sentence, index: dict, marks: list) -> str:
    label, links, tip = sentence_facts(c, side, s, index)
    glyph = LEGEND.get(label, ("?", ""))[0]
    ids = " ".join(f"{'b' if side == 'a' else 'a'}-{i}" for i in links)
    return (
        f'<span class="s l-{escape(label)}" id="{side}-{s.i}" tabindex="0" '
        f'data-links="{ids}" title="{escape(tip)}"><sup class="n">'
        f"{side.upper()}{s.i}\u2009{escape(glyph)}</sup>{_marked_text(s.text, marks)}</span>"
    )


def sentence_facts(c: Comparison, side: str, s: Sentence, index: dict) -> tuple[str, tuple, str]:
    """Return (label, linked sentence indices on the other side, tooltip).

    ``index`` maps A sentences to the B ones using them (side "a") or B
    sentences to their Link (side "b").
    """
    if side == "a":
        label, links = a_label(c, s.i), index.get(s.i, ())
        used = f"; used by {', '.join(f'B{i}' for i in links)}" if links else ""
        return label, links, f"A{s.i}: {label}{used}"
    link = index.get(s.i)
    if link is None:
        label = "boilerplate" if s.boilerplate else "new"
        return label, (), f"B{s.i}: {label}"
    src = f"; from {', '.join(f'A{i}' for i in link.a)}" if link.a else ""
    return link.label, link.a, f"B{s.i}: {link.label}{src}; score {link.score:.2f}"


# --- inline drift marks ----------------------------------------------------


def drift_marks(c: Comparison, side: str) -> dict[int, list[tuple[int, int, Change]]]:
    """Map sentence index -> [(start, end, change)] for the drift spans on one side."""
    out: dict[int, list] = {}
    for ch in c.drift:
        sp = ch.a_span if side == "a" else ch.b_span
        if sp is not None:
            out.setdefault(sp.sentence, []).append((sp.start, sp.end, ch))
    return out


def _marked_text(text: str, marks: list[tuple[int, int, Change]]) -> str:
    """Return escaped ``text`` with each drift span wrapped in ``<mark>``.

    Spans are clamped to the sentence; one that overlaps an earlier span is
    dropped (its change is still listed in the header).
    """
    out, pos = [], 0
    for start, end, ch in sorted(marks, key=lambda m: (m[0], -m[1])):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        cls = "drift" if ch.severity == "meaning" else "drift cosmetic"
        tip = f"{ch.type}" + (f", {ch.direction}" if ch.direction else "") + f": {ch.explanation}"
        out.append(escape(text[pos:start]))
        out.append(f'<mark class="{cls}" title="{escape(tip)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


# --- omissions and additions -----------------------------------------------


def _lists(c: Comparison) -> str:
    om = "".join(
        f'<li><a href="#a-{o.a[0] if o.a else 0}">{", ".join(f"A{i}" for i in o.a)}</a> '
        f'<span class="tag">salience {o.salience:.2f} \u00b7 {escape(o.why)}</span>'
        f"<blockquote>{escape(sentence_text(c.a, o.a))}</blockquote></li>"
        for o in ranked_omissions(c)
    )
    ad = "".join(
        f'<li><a href="#b-{x.b[0] if x.b else 0}">{", ".join(f"B{i}" for i in x.b)}</a> '
        f'<span class="tag">{escape(x.kind)}'
        f"{_DOT + 'credits ' + escape(x.credits) if x.credits else ''}</span>"
        f"<blockquote>{escape(sentence_text(c.b, x.b))}</blockquote></li>"
        for x in c.additions
    )
    return (
        f'<section class="lists"><div><h2>Omitted from A ({len(c.omissions)}), '
        f"most salient first</h2>{_ol(om)}</div>"
        f"<div><h2>Added in B ({len(c.additions)})</h2>{_ol(ad)}</div></section>"
    )


def _ol(items: str) -> str:
    return f"<ol>{items}</ol>" if items else '<p class="muted">none</p>'


# --- static assets ---------------------------------------------------------

# The page's own frame; the comparison styles are shared with the web UI (data/comparison.css).
_PAGE_CSS = """
:root{--ink:#1d1d1f;--muted:#6b6b70;--line:#d9d9de;--bg:#fafafa;--card:#fff;--hl:#1a5fb4}
*{box-sizing:border-box}
body{margin:0;padding:16px 24px 40px;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,
 sans-serif;color:var(--ink);background:var(--bg)}
h1{font-size:1.45rem;margin:.1rem 0 .3rem;line-height:1.25}
h2{font-size:1rem;margin:0 0 .4rem}
h3{font-size:1.05rem;margin:.2rem 0}
.kicker{margin:0;color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.06em}
.meta,.muted{color:var(--muted);font-size:.88rem;margin:.2rem 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px;
 min-width:0}
.card p{margin:.2rem 0}
code{font-size:.85em}
@media (max-width:700px){body{padding:10px 10px 30px}h1{font-size:1.2rem}}
"""
_CSS = _PAGE_CSS + resources.files("newstrace.data").joinpath("comparison.css").read_text(
    encoding="utf-8"
)

_JS = """
(function(){
var pinned=null;
function linked(el){return (el.getAttribute('data-links')||'').split(' ').filter(Boolean)
 .map(function(id){return document.getElementById(id);}).filter(Boolean);}
function show(el,on){el.classList.toggle('active',on);
 linked(el).forEach(function(x){x.classList.toggle('hl',on);});}
function seen(el){var r=el.getBoundingClientRect();return r.top>=0&&r.bottom<=innerHeight;}
function pick(el){var was=pinned;if(pinned){show(pinned,false);pinned=null;}
 if(was===el)return;pinned=el;show(el,true);
 var t=linked(el)[0];if(t&&!seen(t))t.scrollIntoView({block:'center',behavior:'smooth'});}
document.querySelectorAll('.cols .s').forEach(function(el){
 el.addEventListener('mouseenter',function(){if(!pinned)show(el,true);});
 el.addEventListener('mouseleave',function(){if(!pinned)show(el,false);});
 el.addEventListener('click',function(){pick(el);});
 el.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();
  pick(el);}});
});
})();
"""

# The script is allowed by its hash, so no injected inline script could run.
_JS_HASH = base64.b64encode(hashlib.sha256(_JS.encode()).digest()).decode()
_CSP = (
    f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_JS_HASH}'; img-src data:"
)
