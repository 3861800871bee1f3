"""/docs: interactive API docs from files in the package, nothing from a CDN (issue 8 item 14)."""

from __future__ import annotations

import re


def test_docs_page_loads_only_local_assets(client):
    r = client.get("/docs")
    assert r.status_code == 200 and "swagger-ui" in r.text
    sources = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert sources and all(s.startswith(("/", "data:")) for s in sources), sources
    assert "script-src 'self'" in r.headers["content-security-policy"]
    for s in sources:
        if s.startswith("/"):
            assert client.get(s).status_code == 200, s


def test_docs_script_reads_our_schema(client):
    js = client.get("/static/docs.js").text
    assert "/api/v1/openapi.json" in js
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "newstrace"
