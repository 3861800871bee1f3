"""read_article on every file format, encodings, and every kind of bad input."""

from __future__ import annotations

import pytest

from newstrace.errors import (
    AmbiguousInput,
    BinaryInput,
    DecodeFailure,
    EmptyInput,
    InputError,
    MalformedInput,
    MissingInput,
    TooLarge,
    UnsupportedFormat,
)
from newstrace.ingest import SUPPORTED_EXTENSIONS, read_article
from newstrace.settings import DEFAULT

RUSSIAN = (
    "title: Шторм на побережье\n\n"
    "В понедельник шторм оставил без света около двенадцати тысяч домов на вымышленном "
    "побережье Вестмарш, сообщил региональный оператор сетей.\n\n"
    "До трёхсот человек были эвакуированы из низменных районов у гавани."
)
GERMAN = (
    "Der Sturm über Westmarsch hat am Dienstag rund 12.000 Häuser ohne Strom gelassen, "
    "teilte der regionale Netzbetreiber mit. Bis zu 300 Menschen mussten ihre Wohnungen "
    "in der Nähe des Hafens verlassen; die Straßen bleiben gesperrt."
)


def test_txt_with_headers(fixtures):
    a = read_article(fixtures / "storm.txt")
    assert a.title == "Storm cuts power across Westmarch coast"
    assert a.url == "https://www.dailygull.example/news/storm-westmarch"
    assert a.outlet == "Daily Gull" and a.byline == "Jane Roe"
    assert a.published == "2024-03-05T08:15:00+00:00"
    assert a.text.startswith("WESTMARCH (Gull Wire) - A winter storm")
    assert a.text.count("\n\n") == 2
    assert a.source == str(fixtures / "storm.txt")


def test_txt_outlet_from_wire_credit(fixtures):
    a = read_article(fixtures / "wire.txt")
    assert a.outlet == "Harbor Press" and a.published == "2024-03-06"


def test_markdown_title_and_markup(fixtures):
    a = read_article(fixtures / "storm.md")
    assert a.title == "Storm cuts power across Westmarch coast"
    assert a.published == "2024-03-05"
    assert "**" not in a.text and "](" not in a.text and "#" not in a.text
    assert "regional grid operator said" in a.text
    assert "\n\nEvacuations\n\nUp to 300" in a.text


def test_html_page(fixtures):
    a = read_article(str(fixtures / "storm.html"))
    assert a.title == "Storm cuts power across Westmarch coast"
    assert a.outlet == "Daily Gull" and a.byline == "Jane Roe" and a.language == "en"
    assert a.url == "https://www.dailygull.example/news/storm-westmarch"
    assert a.published == "2024-03-05T08:15:00+00:00"
    paragraphs = a.text.split("\n\n")
    assert len(paragraphs) == 3 and paragraphs[0].startswith("A winter storm")
    assert "Copyright" not in a.text and "Home" not in a.text


def test_broken_html_still_extracts(fixtures):
    a = read_article(fixtures / "broken.html")
    assert "council of Brindle voted" in a.text
    assert a.title == "Half a page"


def test_html_with_declared_cp1251(tmp_path):
    from .helpers import page

    html = page("Шторм", RUSSIAN.split("\n\n")[1], charset="windows-1251")
    path = tmp_path / "ru.html"
    path.write_bytes(html.encode("cp1251"))
    assert "шторм оставил без света" in read_article(path).text


def test_json_object(fixtures):
    a = read_article(fixtures / "article.json")
    assert a.title == "Lighthouse reopens" and a.byline == "Sam Ortiz"
    assert a.outlet == "capemorrow-news.example"
    assert a.published == "2024-02-10T11:00:00+00:00"


@pytest.mark.parametrize(
    "spec, ident",
    [
        ("articles.jsonl:1", "gull-1"),
        ("articles.jsonl#gull-1", "gull-1"),
        ("list.json:2", "b"),
        ("list.json#a", "a"),
        ("one.jsonl", "solo"),
    ],
)
def test_container_selectors(fixtures, spec, ident):
    assert read_article(f"{fixtures}/{spec}").id == ident


def test_jsonl_line_fields(fixtures):
    a = read_article(f"{fixtures}/articles.jsonl:4")
    assert a.text == "The bridge in Brindle will close for six weeks.\n\nTraffic will be diverted."
    assert a.outlet == "brindle-courier.example" and a.byline == "Ann Lee, Bo Park"
    assert a.source == f"{fixtures}/articles.jsonl:4"
    b = read_article(f"{fixtures}/articles.jsonl:1")
    assert b.language == "en" and b.outlet == "dailygull.example"


@pytest.mark.parametrize("name", ["articles.jsonl", "list.json", "feed.rss"])
def test_container_without_selector_says_how_to_choose(fixtures, name):
    with pytest.raises(AmbiguousInput, match="choose one with"):
        read_article(fixtures / name)


def test_missing_selector_target(fixtures):
    with pytest.raises(MissingInput, match=":9"):
        read_article(f"{fixtures}/articles.jsonl:9")
    with pytest.raises(EmptyInput, match="blank"):
        read_article(f"{fixtures}/articles.jsonl:3")


def test_selector_on_single_article_file(fixtures):
    with pytest.raises(UnsupportedFormat):
        read_article(f"{fixtures}/storm.txt:2")


@pytest.mark.parametrize(
    "text, encoding",
    [
        (RUSSIAN, "cp1251"),
        (RUSSIAN, "koi8-r"),
        (GERMAN, "latin-1"),
        (GERMAN, "utf-16"),
        (RUSSIAN, "utf-16-be"),
        (GERMAN, "utf-8-sig"),
    ],
)
def test_encodings_decode_right(tmp_path, text, encoding):
    path = tmp_path / "a.txt"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    a = read_article(path)
    body = text.split("\n\n", 1)[-1] if text.startswith("title:") else text
    assert a.text == body


