"""The corpus pipeline: every input format, bad input reported, idempotent re-ingest, the
example."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import corpus_dir

from newstrace import Corpus
from newstrace.settings import DEFAULT

LEXICAL = DEFAULT.with_(semantic="off")
BODY = (
    "The Lowfield council voted on Tuesday to close the Marrow Lane library, "
    "citing repair costs of 1.2 million pounds, councillor Edda Shrike said."
)


def _html(title: str, body: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{body}</p><p>Residents plan a protest at the town hall on Saturday.</p>"
        "</article></body></html>"
    )


def _feed(items: list[tuple[str, str]]) -> str:
    entries = "".join(
        f"<item><title>{t}</title><link>https://gull.example/{k}</link>"
        f"<description>{b}</description></item>"
        for k, (t, b) in enumerate(items)
    )
    return (
        '<?xml version="1.0"?><rss '
        f'version="2.0"><channel><title>Gull</title>{entries}</channel></rss>'
    )


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(f"title: Library to close\n\n{BODY}\n", encoding="utf-8")
    (d / "b.md").write_text(
        f"# Marrow Lane library closes\n\n{BODY} More soon.\n", encoding="utf-8"
    )
    (d / "c.html").write_text(_html("Lowfield library vote", BODY), encoding="utf-8")
    (d / "d.json").write_text(
        json.dumps({"id": "j1", "title": "Vote", "text": BODY + " Vote was 7-4."})
    )
    (d / "e.jsonl").write_text(
        "\n".join(
            json.dumps({"id": f"l{k}", "text": f"{BODY} Line {k} adds a detail."}) for k in range(3)
        )
    )
    (d / "f.rss").write_text(_feed([("Library closes", BODY + " Feed copy.")]))
    return d


def test_every_format_lands(sources: Path, tmp_path: Path):
    from ingest.helpers import write_warc

    write_warc(
        sources / "g.warc.gz", [{"uri": "https://gull.example/w", "body": _html("Warc copy", BODY)}]
    )
    with Corpus(tmp_path / "s.db", LEXICAL) as c:
        r = c.ingest([sources], provenance=False)
        assert r.failed == [] and r.read == 9 and r.new + r.exact_copies == 9
        assert c.stories()["total"] == 1  # all report the same library vote


def test_bad_items_reported_good_land(sources: Path, tmp_path: Path):
    (sources / "broken.json").write_text("{not json")
    (sources / "bad.rss").write_text("<rss><channel><item><title>x</title>")
    from ingest.helpers import write_warc

    warc = sources / "cut.warc.gz"
    recs = [
        {"uri": f"https://gull.example/{k}", "body": _html(f"Warc {k}", BODY + f" Part {k}.")}
        for k in range(2)
    ]
    offsets = write_warc(warc, recs)
    warc.write_bytes(warc.read_bytes()[: offsets[1] + 60])  # the second record is cut short
    (sources / "empty.html").write_text("<html><body><div></div></body></html>")
    with Corpus(tmp_path / "s.db", LEXICAL) as c:
        r = c.ingest([sources], provenance=False)
    for name in ("broken.json", "bad.rss", "cut.warc.gz", "empty.html"):
        assert any(name in f.source and f.reason for f in r.failed), name
    assert r.new + r.exact_copies == 9  # the 8 good files and the WARC's first record


def test_reingest_is_idempotent(sources: Path, tmp_path: Path):
    db = tmp_path / "s.db"
    with Corpus(db, LEXICAL) as c:
        first = c.ingest([sources])
        before = c.stories()
    with Corpus(db, LEXICAL) as c:
        again = c.ingest([sources])
        assert again.new == 0 and again.duplicate == first.new + first.exact_copies
        assert c.store.count_articles() == first.new + first.exact_copies
        assert c.stories() == before


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Corpus:
    c = Corpus(tmp_path_factory.mktemp("ex") / "ex.db", LEXICAL)
    c.ingest([corpus_dir()])
    yield c
    c.close()


def _by_outlet(doc: dict) -> dict:
    return {a["outlet"]: a for a in doc["articles"]}


def test_example_stories(example: Corpus):
    doc = example.stories()
    assert doc["schema"] == "newstrace.story/2" and doc["total"] == 2
    main, other = doc["stories"]
    assert main["n_articles"] == 6 and main["origin_outlet"] == "Northgate Wire"
    assert main["independent_sources"] == 1
    assert other["title"].startswith("Port Elan") and other["n_articles"] == 1


def test_example_provenance(example: Corpus):
    doc = example.story(example.stories()["stories"][0]["id"])
    roles = {k: v["role"] for k, v in _by_outlet(doc).items()}
    assert roles == {
        "Northgate Wire": "origin",
        "Valley Herald": "copy",
        "Coastline Daily": "copy",
        "The Morning Ledger": "derivative",
        "Riverside Post": "derivative",
        "Rheinkurier": "derivative",
    }
    assert doc["independent_sources"] == 1
    wire = _by_outlet(doc)["Northgate Wire"]["id"]
    assert doc["origin"] == wire and doc["tree"][0]["article"]["id"] == wire
    children = {n["article"]["outlet"]: n["edge"] for n in doc["tree"][0]["children"]}
    assert children["The Morning Ledger"]["source"] == wire
    assert any(e["kind"] == "attribution" for e in children["The Morning Ledger"]["evidence"])
    assert any(x["credits"] for x in children["Riverside Post"]["additions"])


def test_comparisons_are_cached(example: Corpus):
    sid = example.stories()["stories"][0]["id"]
    members = example.store.get_story(sid)["articles"]
    _, compared = example._provenance(members)
    assert compared == 0


def test_prepare_memo_overflow_and_copies(monkeypatch):
    from newstrace import pipeline
    from newstrace.fingerprint import content_text
    from newstrace.model import Article

    monkeypatch.setattr(pipeline, "_MEMO_MAX", 2)
    arts = [
        Article(text=f"{BODY} Detail number {k} of the Marrow Lane story.", id=f"m{k}")
        for k in range(5)
    ]
    arts.append(Article(text=arts[0].text, id="copy", outlet="Gull Daily"))
    out = pipeline.prepare(arts, LEXICAL)
    assert len({p.copy_key for p in out}) == 5 and out[0].copy_key == out[-1].copy_key
    fresh = [
        pipeline.event_vector(a, content_text(a.text), p.item.language) for a, p in zip(arts, out)
    ]
    assert all(
        (f.cols == p.vector.cols).all() and (f.vals == p.vector.vals).all()
        for f, p in zip(fresh, out)
    )


def test_prepare_is_pure_across_fingerprint_settings():
    from newstrace.fingerprint import fingerprint_texts, read_header
    from newstrace.model import Article
    from newstrace.pipeline import prepare

    arts = [Article(text=f"{BODY} Detail {k} of the vote.", id=f"p{k}") for k in range(3)]
    one = prepare(arts, LEXICAL.with_(seed=1))
    two = prepare(arts, LEXICAL.with_(seed=2))  # the memo holds seed-1 entries for these texts now
    fresh = fingerprint_texts([a.text for a in arts], LEXICAL.with_(seed=2))
    assert read_header(two[0].item.signature)["seed"] == 2
    assert all((p.signature == f.signature).all() for p, f in zip(two, fresh))
    assert [p.item.bands for p in two] == [f.band_rows() for f in fresh]
    assert not (one[0].signature == two[0].signature).all()
    small = prepare(arts, LEXICAL.with_(num_perm=64, lsh_bands=16))
    assert small[0].signature.shape == (64,) and len(small[0].item.bands) == 16
    assert read_header(small[0].item.signature)["num_perm"] == 64


def test_band_keys_come_from_the_content_text_everywhere():
    from newstrace.fingerprint import band_keys, doc_bands, minhash
    from newstrace.model import Article
    from newstrace.pipeline import prepare

    footer = (
        "This article was generated from an automated "
        "news agency feed without modifications to text."
    )
    text = f"{BODY}\n\n{footer}"
    stored = prepare([Article(text=text, id="x")], LEXICAL)[0].item.bands
    assert [(b, k) for b, k, _ in doc_bands(text, "x", LEXICAL)] == stored
    assert [
        (b, k) for b, k, _ in doc_bands(BODY, "y", LEXICAL)
    ] == stored  # the footer is not content
    assert list(enumerate(band_keys(minhash(text, LEXICAL), LEXICAL.lsh_bands))) != stored
