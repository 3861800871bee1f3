"""The provenance graph's layered layout (web/layered.py), as plain geometry.

Every drawing is checked for what the page promises: no two boxes (articles
and edge labels) overlap, no line runs through a box other than its own two
ends and its own label, text fits its box, and the drawing is deterministic.
Hypothesis draws random graphs, cycles and hostile names included.
"""

from __future__ import annotations

import copy
import re
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.web import layered
from newstrace.web.layered import DESKTOP, PHONE, Geometry, edge_text, layout
from newstrace.web.provenance import drawings, story_detail
from newstrace.web.textwidth import fit, text_width

from .graph_geometry import segment_hits_box
from .graph_stories import HOSTILE, LONG, story6, story20


def arts(*ids, outlet=None):
    return [
        {"id": i, "outlet": outlet or i.upper(), "published": f"2026-01-01T0{n % 10}:00:00Z"}
        for n, i in enumerate(ids)
    ]


def edge(s, t, kind="rewrite", confidence=0.5):
    return {"source": s, "target": t, "kind": kind, "confidence": confidence}


def points(d: str) -> list[tuple[float, float]]:
    """Return an SVG path of M, L and C commands as a polyline (each cubic sampled 24 times)."""
    out: list[tuple[float, float]] = []
    for cmd, args in re.findall(r"([MLC])([^MLC]*)", d):
        nums = [float(x) for x in re.findall(r"-?[\d.]+(?:e-?\d+)?", args)]
        pts = list(zip(nums[::2], nums[1::2]))
        if cmd in "ML":
            out += pts
        else:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = out[-1], *pts
            for k in range(1, 25):
                t = k / 24
                a, b, c, e = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
                out.append((a * x0 + b * x1 + c * x2 + e * x3, a * y0 + b * y1 + c * y2 + e * y3))
    return out


def boxes(g: dict) -> list[tuple[str, int, list[float]]]:
    out = [
        ("node", k, [n["x"], n["y"], n["x"] + n["w"], n["y"] + n["h"]])
        for k, n in enumerate(g["nodes"])
    ]
    out += [
        (
            "label",
            k,
            [
                e["lx"] - e["lw"] / 2,
                e["ly"] - e["lh"] / 2,
                e["lx"] + e["lw"] / 2,
                e["ly"] + e["lh"] / 2,
            ],
        )
        for k, e in enumerate(g["edges"])
    ]
    return out


def faults(g: dict) -> list[str]:
    """Return every overlap of two boxes and every line through a box that is not its own."""
    found, bs = [], boxes(g)
    index = {n["id"]: k for k, n in enumerate(g["nodes"])}
    for i, (ka, a, ba) in enumerate(bs):
        if ba[0] < 0 or ba[1] < 0 or ba[2] > g["width"] or ba[3] > g["height"]:
            found.append(f"{ka} {a} outside the drawing")
        for kb, b, bb in bs[i + 1 :]:
            if (
                min(ba[2], bb[2]) - max(ba[0], bb[0]) > 0
                and min(ba[3], bb[3]) - max(ba[1], bb[1]) > 0
            ):
                found.append(f"{ka} {a} overlaps {kb} {b}")
    for k, e in enumerate(g["edges"]):
        mine = {("node", index[e["source"]]), ("node", index[e["target"]]), ("label", k)}
        line = points(e["d"])
        for kind, n, box in bs:
            if (kind, n) not in mine and any(
                segment_hits_box(p, q, box) for p, q in pairwise(line)
            ):
                found.append(f"edge {k} crosses {kind} {n}")
    return found


def graph(doc: dict) -> dict:
    return story_detail(doc)


def test_origins_sit_on_top_and_derivatives_below_their_sources():
    g = layout(arts("o", "a", "b"), [edge("o", "a"), edge("a", "b")], ["o"])
    y = {n["id"]: n["y"] for n in g["nodes"]}
    assert y["o"] == DESKTOP.pad < y["a"] < y["b"]
    assert g["height"] >= y["b"] + DESKTOP.node_h
    assert [n["depth"] for n in g["nodes"]] == [0, 1, 2]


def test_an_edge_into_an_origin_and_a_cycle_are_drawn_upwards_and_every_node_placed():
    g = layout(arts("a", "b", "c"), [edge("a", "b"), edge("b", "c"), edge("c", "a")], [])
    assert {n["id"] for n in g["nodes"]} == {"a", "b", "c"} and len(g["edges"]) == 3
    assert not faults(g)
    g = layout(arts("o", "a"), [edge("a", "o")], ["o"])
    y = {n["id"]: n["y"] for n in g["nodes"]}
    line = points(g["edges"][0]["d"])
    assert y["o"] < y["a"] and line[0][1] > line[-1][1]  # from a (below) up to o
    assert not faults(g)


