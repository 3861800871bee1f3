"""RSS and Atom feeds through feedparser."""

from __future__ import annotations

from newstrace.ingest import IngestFailure, iter_articles, read_article


def test_rss_entries(fixtures):
    items = list(iter_articles([str(fixtures / "feed.rss")]))
    first, second, empty = items
    assert first.source.endswith("feed.rss#entry-1")
    assert first.title == "Storm cuts power across Westmarch coast"
    assert first.url == "https://www.dailygull.example/news/storm-westmarch"
    assert first.outlet == "dailygull.example"
    assert first.published == "2024-03-05T08:15:00+00:00"
    # content:encoded wins over the shorter description, HTML turned into paragraphs
    assert (
        first.text.split("\n\n")[1]
        == "Up to 300 people were moved from low-lying streets\nnear the harbour."
    )
    assert "track()" not in first.text and "ad slot" not in first.text
    assert second.text == "The ferry between Port Ellis and Varn will resume on Friday."
    assert second.published == "2024-03-06T06:00:00+00:00"
    assert isinstance(empty, IngestFailure) and "no content or summary" in empty.reason


def test_atom_html_content(fixtures):
    a = read_article(fixtures / "feed.atom")
    assert a.text == (
        "The old bridge in Brindle will close for six weeks of repairs.\n\n"
        "Traffic will be diverted through the market square."
    )
    assert a.byline == "Ann Lee" and a.published == "2024-03-04T08:00:00+00:00"


def test_feed_entry_selector_round_trips(fixtures):
    a = read_article(f"{fixtures}/feed.rss#entry-2")
    assert a.source == f"{fixtures}/feed.rss#entry-2"
    assert read_article(a.source) == a


def test_malformed_feed_yields_what_parsed(fixtures):
    items = list(iter_articles([str(fixtures / "malformed.rss")]))
    assert items[0].title == "Ferry timetable & fares change"
    assert all(i.source.startswith(str(fixtures / "malformed.rss")) for i in items)


def test_wholly_broken_feed_is_one_failure(fixtures):
    (item,) = list(iter_articles([str(fixtures / "broken.xml")]))
    assert isinstance(item, IngestFailure)
    assert item.source == str(fixtures / "broken.xml") and "malformed feed" in item.reason


def test_feed_outlet_falls_back_to_feed_title(tmp_path):
    path = tmp_path / "nolink.rss"
    path.write_text(
        "<rss version='2.0'><channel><title>Varn Radio</title><item><title>Ferry</title>"
        "<description>The ferry sailed at noon.</description></item></channel></rss>"
    )
    assert read_article(path).outlet == "Varn Radio"
