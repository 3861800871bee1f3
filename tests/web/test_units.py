"""The web layer's pure parts: edge kinds, timeline, drift segments, guards, serve."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newstrace.errors import ConfigError
from newstrace.model import Change
from newstrace.web import provenance as pv
from newstrace.web import serve
from newstrace.web.pairview import segments
from newstrace.web.security import is_loopback, token_ok
from newstrace.web.timeline import after, short_time, timeline


def arts(*ids):
    return [
        {"id": i, "outlet": i.upper(), "published": f"2026-01-01T0{n}:00:00Z"}
        for n, i in enumerate(ids)
    ]


def edge(s, t, kind="rewrite"):
    return {"source": s, "target": t, "kind": kind}


# -- provenance ---------------------------------------------------------------


# The graph's layout is tested in test_layered.py.


@pytest.mark.parametrize(
    "e, kind",
    [
        ({"kind": "derived", "verdict": "wholly_derived", "coverage": 0.97}, "verbatim"),
        ({"kind": "derived", "verdict": "wholly_derived", "coverage": 0.6}, "rewrite"),
        ({"kind": "derived", "verdict": "partially_derived", "coverage": 0.99}, "rewrite"),
        ({"kind": "credits", "verdict": "not_derived"}, "credits"),
        ({"kind": "undetermined", "verdict": "partially_derived"}, "undetermined"),
    ],
)
def test_edge_kinds(e, kind):
    assert pv.edge_kind(e) == kind


def test_story_detail_adds_origins_and_copy_edges():
    doc = {
        "roots": [["w", "c"], ["x"]],
        "origin": "w",
        "independent_sources": 2,
        "articles": [{"id": i} for i in "wcxd"],
        "syndication_groups": [["w", "c"]],
        "edges": [{"source": "w", "derivative": "d", "kind": "credits", "evidence": []}],
    }
    out = pv.story_detail(doc)
    assert out["origins"] == ["w", "x"] and out["n_sources"] == 2
    assert out["summary"] == "2 independent sources behind 4 articles"
    assert {(e["source"], e["target"], e["kind"]) for e in out["edges"]} == {
        ("w", "d", "credits"),
        ("w", "c", "verbatim"),
    }


def test_sources_sentence_plurals():
    assert pv.sources_sentence(1, 1) == "1 independent source behind 1 article"
    assert pv.sources_sentence(3, 6) == "3 independent sources behind 6 articles"


# -- timeline -----------------------------------------------------------------


@pytest.mark.parametrize(
    "seconds, text",
    [
        (0, "+0 min"),
        (35 * 60, "+35 min"),
        (3600, "+1 h"),
        (7500, "+2 h 5 min"),
        (3 * 86400, "+3 d"),
    ],
)
def test_after(seconds, text):
    assert after(seconds) == text


def test_timeline_orders_by_time_and_puts_unknown_last():
    rows = timeline(
        [
            {"id": "late", "published": "2026-01-02T00:00:00Z"},
            {"id": "none", "published": None},
            {"id": "early", "published": "2026-01-01T00:00:00+00:00"},
            {"id": "bad", "published": "sometime"},
        ],
        ["early"],
    )
    assert [r["id"] for r in rows] == ["early", "late", "none", "bad"]
    assert rows[0]["origin"] and rows[0]["x"] == 4 and rows[1]["x"] == 96
    assert rows[2]["x"] is None and rows[1]["after"] == "+24 h"


def test_short_time():
    assert short_time("2026-03-04T07:00:00+02:00") == "2026-03-04 05:00"
    assert short_time("2026-03-04") == "2026-03-04"
    assert short_time("garbled") == "garbled" and short_time(None) == ""


# -- drift segments -----------------------------------------------------------

CH = Change("number", "meaning", "up to 300 became more than 300")


@given(
    st.text(max_size=60), st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)), max_size=5)
)
def test_segments_keep_the_text_whatever_the_spans(text, spans):
    segs = segments(text, [(a, b, CH) for a, b in spans])
    assert "".join(s["text"] for s in segs) == text
    assert all(s["text"] for s in segs) or text == ""


def test_segments_mark_spans_and_clip_overlaps():
    segs = segments("up to 300 were hurt", [(0, 9, CH), (6, 12, CH), (2, 5, CH)])
    assert [(s["text"], bool(s["mark"])) for s in segs] == [
        ("up to 300", True),
        (" we", True),
        ("re hurt", False),
    ]
    assert segs[0]["mark"]["tip"] == "number: up to 300 became more than 300"


# -- guards -------------------------------------------------------------------


@pytest.mark.parametrize(
    "expected, header, ok",
    [
        (None, None, True),
        ("t", None, False),
        ("t", "Bearer t", True),
        ("t", "bearer t", True),
        ("t", "Bearer x", False),
        ("t", "Basic t", False),
        ("t", "Bearer", False),
        ("t", "Bearer t extra", False),
    ],
)
def test_token_ok(expected, header, ok):
    assert token_ok(expected, header) is ok


@pytest.mark.parametrize(
    "host, local",
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host, local):
    assert is_loopback(host) is local


def test_exposure_warning():
    assert serve.exposure_warning("127.0.0.1", None) is None
    assert "WITHOUT A TOKEN" in serve.exposure_warning("0.0.0.0", None)
    assert "WITHOUT" not in serve.exposure_warning("0.0.0.0", "t")


def test_run_warns_and_starts_uvicorn(monkeypatch, db):
    import uvicorn

    calls, said = [], []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    monkeypatch.delenv(serve.TOKEN_ENV, raising=False)
    serve.run(db, "0.0.0.0", 8123, None, warn=said.append)
    assert calls[0]["host"] == "0.0.0.0" and calls[0]["port"] == 8123
    assert "WITHOUT A TOKEN" in said[0]


def test_run_takes_the_token_from_the_environment(monkeypatch, db):
    import uvicorn

    apps, said = [], []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    monkeypatch.setenv(serve.TOKEN_ENV, "from-env")
    serve.run(db, "0.0.0.0", 8123, warn=said.append)
    assert apps[0].state.token == "from-env" and "WITHOUT" not in said[0]


def test_run_refuses_a_bad_port(db):
    with pytest.raises(ConfigError):
        serve.run(db, port=70000)


def test_cli_serve_help_and_missing_extra(monkeypatch):
    from click.testing import CliRunner

    from newstrace.cli import serve_cmd

    # Read the options rather than run --help: that would change how the CLI docs render.
    assert {"db", "host", "port", "token"} <= {p.name for p in serve_cmd.params}
    monkeypatch.setitem(__import__("sys").modules, "uvicorn", None)
    # Invoked alone, not through the group, so its help option renders as docs/cli.md shows it.
    r = CliRunner().invoke(serve_cmd, ["--db", ":memory:"])
    assert r.exit_code == 3 and "pip install 'newstrace[web]'" in r.output


def test_timeline_puts_a_bare_date_after_that_days_times():
    rows = timeline(
        [
            {"id": "day", "published": "2026-01-01"},
            {"id": "t1", "published": "2026-01-01T07:00:00Z"},
            {"id": "t2", "published": "2026-01-01T09:00:00Z"},
        ],
        [],
    )
    assert [r["id"] for r in rows] == ["t1", "t2", "day"]
    assert rows[2]["x"] is None and rows[2]["when"] == "2026-01-01 (day only)"


@pytest.mark.parametrize(
    "e, translated, kind",
    [
        (
            {
                "kind": "derived",
                "verdict": "wholly_derived",
                "coverage": 1.0,
                "evidence": [{"kind": "attribution"}],
            },
            False,
            "credits",
        ),
        ({"kind": "derived", "verdict": "wholly_derived", "coverage": 1.0}, True, "rewrite"),
        (
            {
                "kind": "derived",
                "verdict": "wholly_derived",
                "coverage": 1.0,
                "drift": [{"severity": "meaning"}],
            },
            False,
            "rewrite",
        ),
    ],
)
def test_edge_kind_credits_translations_and_drift(e, translated, kind):
    assert pv.edge_kind(e, translated) == kind