def test_a_label_sits_on_its_edge_just_above_its_target():
    g = layout(arts("o", "a", "b"), [edge("o", "a"), edge("a", "b"), edge("o", "b")], ["o"])
    nodes = {n["id"]: n for n in g["nodes"]}
    for e in g["edges"]:
        line, t = points(e["d"]), nodes[e["target"]]
        box = [
            e["lx"] - e["lw"] / 2,
            e["ly"] - e["lh"] / 2,
            e["lx"] + e["lw"] / 2,
            e["ly"] + e["lh"] / 2,
        ]
        assert any(segment_hits_box(p, q, box) for p, q in pairwise(line))  # the line runs under it
        assert 0 < t["y"] - (e["ly"] + e["lh"] / 2) <= DESKTOP.band
    assert not faults(g)


def test_edge_labels_name_the_kind_and_confidence():
    assert edge_text({"kind": "common_source", "confidence": 0.6}) == "common source 0.60"
    assert edge_text({"kind": "credits", "confidence": None}) == "credits"
    # the sentence analysis's confidence (compare's) when the edge has one
    measured = {"kind": "credits", "confidence": 0.0, "measured": {"confidence": 0.94}}
    assert edge_text(measured) == "credits 0.94"


def test_the_fictional_stories_draw_without_faults_within_the_width():
    for make in (story6, story20):
        s = graph(make())
        for v, g in drawings(s["nodes"], s["edges"], s["origins"]).items():
            geo = DESKTOP if v == "desktop" else PHONE
            assert not faults(g), (make.__name__, v, faults(g)[:5])
            assert g["width"] <= geo.max_width, (make.__name__, v, g["width"])
            assert len(g["nodes"]) == len(s["nodes"]) and len(g["edges"]) == len(s["edges"])


def test_long_and_hostile_names_are_cut_to_fit_and_kept_as_text():
    s = graph(story6())
    g = layout(s["nodes"], s["edges"], s["origins"])
    names = {n["id"]: n["line1"] for n in g["nodes"]}
    assert names["g02"].endswith("…") and LONG.startswith(names["g02"][:-1])
    assert HOSTILE.startswith(names["g04"].rstrip("…"))  # raw text: the template escapes it
    for n in g["nodes"]:
        room = n["w"] - 2 * DESKTOP.text_pad
        assert text_width(n["line1"], layered.OUTLET_PX) <= room + 0.01
        assert text_width(n["line2"], layered.TIME_PX) <= room + 0.01


def test_the_drawing_is_deterministic_and_leaves_its_input_alone():
    s = graph(story20())
    before = copy.deepcopy(s)
    one = drawings(s["nodes"], s["edges"], s["origins"])
    assert s == before
    assert drawings(s["nodes"], s["edges"], s["origins"]) == one


def test_fit():
    assert fit("Kestrel Wire", 200, 13) == "Kestrel Wire"
    assert fit("two\nlines  here", 500, 13) == "two lines here"
    cut = fit("x" * 200, 100, 13)
    assert cut.endswith("…") and text_width(cut, 13) <= 100
    assert text_width("東京", 10) > text_width("ab", 10)  # wide characters count 1 em


names = st.one_of(
    st.text(min_size=0, max_size=60),
    st.sampled_from([HOSTILE, LONG, "Вечерний Курьер", "مراسل الخليج", "東京ニュース"]),
)


@st.composite
def graphs(draw):
    n = draw(st.integers(1, 14))
    ids = [f"n{i}" for i in range(n)]
    nodes = [{"id": i, "outlet": draw(names), "published": None} for i in ids]
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=24))
    kinds = st.sampled_from(["verbatim", "rewrite", "credits", "undetermined", "common_source"])
    edges = [edge(s, t, draw(kinds), draw(st.none() | st.floats(0, 1))) for s, t in pairs]
    origins = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
    return nodes, edges, origins


@settings(max_examples=60, deadline=None)
@given(graphs(), st.sampled_from([DESKTOP, PHONE, Geometry(max_width=200)]))
def test_random_graphs_draw_without_overlaps_or_lines_through_boxes(g, geo):
    nodes, edges, origins = g
    drawn = layout(nodes, edges, origins, geo)
    assert not faults(drawn), faults(drawn)[:5]
    assert len(drawn["nodes"]) == len(nodes)
    assert len(drawn["edges"]) == sum(1 for e in edges if e["source"] != e["target"])


def test_an_empty_graph_has_a_size_and_nothing_in_it():
    g = layout([], [], [])
    assert g["nodes"] == g["edges"] == [] and g["width"] > 0 and g["height"] > 0
