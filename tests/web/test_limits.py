"""Bounded compare work, HEAD, ids with '/', and no server path in any answer (issue 8 items
27-30)."""

from __future__ import annotations

import asyncio
import json
import re
import shutil

import pytest
from fastapi.testclient import TestClient

from newstrace.model import Article
from newstrace.web import create_app
from newstrace.web.compare_pool import ClientGone, ComparePool, OverBudget

from .conftest import ARTICLES, REWRITE, WIRE, build_store, write_jsonl

V1 = "/api/v1"


def test_compare_beyond_the_pool_is_503_with_retry_after(db):
    app = create_app(db, compare_workers=1)
    with TestClient(app) as c:
        held = app.state.compare_pool.acquire()  # the one worker is taken
        try:
            r = c.post(f"{V1}/compare", json={"a": {"text": WIRE}, "b": {"text": REWRITE}})
        finally:
            app.state.compare_pool._release(held)
        assert r.status_code == 503 and r.headers["retry-after"].isdigit()
        assert r.json()["error"]["type"] == "Busy"
        held.kill()
        ok = c.post(f"{V1}/compare", json={"a": {"text": WIRE}, "b": {"text": REWRITE}})
        assert ok.status_code == 200 and ok.json()["verdict"] != "not_derived"
        assert c.get(f"{V1}/healthz").status_code == 200


def test_compare_over_its_budget_is_stopped(db):
    app = create_app(db, compare_budget=0.0)
    with TestClient(app) as c:
        r = c.post(f"{V1}/compare", json={"a": {"text": WIRE}, "b": {"text": REWRITE}})
    assert r.status_code == 503 and r.json()["error"]["type"] == "OverBudget"
    assert app.state.compare_pool._busy == 0 and not app.state.compare_pool._idle


def test_compare_is_stopped_when_the_client_goes():
    pool = ComparePool(size=1, budget=60)
    a, b = Article(id="a", text=WIRE), Article(id="b", text=REWRITE)

    async def gone() -> bool:
        return True

    with pytest.raises(ClientGone):
        asyncio.run(pool.compare(a, b, gone))
    assert pool._busy == 0 and not pool._idle  # its worker was killed, not kept
    pool.close()


def test_compare_errors_keep_their_type_across_the_worker():
    pool = ComparePool(size=1, budget=60)

    async def here() -> bool:
        return False

    from newstrace.errors import SameInput

    same = Article(id="a", text=WIRE)
    with pytest.raises(SameInput):
        asyncio.run(pool.compare(same, same, here))
    with pytest.raises(OverBudget):
        pool.budget = 0.0
        asyncio.run(pool.compare(Article(id="a", text=WIRE), Article(id="b", text=REWRITE), here))
    pool.close()


def test_compare_body_limit_is_smaller_than_ingest(db):
    big = "The river rose again on Tuesday, officials said. " * 10_000  # about 500 KB
    with TestClient(create_app(db)) as c:
        r = c.post(f"{V1}/compare", json={"a": {"text": big}, "b": {"text": WIRE}})
        assert r.status_code == 413
        r = c.post(f"{V1}/articles", json={"id": "big-1", "text": big})
        assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    "path", ["/", "/compare", f"{V1}/healthz", f"{V1}/stories", "/articles/wire-1"]
)
def test_head_answers_like_get_without_a_body(client, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]


@pytest.fixture(scope="module")
def slash_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("slash")
    articles = [
        a if a.id != "post-2" else Article(**{**a.__dict__, "id": "feeds/../../post-2"})
        for a in ARTICLES
    ]
    return build_store(root / "s.db", [write_jsonl(root / "secret-feed.jsonl", articles)])


def test_ids_with_a_slash_are_reachable_and_linked_as_one_segment(slash_db, tmp_path):
    path = tmp_path / "s.db"
    shutil.copy(slash_db, path)
    with TestClient(create_app(str(path))) as c:
        assert c.get(f"{V1}/articles/feeds%2F..%2F..%2Fpost-2").json()["id"] == "feeds/../../post-2"
        assert c.get("/articles/feeds%2F..%2F..%2Fpost-2").status_code == 200
        story = c.get(f"{V1}/stories").json()["items"][0]["id"]
        page = c.get(f"/stories/{story}").text
    assert "/articles/feeds%2F..%2F..%2Fpost-2" in page and "/articles/feeds/../" not in page


def test_no_route_answers_with_a_server_path(slash_db, tmp_path):
    """Every page and API route, including errors, is free of the store's and the inputs' paths."""
    path = tmp_path / "private" / "s.db"
    path.parent.mkdir()
    shutil.copy(slash_db, path)
    secret = re.compile(r"secret-feed|/private/|" + re.escape(str(tmp_path)))
    with TestClient(create_app(str(path))) as c:
        story = c.get(f"{V1}/stories").json()["items"][0]["id"]
        article = "wire-1"
        answers = [
            c.get("/"),
            c.get("/compare"),
            c.get(f"/stories/{story}"),
            c.get(f"/articles/{article}"),
            c.get("/pair", params={"a": "wire-1", "b": "lantern-3"}),
            c.get("/pair", params={"a": "wire-1", "b": "wire-1"}),  # SameInput
            c.get(f"{V1}/healthz"),
            c.get(f"{V1}/stories"),
            c.get(f"{V1}/stories/{story}"),
            c.get(f"{V1}/articles/{article}"),
            c.get(f"{V1}/articles/nope"),
            c.get(f"{V1}/stories/nope"),
            c.post(f"{V1}/compare", json={"a": {"id": "wire-1"}, "b": {"id": "wire-1"}}),
            c.post(f"{V1}/compare", json={"a": {"id": "wire-1"}, "b": {"id": "lantern-3"}}),
            c.post("/compare", data={"a_ref": "wire-1", "b_ref": "wire-1"}),
            c.post(f"{V1}/articles", json={"text": ""}),
        ]
    for r in answers:
        assert not secret.search(r.text), (r.request.url, r.text[:300])
    assert "source" not in json.loads(answers[9].text)
