"""iter_articles over directories, globs and mixed good and bad files."""

from __future__ import annotations

import gzip
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstrace.errors import BinaryInput, MissingInput
from newstrace.ingest import IngestFailure, iter_articles
from newstrace.model import Article

from .helpers import page, write_warc


def _mixed_dir(tmp_path, copy_fixture):
    root = tmp_path / "corpus"
    for name in (
        "storm.txt",
        "storm.md",
        "storm.html",
        "articles.jsonl",
        "list.json",
        "feed.atom",
        "bad.json",
    ):
        copy_fixture(name, f"corpus/{name}")
    copy_fixture("wire.txt", "corpus/sub/deeper/wire.txt")
    (root / "sub" / "empty.txt").write_text("  \n")
    (root / "sub" / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (root / "sub" / "cp1251.txt").write_bytes("Паром на Варн снова ходит.".encode("cp1251"))
    (root / "notes.csv").write_text("ignored,by,extension\n")
    (root / ".hidden.txt").write_text("hidden file is skipped")
    write_warc(
        root / "sub" / "crawl.warc.gz",
        [
            {
                "uri": "https://gull.example/w",
                "body": page(
                    "Warc story",
                    "A fictional story read from a small WARC archive, long enough to keep.",
                ),
            }
        ],
    )
    return root


def test_mixed_directory_reports_bad_files_and_keeps_good_ones(tmp_path, copy_fixture):
    root = _mixed_dir(tmp_path, copy_fixture)
    items = list(iter_articles([str(root)]))
    failures = {f.source: f for f in items if isinstance(f, IngestFailure)}
    good = [a for a in items if not isinstance(a, IngestFailure)]
    assert set(failures) == {
        str(root / "bad.json"),
        str(root / "sub" / "empty.txt"),
        str(root / "sub" / "photo.html"),
    }
    assert isinstance(failures[str(root / "sub" / "photo.html")].error, BinaryInput)
    assert "line 4" in failures[str(root / "bad.json")].reason
    # 1 md + 1 html + 1 txt + 3 jsonl + 2 json + 1 atom + 1 warc + 1 wire + 1 cp1251
    assert len(good) == 12
    assert any(a.text == "Паром на Варн снова ходит." for a in good)
    assert not any("notes.csv" in i.source or "hidden" in i.source for i in items)


def test_order_is_sorted_and_stable(tmp_path, copy_fixture):
    root = _mixed_dir(tmp_path, copy_fixture)
    first = [i.source for i in iter_articles([str(root)])]
    assert first == [i.source for i in iter_articles([root])]
    files = [s.split("@")[0].split(":")[0].split("#")[0] for s in first]
    assert files.index(str(root / "articles.jsonl")) < files.index(str(root / "sub" / "cp1251.txt"))
    assert files.index(str(root / "sub" / "deeper" / "wire.txt")) < files.index(
        str(root / "sub" / "empty.txt")
    )
    assert files[-1] == str(root / "sub" / "photo.html")


def test_globs_missing_sources_and_selectors(tmp_path, fixtures):
    items = list(
        iter_articles(
            [
                f"{fixtures}/*.md",
                str(tmp_path / "nope.txt"),
                str(tmp_path / "*.nothing"),
                f"{fixtures}/list.json:2",
            ]
        )
    )
    assert items[0].source == str(fixtures / "storm.md")
    assert isinstance(items[1], IngestFailure) and isinstance(items[1].error, MissingInput)
    assert isinstance(items[2], IngestFailure) and "no files match" in items[2].reason
    assert items[3].id == "b"


def test_single_source_string_is_not_split_into_characters(fixtures):
    assert [a.id for a in iter_articles(str(fixtures / "list.json"))] == ["a", "b"]


def test_every_jsonl_line_with_bad_lines_reported(tmp_path):
    path = tmp_path / "batch.jsonl.gz"
    lines = [json.dumps({"id": f"n{i}", "text": f"Fictional brief number {i}."}) for i in range(5)]
    lines[2] = '{"text": broken'
    lines[3] = json.dumps({"title": "no text"})
    with gzip.open(path, "wt") as fh:
        fh.write("\n".join(lines) + "\n")
    items = list(iter_articles([str(path)]))
    assert [i.id for i in items if not isinstance(i, IngestFailure)] == ["n0", "n1", "n4"]
    assert [i.source for i in items if isinstance(i, IngestFailure)] == [f"{path}:3", f"{path}:4"]


def test_truncated_gzip_jsonl_keeps_earlier_lines(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    body = "\n".join(json.dumps({"text": f"Fictional brief {i} " + "x" * 200}) for i in range(50))
    data = gzip.compress(body.encode())
    path.write_bytes(data[: len(data) // 2])
    items = list(iter_articles([str(path)]))
    assert not isinstance(items[0], IngestFailure)
    assert isinstance(items[-1], IngestFailure) and items[-1].source == str(path)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(max_size=400) | st.text(max_size=300).map(str.encode),
    ext=st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl", ".rss", ".warc", ".warc.gz"]),
)
def test_any_bytes_yield_articles_or_failures_never_exceptions(tmp_path, data, ext):
    path = tmp_path / f"any{ext}"
    path.write_bytes(data)
    for item in iter_articles([str(path)]):
        assert isinstance(item, (Article, IngestFailure))
        assert item.source.startswith(str(path))
