"""Fictional ``newstrace.story/2`` documents of 6 and 20 articles, for drawing the graph.

Built by hand rather than by the pipeline, so the graph's shape is known: a
wire story, syndicated copies (one wide generation), rewrites of rewrites,
merges (an article with two sources), edges that skip a generation, an
absent common source, and outlet names that are long, non-Latin or hostile
markup. Every name and event here is made up.
"""

from __future__ import annotations

HOSTILE = "<img src=x onerror=alert('graph')>"
LONG = "The Orlin Evening Standard and Weekly Coastal Chronicle of the Northern Isles"


def _art(i: int, outlet: str, minute: int, language: str = "en") -> dict:
    h, m = divmod(7 * 60 + minute, 60)
    return {
        "id": f"g{i:02d}",
        "name": outlet,
        "outlet": outlet,
        "url": f"https://outlet{i}.example/ferry",
        "title": f"Orlin Bay ferry crews strike over rosters ({outlet})",
        "published": f"2026-05-11T{h:02d}:{m:02d}:00+00:00",
        "language": language,
        "role": "derivative",
    }


def _edge(source: str, target: str, kind: str, confidence: float) -> dict:
    verdict = "wholly_derived" if kind == "derived" and confidence > 0.9 else "partially_derived"
    evidence = [{"kind": "containment", "side": None, "weight": 0.5, "text": "shared sentences"}]
    if kind == "credits":
        evidence.append(
            {"kind": "attribution", "side": "b", "weight": 0.6, "text": "Tidewater Wire reports"}
        )
    return {
        "source": source,
        "derivative": target,
        "kind": kind,
        "verdict": verdict,
        "confidence": confidence,
        "coverage": 0.7,
        "evidence": evidence,
    }


def _doc(sid: str, arts: list[dict], edges: list[dict], copies: list[str], virtual=()) -> dict:
    arts[0]["role"] = "origin"
    for a in arts:
        if a["id"] in copies:
            a["role"] = "copy"
    group = [arts[0]["id"], *copies]
    roots = [[v["id"]] for v in virtual] + [group]
    return {
        "schema": "newstrace.story/2",
        "kind": "story",
        "id": sid,
        "title": "Orlin Bay ferry crews strike over rosters",
        "n_articles": len(arts),
        "n_outlets": len({a["outlet"] for a in arts}),
        "outlets": sorted({a["outlet"] for a in arts}),
        "languages": sorted({a["language"] for a in arts}),
        "independent_sources": len(roots),
        "origin": arts[0]["id"],
        "origin_outlet": arts[0]["outlet"],
        "first_published": arts[0]["published"],
        "last_published": arts[-1]["published"],
        "roots": roots,
        "syndication_groups": [group] if copies else [],
        "articles": arts,
        "virtual": list(virtual),
        "edges": edges,
        "tree": [],
    }


def story6() -> dict:
    """Six articles in four generations: a copy, a long and a hostile name, a merge, a skip."""
    arts = [
        _art(0, "Tidewater Wire", 0),
        _art(1, "Harbour Gazette", 25),
        _art(2, LONG, 50),
        _art(3, "Вечерний Курьер", 95, "ru"),
        _art(4, HOSTILE, 130),
        _art(5, "Bayside Radio", 170),
    ]
    edges = [
        _edge("g00", "g02", "derived", 0.71),
        _edge("g02", "g03", "derived", 0.52),
        _edge("g00", "g03", "credits", 0.88),
        _edge("g02", "g04", "derived", 0.44),
        _edge("g03", "g05", "undetermined", 0.0),
        _edge("g04", "g05", "derived", 0.63),
        _edge("g00", "g05", "credits", 0.9),
    ]
    return _doc("graph-six", arts, edges, ["g01"])


def story20() -> dict:
    """Twenty nodes: nineteen articles (six copies of the wire, rewrites to the fourth
    generation, merges, skips, long, non-Latin and hostile names) and an absent release
    that two of them rewrite."""
    names = [
        "Tidewater Wire", "Harbour Gazette", "Isle Daily", "Northern Post", "Orlin Times",
        "Coast FM News", "The Ferry Ledger", "Quay Observer", LONG, "Вечерний Курьер",
        HOSTILE, "Bayside Radio", "Δελτίο Νησιών", "مراسل الخليج", "Port Seren Herald",
        "Strandbladet", "Le Courrier des Îles", "Morning Tide", "Ansel Gazette",
    ]  # fmt: skip
    langs = {9: "ru", 12: "el", 13: "ja", 15: "da", 16: "fr"}
    arts = [_art(i, n, 10 * i, langs.get(i, "en")) for i, n in enumerate(names)]
    d = [
        ("g00", "g08", "derived", 0.74), ("g00", "g09", "credits", 0.86),
        ("g00", "g10", "derived", 0.41), ("g00", "g11", "derived", 0.66),
        ("g08", "g12", "derived", 0.58), ("g09", "g13", "derived", 0.49),
        ("g00", "g13", "credits", 0.8), ("g10", "g14", "derived", 0.35),
        ("g11", "g14", "undetermined", 0.0), ("g08", "g15", "derived", 0.62),
        ("g12", "g16", "derived", 0.55), ("g14", "g16", "credits", 0.77),
        ("g00", "g17", "credits", 0.9), ("g15", "g17", "derived", 0.47),
        ("vr", "g07", "common_source", 0.6), ("vr", "g18", "common_source", 0.6),
    ]  # fmt: skip
    edges = [_edge(*e) for e in d]
    virtual = [
        {
            "id": "vr", "outlet": None, "url": None, "title": "source not in the corpus",
            "published": None, "language": None, "virtual": True,
            "label": "source not in the corpus", "members": ["g07", "g18"],
        }
    ]  # fmt: skip
    return _doc("graph-twenty", arts, edges, [f"g{i:02d}" for i in range(1, 7)], virtual)
