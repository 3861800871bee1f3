"""Shared fixtures for the ingest tests: the fixture folder and a WARC builder."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">
<title>{title} | Gull</title></head><body><nav>Home | News</nav><article><h1>{title}</h1>
<p>{para1}</p><p>{para2}</p></article><footer>Copyright Gull</footer></body></html>"""


def page(title: str, para1: str, para2: str = "Officials said more details would follow later in the week.", charset="utf-8") -> str:
    """Return a small fictional news page."""
    return PAGE.format(title=title, para1=para1, para2=para2, charset=charset)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def copy_fixture(tmp_path):
    """Copy fixture files into tmp_path and return the copy's path."""

    def copy(name: str, dest: str | None = None) -> Path:
        target = tmp_path / (dest or name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / name, target)
        return target

    return copy


def write_warc(path: Path, records: list[dict], gzip: bool = True) -> list[int]:
    """Write ``records`` (uri, body, status, ctype, rec_type, date) to a WARC; return their offsets."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    offsets = []
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        for r in records:
            offsets.append(fh.tell())
            body = r["body"] if isinstance(r["body"], bytes) else r["body"].encode("utf-8")
            rec_type = r.get("rec_type", "response")
            http = None
            if rec_type == "response":
                http = StatusAndHeaders(
                    r.get("status", "200 OK"),
                    [("Content-Type", r.get("ctype", "text/html; charset=utf-8"))],
                    protocol="HTTP/1.1",
                )
            dates = {"WARC-Date": r["date"]} if r.get("date") else None
            rec = writer.create_warc_record(
                r["uri"], rec_type, payload=io.BytesIO(body), http_headers=http,
                warc_headers_dict=dates,
            )
            writer.write_record(rec)
    return offsets
