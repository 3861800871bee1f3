"""Reading a file's bytes (the batch path) gives what reading the file does; broken records are
skipped, not fatal."""

from __future__ import annotations

import json

import pytest
from conftest import corpus_dir

from newstrace.batch.read import failure_row, parse_file
from newstrace.ingest.blob import iter_blob
from newstrace.ingest.files import iter_file
from newstrace.ingest.warc import iter_warc
from newstrace.model import Article
from newstrace.settings import DEFAULT

from .helpers import generate, warc_record, write_warc


def _corrupt_middle(path, offsets) -> int:
    """Overwrite bytes inside the second record; return that record's offset."""
    data = bytearray(path.read_bytes())
    start, stop = offsets[1], offsets[2]
    mid = (start + stop) // 2
    data[mid : mid + 40] = b"\x00" * 40
    path.write_bytes(bytes(data))
    return start


def test_bytes_and_path_readers_agree_on_every_example_file():
    for path in sorted(corpus_dir().iterdir()):
        assert list(iter_blob(path.read_bytes(), str(path))) == list(iter_file(path, str(path)))


def test_corrupt_warc_record_is_one_failure_and_the_next_records_are_read(tmp_path):
    path = tmp_path / "cc-news.warc.gz"
    articles = generate(4, seed=3)
    offsets = write_warc(path, [warc_record(a, k) for k, a in enumerate(articles)])
    bad = _corrupt_middle(path, offsets)
    items = list(iter_warc(path, str(path)))
    kinds = [type(x).__name__ for x in items]
    assert kinds == ["Article", "IngestFailure", "Article", "Article"]
    assert items[1].source == f"{path}@{bad}"
    assert [a.source for a in items if isinstance(a, Article)] == [
        f"{path}@{o}" for o in (offsets[0], *offsets[2:])
    ]
    assert list(iter_blob(path.read_bytes(), str(path))) == items


def test_failure_rows_name_file_byte_offset_and_selector(tmp_path):
    lines = [json.dumps({"text": "Gullport opened the Brindle ferry on Monday, the council said."}),
             "{not json", "", json.dumps({"title": "no text here"})]  # fmt: skip
    data = ("\n".join(lines) + "\n").encode()
    rows = [
        x[1] for x in parse_file(0, "file:/data/feed.jsonl", data, "/data", DEFAULT) if x[0] == "f"
    ]
    assert [(r["source"], r["offset"], r["item"]) for r in rows] == [
        ("/data/feed.jsonl", len(lines[0]) + 1, "/data/feed.jsonl:2"),
        ("/data/feed.jsonl", len(lines[0]) + len(lines[1]) + 3, "/data/feed.jsonl:4"),
    ]
    assert "invalid JSON" in rows[0]["error"] and "no text field" in rows[1]["error"]


@pytest.mark.parametrize(("name", "kept"), [("notes.bin", False), ("a.jsonl", True)])
def test_directory_listing_keeps_supported_files_only(name, kept):
    data = json.dumps({"text": "Harrow council approved the Kestrel bridge budget."}).encode()
    assert bool(list(parse_file(0, f"file:/d/{name}", data, "/d", DEFAULT))) is kept


def test_failure_row_of_a_whole_file_has_no_offset():
    item = next(iter_blob(b"", "/d/empty.txt"))
    assert failure_row(item, "/d/empty.txt", b"") == {
        "source": "/d/empty.txt",
        "offset": None,
        "error": item.reason,
        "item": "/d/empty.txt",
    }
