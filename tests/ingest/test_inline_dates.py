"""Inline metadata lines opening a text: dates in words read by python-dateutil, whatever the
locale."""

from __future__ import annotations

import pytest

from newstrace.ingest import meta as meta_module
from newstrace.ingest import read_text
from newstrace.ingest.headers import date_line, parse_plain


@pytest.mark.parametrize(
    "first, published",
    [
        ("date 2025-06-05", "2025-06-05"),
        ("Date: 5 June 2025", "2025-06-05"),
        ("date 5 June 2025", "2025-06-05"),
        ("June 5, 2025", "2025-06-05"),
        ("Thursday, 5 June 2025", "2025-06-05"),
        ("Published: 5 Jun 2025 10:30 GMT", "2025-06-05T10:30:00+00:00"),
        ("Date: 05.06.2025", "2025-06-05"),
    ],
)
def test_opening_date_line_is_the_publication_date(first, published):
    art = parse_plain(f"{first}\n\nThe council met on Monday. It voted to close the library.")
    assert art.published == published
    assert art.text.startswith("The council met"), "the date line is not part of the text"


@pytest.mark.parametrize(
    "line",
    [
        "On 5 June 2025 the council met.",  # a sentence that holds a date
        "Storm hits 2025",
        "May 2025 was wet",
        "2025",
        "Date: sometime soon",
    ],
)
def test_sentences_and_partial_dates_are_not_date_lines(line):
    assert date_line(line) is None
    art = parse_plain(f"{line}\nThe council met on Monday.")
    assert art.published is None


def test_month_names_do_not_go_through_strptime(monkeypatch):
    # strptime's %B follows the process locale; dateutil's English names do not.
    def refuse(*_args, **_kw):
        raise AssertionError("locale-dependent strptime was used")

    monkeypatch.setattr(meta_module, "_strptime", refuse)
    assert parse_plain("Date: 5 June 2025\n\nThe council met.").published == "2025-06-05"
    assert parse_plain("5 June 2025\n\nThe council met.").published == "2025-06-05"


def test_text_given_directly_reads_its_header_lines():
    art = read_text(
        "outlet: Babel Gazette\ndate 4 March 2026\n\nThe library will close for six months.",
        headers=True,
    )
    assert (art.outlet, art.published) == ("Babel Gazette", "2026-03-04")
    assert art.text == "The library will close for six months."


def test_a_given_field_wins_over_the_header_line():
    art = read_text(
        "outlet: Babel\n\nThe library will close.", headers=True, outlet="Babel Gazette"
    )
    assert art.outlet == "Babel Gazette" and art.text == "The library will close."
