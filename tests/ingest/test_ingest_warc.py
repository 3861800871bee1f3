"""WARC and WARC.gz through warcio, including truncated archives."""

from __future__ import annotations

import pytest

from newstrace.errors import MalformedInput
from newstrace.ingest import IngestFailure, iter_articles, read_article

from .helpers import page, write_warc

RECORDS = [
    {
        "uri": "https://www.gull.example/harbour",
        "body": page(
            "Harbour wall repaired",
            (
                "Workers finished repairs to the harbour wall in "
                "Westmarch on Monday, two months after a storm damaged it."
            ),
        ),
        "date": "2024-03-05T10:00:00Z",
    },
    {
        "uri": "https://www.gull.example/missing",
        "body": "<html>gone</html>",
        "status": "404 Not Found",
    },
    {
        "uri": "https://www.gull.example/logo.png",
        "body": b"\x89PNG\r\n\x1a\n....",
        "ctype": "image/png",
    },
    {"uri": "https://www.gull.example/robots.txt", "body": "User-agent: *", "ctype": "text/plain"},
    {
        "uri": "https://harbor.example/ferry",
        "body": page(
            "Ferry resumes",
            (
                "The ferry to Varn resumed on Friday after three "
                "days of storms kept it in port, the operator said."
            ),
            charset="windows-1251",
        ).encode("cp1251"),
        "ctype": "text/html; charset=windows-1251",
        "date": "2024-03-08T06:30:00Z",
    },
]


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_response_records(tmp_path, gzip):
    path = tmp_path / ("cc-news.warc.gz" if gzip else "cc-news.warc")
    offsets = write_warc(path, RECORDS, gzip=gzip)
    items = list(iter_articles([str(path)]))
    assert [i.source for i in items] == [f"{path}@{offsets[0]}", f"{path}@{offsets[4]}"]
    harbour, ferry = items
    assert harbour.url == "https://www.gull.example/harbour" and harbour.outlet == "gull.example"
    assert harbour.title == "Harbour wall repaired"
    assert harbour.published == "2024-03-05T10:00:00+00:00"  # WARC-Date as fallback
    assert harbour.text.split("\n\n")[0].startswith("Workers finished repairs")
    assert ferry.url == "https://harbor.example/ferry" and "three days of storms" in ferry.text
    assert read_article(ferry.source) == ferry


@pytest.mark.parametrize("gzip", [True, False])
def test_truncated_last_record(tmp_path, gzip):
    path = tmp_path / ("t.warc.gz" if gzip else "t.warc")
    offsets = write_warc(path, RECORDS, gzip=gzip)
    path.write_bytes(path.read_bytes()[:-40])
    items = list(iter_articles([str(path)]))
    assert items[0].source == f"{path}@{offsets[0]}" and not isinstance(items[0], IngestFailure)
    assert isinstance(items[-1], IngestFailure)
    assert items[-1].source == f"{path}@{offsets[4]}" and "truncated" in items[-1].reason


@pytest.mark.parametrize("gzip", [True, False])
def test_cut_inside_a_record_header(tmp_path, gzip):
    path = tmp_path / ("c.warc.gz" if gzip else "c.warc")
    offsets = write_warc(path, RECORDS, gzip=gzip)
    path.write_bytes(path.read_bytes()[: offsets[4] + 25])
    items = list(iter_articles([str(path)]))
    assert items[0].url == "https://www.gull.example/harbour"
    assert isinstance(items[-1], IngestFailure) and items[-1].source == f"{path}@{offsets[4]}"


def test_not_a_warc(tmp_path):
    path = tmp_path / "fake.warc"
    path.write_text("This is a plain note, not an archive.\n")
    (item,) = list(iter_articles([str(path)]))
    assert isinstance(item, IngestFailure) and item.source == f"{path}@0"
    with pytest.raises(MalformedInput):
        read_article(path)


def test_oversized_payload_is_reported(tmp_path):
    from newstrace.settings import DEFAULT

    path = tmp_path / "big.warc.gz"
    write_warc(path, RECORDS[:1])
    (item,) = list(iter_articles([str(path)], DEFAULT.with_(max_bytes=100)))
    assert isinstance(item, IngestFailure) and "--max-bytes" in item.reason
