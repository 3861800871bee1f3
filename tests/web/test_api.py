"""The REST API: every route, its errors, pagination, limits and auth (TestClient)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from newstrace import api
from newstrace.cli import main
from newstrace.report.jsonout import comparison_to_dict
from newstrace.store import open_store
from newstrace.web import create_app
from newstrace.web.provenance import KINDS
from newstrace.web.security import CSP

from .conftest import REWRITE, TOKEN, WIRE

V1 = "/api/v1"


def error_of(response, status: int, kind: str | None = None) -> dict:
    """Assert ``response`` is the JSON error envelope with ``status``; return its error."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    err = response.json()["error"]
    assert set(err) == {"type", "message", "hint"} and err["message"]
    if kind:
        assert err["type"] == kind
    return err


# -- healthz, schema ----------------------------------------------------------


def test_healthz_counts_the_store(client):
    body = client.get(f"{V1}/healthz").json()
    assert body["status"] == "ok" and body["articles"] == 5 and body["stories"] == 2


def test_openapi_schema_lists_every_route(client):
    paths = client.get(f"{V1}/openapi.json").json()["paths"]
    assert {
        f"{V1}/stories",
        f"{V1}/stories/{{story_id}}",
        f"{V1}/articles",
        f"{V1}/articles/{{article_id}}",
        f"{V1}/compare",
        f"{V1}/healthz",
    } <= set(paths)
    assert not any(p.startswith(("/pair", "/compare")) for p in paths)  # pages stay out


def test_fastapis_cdn_docs_are_off(client):
    # /docs is our own page with bundled assets (tests/web/test_docs_page.py); /redoc would need a
    # CDN.
    assert client.get("/redoc").status_code == 404


# -- stories ------------------------------------------------------------------


def test_story_list_summaries(client):
    body = client.get(f"{V1}/stories").json()
    assert body["total"] == 2 and body["offset"] == 0 and body["next"] is None
    first = body["items"][0]
    assert first["n_articles"] == 4 and first["independent_sources"] == 1
    assert first["origin"] == "wire-1"


def test_story_list_pages_with_offset_page_and_next(client):
    one = client.get(f"{V1}/stories", params={"limit": 1}).json()
    assert len(one["items"]) == 1 and one["next"].endswith("limit=1&offset=1")
    two = client.get(one["next"]).json()
    assert two["offset"] == 1 and two["next"] is None
    by_page = client.get(f"{V1}/stories", params={"limit": 1, "page": 2}).json()
    assert by_page["items"] == two["items"]
    past = client.get(f"{V1}/stories", params={"offset": 50}).json()
    assert past["items"] == [] and past["total"] == 2


@pytest.mark.parametrize(
    "params, n",
    [
        ({"q": "marlow"}, 1),
        ({"q": "library"}, 1),
        ({"q": "nothing-like-it"}, 0),
        ({"outlet": "Evening Post"}, 1),
        ({"language": "en"}, 2),
        ({"language": "de"}, 0),
        ({"since": "2026-03-01"}, 1),
        ({"until": "2026-02-28"}, 1),
        ({"since": "2026-03-04T08:00:00+00:00"}, 1),
        ({"min_articles": 2}, 1),
    ],
)
def test_story_filters(client, params, n):
    body = client.get(f"{V1}/stories", params=params).json()
    assert body["total"] == n and len(body["items"]) == n


@pytest.mark.parametrize("sort", ["size", "recent", "sources"])
def test_story_sorts(client, sort):
    items = client.get(f"{V1}/stories", params={"sort": sort}).json()["items"]
    assert len(items) == 2
    if sort == "recent":
        assert items[0]["last_published"] >= items[1]["last_published"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"limit": "ten"},
        {"offset": -1},
        {"offset": 10**12},
        {"page": 0},
        {"page": 1, "offset": 0},
        {"sort": "alphabetical"},
        {"min_articles": 0},
        {"since": "yesterday"},
        {"since": "2026-13-01"},
        {"until": "2026-02-30"},
        {"q": "x" * 201},
    ],
)
def test_invalid_story_filters_are_422(client, params):
    error_of(client.get(f"{V1}/stories", params=params), 422, "ValidationError")


def test_story_detail_has_graph_origins_and_sources(client, flood_story):
    story = client.get(f"{V1}/stories/{flood_story['id']}").json()
    assert story["schema"] == "newstrace.story/2"
    assert story["origins"] == ["wire-1"] and story["n_sources"] == 1
    assert story["summary"] == "1 independent source behind 4 articles"
    assert {a["id"] for a in story["articles"]} == {"wire-1", "post-2", "lantern-3", "evil-4"}
    assert story["edges"] and all(e["kind"] in KINDS for e in story["edges"])
    assert all(e["evidence"] for e in story["edges"])
    assert {"source": "wire-1", "target": "post-2"}.items() <= next(
        e for e in story["edges"] if e["target"] == "post-2" and e["source"] == "wire-1"
    ).items()


