"""Text cleanup, header lines, dates, outlets, ids and read_text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newstrace.errors import ConfigError, EmptyInput, TooLarge
from newstrace.ingest import outlet_from_url, read_text
from newstrace.ingest.clean import clean_text
from newstrace.ingest.headers import parse_plain, split_headers
from newstrace.ingest.meta import article_id, iso_date, outlet_from_text
from newstrace.settings import DEFAULT


def test_clean_text_normalizes_whitespace_and_unicode():
    raw = (
        "  Caf\u0065\u0301 opens\t\tdoors\u00a0 today "
        "\r\n\r\n\r\n\r\nSecond\u200b para\x07graph.\u2028Next line "
    )
    assert clean_text(raw) == "Caf\u00e9 opens doors today\n\nSecond paragraph.\nNext line"


def test_clean_text_keeps_zero_width_joiners():
    assert (
        clean_text("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")
        == "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    )


@given(st.text())
def test_clean_text_is_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once
    assert "\r" not in once and "\n\n\n" not in once and "  " not in once


@given(st.text(min_size=1).filter(lambda t: clean_text(t)))
def test_ids_are_stable_and_hex(text):
    a, b = read_text(text), read_text(text)
    assert a.id == b.id and len(a.id) == 16 and int(a.id, 16) >= 0


def test_id_depends_on_url_so_syndicated_copies_differ():
    text = "The same wire copy, word for word."
    assert article_id(text, "https://a.example/x") != article_id(text, "https://b.example/x")
    assert read_text(text, id="given-7").id == "given-7"


@pytest.mark.parametrize(
    "url, outlet",
    [
        ("https://www.Daily-Gull.example/news/1", "daily-gull.example"),
        ("http://news.harbor.example:8080/a?b=c", "news.harbor.example"),
        ("harbor.example/story", "harbor.example"),
        ("not a url", None),
        ("", None),
        (None, None),
    ],
)
def test_outlet_from_url(url, outlet):
    assert outlet_from_url(url) == outlet


def test_outlet_from_wire_dateline():
    assert outlet_from_text("PORT ELLIS, March 6 (Harbor Press) - The ferry...") == "Harbor Press"
    assert outlet_from_text("The mayor (Ann Lee) - said the ferry...") is None


@pytest.mark.parametrize(
    "value, iso",
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T10:15:00+02:00", "2024-03-05T08:15:00+00:00"),
        ("2024-03-05T08:15:00Z", "2024-03-05T08:15:00+00:00"),
        ("2024-03-05 10:15", "2024-03-05T10:15:00"),
        ("Tue, 05 Mar 2024 08:15:00 GMT", "2024-03-05T08:15:00+00:00"),
        ("March 5, 2024", "2024-03-05"),
        ("05.03.2024", "2024-03-05"),
        ("2024-02-30", None),
        ("yesterday", None),
    ],
)
def test_iso_date(value, iso):
    assert iso_date(value) == iso


def test_header_lines_become_metadata():
    meta, body = split_headers("Title: Gull\nURL: https://gull.example/x\nby: Jane Roe\n\nBody.")
    assert meta == {"title": "Gull", "url": "https://gull.example/x", "byline": "Jane Roe"}
    assert body == "Body."


def test_header_stops_at_first_non_header_line():
    article = parse_plain("date 2024-03-06\nUpdate: the ferry runs again.\nMore text.")
    assert article.published == "2024-03-06"
    assert article.text == "Update: the ferry runs again.\nMore text."


def test_text_without_headers_is_untouched():
    article = parse_plain("The storm passed.\ntitle: not a header here")
    assert article.title is None and article.text.startswith("The storm passed.")


def test_bare_iso_datetime_header():
    assert parse_plain("2024-03-05T10:00:00+01:00\nBody").published == "2024-03-05T09:00:00+00:00"


def test_read_text_with_metadata_and_aliases():
    a = read_text(
        "  Body of a short fictional article. ",
        title="T",
        url="https://www.gull.example/a",
        date="2024-03-05",
        author="Jane",
    )
    assert (a.text, a.title, a.outlet, a.published, a.byline, a.source) == (
        "Body of a short fictional article.",
        "T",
        "gull.example",
        "2024-03-05",
        "Jane",
        "<text>",
    )


@pytest.mark.parametrize("text", ["", "   \n\t \u200b "])
def test_read_text_empty(text):
    with pytest.raises(EmptyInput):
        read_text(text)


def test_read_text_too_large():
    with pytest.raises(TooLarge, match="--max-bytes"):
        read_text("x" * 200, settings=DEFAULT.with_(max_bytes=100))


def test_read_text_unknown_field():
    with pytest.raises(ConfigError, match="headline"):
        read_text("Body", headline="T")
