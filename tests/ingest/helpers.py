"""Test helpers: a small fictional page and a WARC writer (warcio's WARCWriter)."""

from __future__ import annotations

import io
from pathlib import Path

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">
<title>{title} | Gull</title></head><body><nav>Home | News</nav><article><h1>{title}</h1>
<p>{para1}</p><p>{para2}</p></article><footer>Copyright Gull</footer></body></html>"""


def page(
    title: str,
    para1: str,
    para2: str = "Officials said more details would follow later in the week.",
    charset="utf-8",
) -> str:
    """Return a small fictional news page."""
    return PAGE.format(title=title, para1=para1, para2=para2, charset=charset)


def write_warc(path: Path, records: list[dict], gzip: bool = True) -> list[int]:
    """Write ``records`` (uri, body, status, ctype, rec_type, date) to a WARC; return their
    offsets."""
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
                r["uri"],
                rec_type,
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict=dates,
            )
            writer.write_record(rec)
    return offsets