def test_unknown_story_is_404(client):
    error_of(client.get(f"{V1}/stories/no-such-story"), 404, "NotFound")


# -- articles -----------------------------------------------------------------


def test_article_detail(client):
    art = client.get(f"{V1}/articles/post-2").json()
    assert art["outlet"] == "Evening Post" and art["text"].startswith("More than 300")
    assert art["story_id"] and art["language"] == "en"


def test_unknown_article_is_404(client):
    error_of(client.get(f"{V1}/articles/nope"), 404, "NotFound")


def test_unknown_api_route_is_json_404(client):
    error_of(client.get(f"{V1}/nothing-here"), 404, "NotFound")


def test_wrong_method_is_json_405(client):
    error_of(client.delete(f"{V1}/stories"), 405, "MethodNotAllowed")


# -- compare ------------------------------------------------------------------


def test_compare_stored_ids_matches_the_library(client, db):
    got = client.post(f"{V1}/compare", json={"a": {"id": "wire-1"}, "b": {"id": "post-2"}})
    assert got.status_code == 200
    with open_store(db) as store:
        # Stored articles are compared without their server path (it never reaches a client).
        want = api.compare(*(store.get_article(i).with_(source=None) for i in ("wire-1", "post-2")))
    assert got.json() == comparison_to_dict(want)
    assert got.json()["schema"] == "newstrace.comparison/2"


