"""The corpus commands (trace, stories, story, export) take --db postgresql://... and answer as over
SQLite."""

from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

from newstrace.cli import main


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.postgres
def test_trace_stories_story_over_postgresql(pg_url, tmp_path):
    sqlite_db = str(tmp_path / "t.db")
    docs = {}
    for db in (sqlite_db, pg_url):
        out = _run("trace", "--example", "--db", db, "--json", "--semantic", "off")
        assert out.exit_code == 0, out.output
        listing = json.loads(_run("stories", "--db", db, "--json").output)
        sid = listing["stories"][0]["id"]
        story = _run("story", sid, "--db", db, "--json")
        assert story.exit_code == 0, story.output
        exports = tuple(
            _run("export", "--db", db, "--what", what, "--format", "jsonl").output
            for what in ("stories", "articles", "edges")
        )
        docs[db] = (json.loads(out.output)["stories"], listing, json.loads(story.output), exports)
    assert docs[pg_url] == docs[sqlite_db]
    assert docs[pg_url][2]["independent_sources"] == 1
    assert all(len(rows.splitlines()) > 1 for rows in docs[pg_url][3])  # export over PostgreSQL
    missing = _run("story", "s-nope", "--db", pg_url)
    assert missing.exit_code == 2 and "not in the store" in missing.output


def test_missing_driver_is_one_line_with_the_fix(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    out = _run("stories", "--db", "postgresql://nobody@127.0.0.1/none")
    assert out.exit_code == 3
    assert out.output.strip() == (
        "error: the PostgreSQL store needs the optional package 'psycopg'"
        " (pip install 'newstrace[postgres]')"
    )


def test_unreachable_server_is_one_line():
    pytest.importorskip("psycopg")
    out = _run("stories", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert out.exit_code == 4 and out.output.startswith(
        "error: postgresql://nobody@127.0.0.1:1/none: cannot connect"
    )
    assert len(out.output.strip().splitlines()) == 1