@pytest.mark.parametrize(
    "name, data, error, words",
    [
        ("empty.txt", b"", EmptyInput, "empty"),
        ("blank.txt", b" \n\t\r\n  ", EmptyInput, "only whitespace"),
        ("blank.json", b"  \n", EmptyInput, "whitespace"),
        ("headers-only.txt", b"title: Nothing else\n", EmptyInput, "no article text"),
        ("nul.txt", b"Some text\x00with a NUL", BinaryInput, "NUL"),
        ("controls.txt", bytes(range(1, 9)) * 40 + b"text", BinaryInput, "control bytes"),
        ("image.txt", b"\x89PNG\r\n\x1a\nrest", BinaryInput, "PNG"),
        ("doc.md", b"PK\x03\x04rest", BinaryInput, "ZIP"),
        ("paper.html", b"%PDF-1.7 rest", BinaryInput, "PDF"),
        ("bom.txt", b"\xef\xbb\xbfok" + b"\xff\xfe\xfd", DecodeFailure, "byte-order mark"),
        ("data.csv", b"a,b\n1,2\n", UnsupportedFormat, ".txt"),
        (
            "plain.xml",
            b"<?xml version='1.0'?><catalog><book/></catalog>",
            UnsupportedFormat,
            "not an RSS",
        ),
        ("bad.jsonl", b'{"text": "fine"}\n{"text": oops}\n', AmbiguousInput, "choose"),
        ("notext.json", b'{"title": "No body"}', MalformedInput, "no text field"),
        ("number.json", b"42", MalformedInput, "expected a JSON object"),
    ],
)
def test_bad_input(tmp_path, name, data, error, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error, match=words) as info:
        read_article(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_malformed_json_names_the_line(fixtures):
    with pytest.raises(MalformedInput, match=r"bad.json: invalid JSON at line 4"):
        read_article(fixtures / "bad.json")


def test_malformed_jsonl_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"text": "fine"}\n{"text": oops}\n')
    with pytest.raises(MalformedInput, match=r"bad.jsonl:2: invalid JSON at column"):
        read_article(f"{path}:2")


def test_missing_file(tmp_path):
    with pytest.raises(MissingInput, match="nope.txt: no such file"):
        read_article(tmp_path / "nope.txt")


def test_directory_given(tmp_path):
    with pytest.raises(UnsupportedFormat, match="is a directory") as info:
        read_article(tmp_path)
    assert "iter_articles" in str(info.value)


def test_too_large_says_limit_and_flag(fixtures):
    with pytest.raises(TooLarge, match=r"over the limit of 100 .*--max-bytes"):
        read_article(fixtures / "storm.txt", DEFAULT.with_(max_bytes=100))


def test_too_large_jsonl_is_per_line(fixtures):
    small = DEFAULT.with_(max_bytes=200)
    assert read_article(f"{fixtures}/articles.jsonl:2", small).outlet == "Harbor Press"
    with pytest.raises(TooLarge):
        read_article(f"{fixtures}/articles.jsonl:1", small)


def test_undecodable(tmp_path, monkeypatch):
    from newstrace.ingest import encoding

    class Nothing:
        def best(self):
            return None

    monkeypatch.setattr("charset_normalizer.from_bytes", lambda data: Nothing())
    path = tmp_path / "odd.txt"
    path.write_bytes(b"caf\xe9 au lait")
    with pytest.raises(DecodeFailure, match="odd.txt: not valid UTF-8") as info:
        read_article(path)
    assert "UTF-8" in info.value.hint and encoding


def test_sniffed_formats(fixtures, tmp_path):
    path = tmp_path / "page"
    path.write_bytes((fixtures / "storm.html").read_bytes())
    assert read_article(path).title == "Storm cuts power across Westmarch coast"
    feed = tmp_path / "feed.dat"
    feed.write_bytes((fixtures / "feed.atom").read_bytes())
    assert read_article(feed).byline == "Ann Lee"


def test_every_error_is_an_input_error():
    for cls in (
        MissingInput,
        EmptyInput,
        BinaryInput,
        UnsupportedFormat,
        DecodeFailure,
        TooLarge,
        MalformedInput,
        AmbiguousInput,
    ):
        assert issubclass(cls, InputError)


def test_supported_extensions_listed():
    assert {
        ".txt",
        ".md",
        ".html",
        ".htm",
        ".json",
        ".jsonl",
        ".xml",
        ".rss",
        ".atom",
        ".warc",
        ".warc.gz",
    } <= set(SUPPORTED_EXTENSIONS)


def test_html_edge_cases(tmp_path):
    blank, plain, lists = tmp_path / "blank.html", tmp_path / "plain.html", tmp_path / "list.html"
    blank.write_text("  \n ")
    plain.write_text("Plain words in an .html file, about a fictional ferry.")
    lists.write_text(
        "<html><body><article><p>The council listed three "
        "fictional road closures for the week ahead.</p>"
        "<ul><li>Mill Lane</li><li>Quay Street</li></ul><p>Diversions will be signposted, "
        "the council of Brindle said on Monday.</p></article></body></html>"
    )
    with pytest.raises(EmptyInput, match="only whitespace"):
        read_article(blank)
    assert read_article(plain).text.startswith("Plain words")
    assert "\n\nMill Lane\nQuay Street\n\n" in read_article(lists).text