def test_compare_texts_is_what_the_cli_prints(client, tmp_path):
    (tmp_path / "a.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(REWRITE, encoding="utf-8")
    cli = CliRunner().invoke(
        main, ["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--json"]
    )
    assert cli.exit_code == 0, cli.output
    got = client.post(f"{V1}/compare", json={"a": {"text": WIRE}, "b": {"text": REWRITE}}).json()
    want = json.loads(cli.output)
    for side in ("a", "b"):  # only where each was read from differs
        assert want[side].pop("source").endswith(f"{side}.txt")
        assert got[side].pop("source") == "<web>"
    assert got == want


def test_compare_text_with_id_and_metadata(client):
    body = {
        "a": {"id": "wire-1"},
        "b": {
            "text": "More than 300 families left Marlow on Tuesday, officials said.",
            "outlet": "Test Outlet",
            "title": "Short",
        },
    }
    got = client.post(f"{V1}/compare", json=body).json()
    assert got["a"]["id"] == "wire-1" and got["b"]["outlet"] == "Test Outlet"


def test_compare_finds_a_stored_article_by_url(client):
    body = {"a": {"id": "https://kestrel.example/marlow-floods"}, "b": {"id": "post-2"}}
    assert client.post(f"{V1}/compare", json=body).json()["a"]["id"] == "wire-1"


def test_compare_never_reads_a_file_named_by_the_text(client, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET server file contents.", encoding="utf-8")
    body = {"a": {"text": str(secret)}, "b": {"id": "wire-1"}}
    got = client.post(f"{V1}/compare", json=body)
    assert got.status_code == 200 and "TOP SECRET" not in got.text


def test_compare_never_fetches_urls(client, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("the server tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    body = {"a": {"id": "https://kestrel.example/not-stored"}, "b": {"id": "post-2"}}
    error_of(client.post(f"{V1}/compare", json=body), 404, "NotFound")


@pytest.mark.parametrize(
    "body, status, kind",
    [
        ({"a": {"id": "wire-1"}}, 422, "ValidationError"),
        ({"a": {"id": "wire-1", "text": "x"}, "b": {"id": "post-2"}}, 422, "ValidationError"),
        ({"a": {}, "b": {"id": "post-2"}}, 422, "ValidationError"),
        ({"a": {"id": "wire-1"}, "b": {"id": "post-2"}, "extra": 1}, 422, "ValidationError"),
        ({"a": {"id": "wire-1"}, "b": {"text": 5}}, 422, "ValidationError"),
        ({"a": {"id": "wire-1"}, "b": {"id": "missing"}}, 404, "NotFound"),
        ({"a": {"id": "wire-1"}, "b": {"id": "wire-1"}}, 400, "SameInput"),
        ({"a": {"text": "   \n "}, "b": {"id": "wire-1"}}, 400, "EmptyInput"),
        ([1, 2], 422, "ValidationError"),
    ],
)
def test_compare_errors(client, body, status, kind):
    error_of(client.post(f"{V1}/compare", json=body), status, kind)


def test_malformed_json_is_400(client):
    r = client.post(
        f"{V1}/compare", content=b'{"a": {"id": ', headers={"content-type": "application/json"}
    )
    error_of(r, 400, "MalformedJSON")


def test_body_over_the_limit_is_413(client):
    big = {"a": {"text": "word " * 450_000}, "b": {"id": "wire-1"}}  # about 2.25 MB
    error_of(client.post(f"{V1}/compare", json=big), 413, "TooLarge")


def test_chunked_body_over_the_limit_is_413(db):
    def chunks():
        for _ in range(20):
            yield b"x" * 1000

    with TestClient(create_app(db, max_body=5000)) as c:
        r = c.post(f"{V1}/compare", content=chunks(), headers={"content-type": "application/json"})
    error_of(r, 413, "TooLarge")


def test_lying_content_length_is_413(client):
    r = client.post(
        f"{V1}/compare",
        content=b"{}",
        headers={"content-type": "application/json", "content-length": "9999999"},
    )
    assert r.status_code == 413


# -- ingest -------------------------------------------------------------------

NEW_ARTICLE = {
    "id": "echo-9",
    "outlet": "Echo Bay News",
    "published": "2026-03-04T11:00:00Z",
    "title": "Marlow floods: 300 families moved",
    "text": (
        "Up to 300 families were moved out of low streets in Marlow on Tuesday "
        "after the Teal River rose two metres overnight, officials said. "
        "Officials may extend the order to two more districts."
    ),
}


def test_ingest_one_article_updates_stories(client, flood_story):
    r = client.post(f"{V1}/articles", json=NEW_ARTICLE)
    assert r.status_code == 200, r.text
    (result,) = r.json()["results"]
    assert result["id"] == "echo-9" and result["status"] == "new" and result["story_id"]
    story = client.get(f"{V1}/stories/{result['story_id']}").json()
    assert "echo-9" in {a["id"] for a in story["articles"]}
    assert client.get(f"{V1}/healthz").json()["articles"] == 6


def test_ingest_is_idempotent(client):
    first = client.post(f"{V1}/articles", json=[NEW_ARTICLE]).json()
    again = client.post(f"{V1}/articles", json=[NEW_ARTICLE]).json()
    assert first["counts"] == {"new": 1} and again["counts"] == {"duplicate": 1}
    assert client.get(f"{V1}/healthz").json()["articles"] == 6


def test_ingest_batch_with_derived_ids_and_exact_copies(client):
    text = "A ferry ran aground near Port Ansel on Sunday; no one was hurt, the coastguard said."
    batch = [{"text": text, "outlet": "One"}, {"text": text, "outlet": "Two"}]
    results = client.post(f"{V1}/articles", json=batch).json()["results"]
    assert [r["status"] for r in results] == ["new", "exact_copy"]
    assert results[0]["id"] != results[1]["id"] and len(results[0]["id"]) == 16


@pytest.mark.parametrize(
    "body, status, kind",
    [
        ({"title": "no text"}, 422, "ValidationError"),
        ({"text": ""}, 422, "ValidationError"),
        ({"text": "  \n\t "}, 400, "InputError"),
        ({"text": "ok", "colour": "red"}, 422, "ValidationError"),
        ([], 400, "InputError"),
        ("just a string", 422, "ValidationError"),
    ],
)
def test_ingest_errors(client, body, status, kind):
    error_of(client.post(f"{V1}/articles", json=body), status, kind)
    assert client.get(f"{V1}/healthz").json()["articles"] == 5  # nothing written


def test_ingest_batch_over_the_limit_is_413(db):
    with TestClient(create_app(db, max_batch=3)) as c:
        r = c.post(f"{V1}/articles", json=[dict(NEW_ARTICLE, id=f"x{i}") for i in range(4)])
    error_of(r, 413, "TooLarge")


def test_ingest_needs_the_token_when_one_is_set(token_client):
    error_of(token_client.post(f"{V1}/articles", json=NEW_ARTICLE), 401, "Unauthorized")
    wrong = token_client.post(
        f"{V1}/articles", json=NEW_ARTICLE, headers={"Authorization": "Bearer wrong"}
    )
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    basic = token_client.post(
        f"{V1}/articles", json=NEW_ARTICLE, headers={"Authorization": f"Basic {TOKEN}"}
    )
    assert basic.status_code == 401
    ok = token_client.post(
        f"{V1}/articles", json=NEW_ARTICLE, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert ok.status_code == 200


def test_reads_need_no_token(token_client):
    assert token_client.get(f"{V1}/stories").status_code == 200
    body = {"a": {"id": "wire-1"}, "b": {"id": "post-2"}}
    assert token_client.post(f"{V1}/compare", json=body).status_code == 200


# -- headers ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [f"{V1}/healthz", f"{V1}/stories/nope", "/", "/compare", "/static/style.css", "/no-such-page"],
)
def test_security_headers_everywhere(client, path):
    h = client.get(path).headers
    assert h["content-security-policy"] == CSP
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY" and h["referrer-policy"] == "no-referrer"


def test_csp_allows_no_inline_script_or_style():
    assert "unsafe-inline" not in CSP and "default-src 'self'" in CSP
    assert "script-src 'self'" in CSP and "style-src 'self'" in CSP


def test_errors_do_not_reveal_the_store_path(client, db):
    err = error_of(client.get(f"{V1}/stories/nope"), 404)
    assert db not in err["message"]
    assert err["message"] == "story 'nope' is not in the store"
