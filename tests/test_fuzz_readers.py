"""Fuzz the readers and compare: whatever the bytes, only the project's own errors come out (issue 8
item 31).

Each reader gets a valid seed document of its format, then random byte edits
(insert, delete, replace, truncate) and random Unicode, including unpaired
surrogates. Bounded by ``max_examples`` so the suite stays fast.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newstrace
from newstrace.errors import InputError, NewstraceError
from newstrace.ingest import iter_articles, read_article
from newstrace.model import Article

STORY = (
    "The ferry to Lissel Island resumed on Friday "
    "after a week of storms. Up to 300 people travelled."
)
SEEDS = {
    ".json": (
        f'{{"id": "a1", "title": "Ferry resumes", "text": "{STORY}", "date": "2025-06-05"}}'
    ).encode(),
    ".jsonl": (
        f'{{"id": "a1", "text": "{STORY}"}}\n{{"id": "a2", "text": "{STORY} Crews cheered."}}\n'
    ).encode(),
    ".html": (
        "<html lang='en'><head><title>Ferry</title></head><body><article><h1>Ferry "
        f"resumes</h1><p>{STORY}</p><p>{STORY}</p></article></body></html>"
    ).encode(),
    ".md": f"# Ferry resumes\n\ndate: 2025-06-05\n\n## The *storm*\n\n{STORY} [more](http://x.example)\n".encode(),
    ".txt": f"title: Ferry resumes\noutlet: Gull Wire\n\n{STORY}\n{STORY}\n".encode(),
    ".xml": f'<?xml version="1.0"?><rss version="2.0"><channel><title>Gull</title><item><title>Ferry</title><link>http://gull.example/f</link><description>{STORY}</description></item></channel></rss>'.encode(),
    ".warc": (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://gull.example/f\r\n"
        b"WARC-Date: 2025-06-05T08:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
        b"Content-Length: %d\r\n\r\n%s\r\n\r\n"
    ),
}
_HTTP = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + SEEDS[".html"]
SEEDS[".warc"] = SEEDS[".warc"] % (len(_HTTP), _HTTP)
SEEDS[".warc.gz"] = gzip.compress(SEEDS[".warc"])
SEEDS[".jsonl.gz"] = gzip.compress(SEEDS[".jsonl"])

edit = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "truncate"]),
    st.integers(0, 10_000),
    st.binary(min_size=1, max_size=12)
    | st.sampled_from(
        [b"\x00", b"\xff\xfe", b"\\ud800", b"[" * 50, b"9" * 60, b"<", b"\r\n", b"\xe2\x80"]
    ),
)


def mutate(data: bytes, edits) -> bytes:
    """Return ``data`` with the ``edits`` applied in order (positions wrap around)."""
    for kind, pos, chunk in edits:
        at = pos % (len(data) + 1)
        if kind == "insert":
            data = data[:at] + chunk + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + len(chunk) :]
        elif kind == "replace":
            data = data[:at] + chunk + data[at + len(chunk) :]
        else:
            data = data[:at]
    return data


def _only_own_errors(path: Path) -> None:
    for item in iter_articles([path]):
        assert isinstance(item, Article) or isinstance(item.error, InputError), item
    try:
        read_article(path)
    except InputError:
        pass


# NEWSTRACE_FUZZ_EXAMPLES=2000 fuzzes deeper by hand; the suite keeps it small.
EXAMPLES = int(os.environ.get("NEWSTRACE_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(ext=st.sampled_from(sorted(SEEDS)), edits=st.lists(edit, min_size=1, max_size=6))
def test_mutated_files_give_articles_or_input_errors(ext, edits):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, f"fuzzed{ext}")
        path.write_bytes(mutate(SEEDS[ext], edits))
        _only_own_errors(path)


@FUZZ
@given(ext=st.sampled_from([".txt", ".md", ".json", ".jsonl", ".html"]), text=st.text(max_size=400))
def test_random_unicode_files_give_articles_or_input_errors(ext, text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, f"fuzzed{ext}")
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        _only_own_errors(path)


words = st.sampled_from(
    [
        "the",
        "ferry",
        "pier",
        "Lissel",
        "island",
        "resumed",
        "Friday",
        "up",
        "to",
        "more",
        "than",
        "300",
        "people",
        "said",
        "officials",
        "may",
        "will",
        "not",
        "because",
        "12.4",
        "MW",
        "GW",
        "$5",
        "million",
        "2025-06-05",
        "Mr",
        "Ruiz",
        "Ana",
        "Gull",
        "Wire",
        "reports",
        "according",
    ]
)
sentence = st.lists(words, min_size=1, max_size=14).map(lambda ws: " ".join(ws).capitalize() + ".")
article = st.lists(sentence, min_size=1, max_size=8).map(" ".join)


@settings(max_examples=max(20, EXAMPLES // 2), deadline=None)
@given(a=article | st.text(min_size=1, max_size=300), b=article | st.text(min_size=1, max_size=300))
def test_compare_texts_raises_only_newstrace_errors(a, b):
    try:
        result = newstrace.compare_texts(a, b)
    except NewstraceError:
        return
    assert result.verdict in ("wholly_derived", "partially_derived", "not_derived")
