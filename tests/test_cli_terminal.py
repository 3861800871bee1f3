"""The terminal views at 80 columns: nothing a reader needs is cut, counts stay visible, grammar
holds (issue 8 items 1-3)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from newstrace.cli import main

LONG_TITLE = (
    "Velmora harbour authority confirms the temporary "
    "closure of the northern ferry terminal for urgent repairs"
)
LONG_OUTLET = "The Northern Velmora Evening Courier and Gazette"
BODY = (
    "The harbour authority of Velmora closed the northern "
    "ferry terminal on Monday after divers found damage "
    "to two of its concrete piles, a spokeswoman said. "
    "Ferries to Lissel Island will use the southern quay "
    "until the repairs are finished, which could take up to three weeks.\n\n"
    "The terminal handles about 4,000 passengers a day "
    "in winter. Harbour master Tomas Reinholt said the "
    "damage was found during a routine inspection and that no ferry had been at risk."
)


def _run(*args: str, columns: int = 80):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": str(columns)})


@pytest.fixture
def store(tmp_path: Path) -> str:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(
        f"title: {LONG_TITLE}\noutlet: {LONG_OUTLET}\ndate: 2025-06-05\n\n{BODY}\n"
    )
    rewrite = (
        "The harbour authority of Velmora closed the northern "
        "ferry terminal on Monday after divers found damage "
        "to two of its concrete piles, a spokeswoman said. "
        "Ferries to Lissel Island will use the southern quay "
        "until the repairs are finished.\n\n"
        "Island shopkeepers told the Lissel Island Daily "
        "News they feared fewer visitors this month, and the "
        "council will discuss a discount on the ferry fare on Thursday."
    )
    (src / "b.txt").write_text(
        "title: Ferry terminal shut\noutlet: Lissel Island "
        f"Daily News\ndate: 2025-06-06\n\n{rewrite}\n"
    )
    (src / "c.txt").write_text(
        "title: Orchestra season opens\noutlet: Gull Culture\ndate: 2025-06-07\n\n"
        "The city orchestra opened its winter season with three symphonies by local composers. "
        "Tickets for the spring concerts go on sale next week."
    )
    db = str(tmp_path / "t.db")
    assert _run("ingest", str(src), "--db", db, "--semantic", "off").exit_code == 0
    return db


def _unwrapped(output: str) -> str:
    """Join the lines the terminal wrapped, so a wrapped (not cut) phrase is found whole."""
    return re.sub(r"\s+", " ", re.sub(r"[│├└─]", " ", output))


def test_stories_at_80_columns_cut_no_title_or_outlet(store):
    out = _run("stories", "--db", store)
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert all(len(line.rstrip()) <= 80 for line in lines), out.output
    flat = _unwrapped(out.output)
    assert LONG_TITLE in flat and LONG_OUTLET in flat and "…" not in out.output
    assert "2 stories" in lines[0]
    counts = [line for line in lines if re.match(r"^s[0-9a-f]+\s+\d+\s+\d+\s+\d+\s", line)]
    assert len(counts) == 2, out.output


def test_story_tree_at_80_columns_names_outlets_whole(store):
    listing = json.loads(_run("stories", "--db", store, "--json").output)
    big = max(listing["stories"], key=lambda s: s["n_articles"])
    out = _run("story", big["id"], "--db", store)
    assert out.exit_code == 0, out.output
    assert all(len(line.rstrip()) <= 80 for line in out.output.splitlines())
    flat = _unwrapped(out.output)
    assert LONG_OUTLET in flat and "Lissel Island Daily News" in flat


def test_singulars(store):
    listing = json.loads(_run("stories", "--db", store, "--json").output)
    alone = min(listing["stories"], key=lambda s: s["n_articles"])
    out = _run("story", alone["id"], "--db", store).output
    assert "1 article ·" in out and "1 outlet ·" in out and "1 independent source" in out
    assert "1 articles" not in out and "All 1 " not in out


def test_long_lists_say_how_many_more(tmp_path):
    from rich.console import Console

    from newstrace.stories.render import SHOWN, story_tree

    omissions = [
        {"a": [i], "salience": 0.5, "text": f"Omitted sentence number {i}.", "why": ""}
        for i in range(SHOWN + 3)
    ]
    edge = {"kind": "derived", "verdict": "partially_derived", "coverage": 0.5, "evidence": [],
            "omissions": omissions, "additions": [], "drift": []}  # fmt: skip
    node = {
        "article": {"id": "b1", "outlet": "Gull"},
        "role": "derivative",
        "edge": edge,
        "copies": [],
        "children": [],
    }
    doc = {
        "id": "s1",
        "title": "T",
        "n_articles": 2,
        "n_outlets": 2,
        "independent_sources": 1,
        "tree": [
            {
                "article": {"id": "a1", "outlet": "Wire"},
                "role": "origin",
                "copies": [],
                "children": [node],
            }
        ],
    }
    console = Console(width=80, record=True)
    console.print(story_tree(doc))
    short = console.export_text()
    assert f"Omitted sentence number {SHOWN - 1}." in short and f"number {SHOWN}." not in short
    assert "left out: and 3 more (see --full or --json)" in short
    console = Console(width=80, record=True)
    console.print(story_tree(doc, full=True))
    assert f"Omitted sentence number {SHOWN + 2}." in console.export_text()


def test_trace_says_where_the_store_is(tmp_path):
    db = str(tmp_path / "where.db")
    out = _run("trace", "--example", "--db", db, "--semantic", "off")
    assert out.exit_code == 0 and f"store: {db}" in out.output


def test_stories_filters_and_paging(store):
    all_ = json.loads(_run("stories", "--db", store, "--json").output)
    assert all_["total"] == 2
    only = json.loads(_run("stories", "--db", store, "--json", "--outlet", "Gull Culture").output)
    assert [s["title"] for s in only["stories"]] == ["Orchestra season opens"]
    assert (
        json.loads(_run("stories", "--db", store, "--json", "--since", "2025-06-07").output)[
            "total"
        ]
        == 1
    )
    assert (
        json.loads(_run("stories", "--db", store, "--json", "--until", "2025-06-04").output)[
            "total"
        ]
        == 0
    )
    second = json.loads(
        _run("stories", "--db", store, "--json", "--offset", "1", "--limit", "0").output
    )
    assert [s["id"] for s in second["stories"]] == [all_["stories"][1]["id"]]


def test_serve_refuses_a_missing_store(tmp_path):
    out = _run("serve", "--db", str(tmp_path / "missing.db"))
    assert out.exit_code == 2 and "no store here" in out.output and "--create" in out.output
    assert not (tmp_path / "missing.db").exists()


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
@pytest.mark.parametrize("what", ["stories", "articles", "edges"])
def test_export_parses_back(store, tmp_path, fmt, what):
    import csv

    from newstrace.stories.export import COLUMNS

    out = tmp_path / f"x.{fmt}"
    run = _run("export", "--db", store, "--what", what, "--format", fmt, "--out", str(out))
    assert run.exit_code == 0, run.output
    if fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(out).to_pylist()
    assert rows and list(rows[0]) == list(COLUMNS[what])
    if what == "stories":
        assert sorted(int(r["n_articles"]) for r in rows) == [1, 2]
    elif what == "articles":
        assert len(rows) == 3 and {r["name"] for r in rows} >= {LONG_OUTLET, "Gull Culture"}
    else:
        ids = {a["id"]: a["outlet"] for a in _story_articles(store)}
        assert [(ids[r["Source"]], ids[r["Target"]]) for r in rows] == [
            (LONG_OUTLET, "Lissel Island Daily News")
        ]


def _story_articles(store):
    listing = json.loads(_run("stories", "--db", store, "--json").output)
    out = []
    for s in listing["stories"]:
        out += json.loads(_run("story", s["id"], "--db", store, "--json").output)["articles"]
    return out
