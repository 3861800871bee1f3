"""Batch test helpers: a generated corpus of fictional articles, and stories read back from a store
or Parquet."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

COMMON = [
    "the",
    "a",
    "of",
    "to",
    "in",
    "and",
    "for",
    "on",
    "with",
    "at",
    "by",
    "from",
    "after",
    "before",
    "over",
    "under",
    "about",
    "officials",
    "said",
    "council",
    "city",
    "river",
    "bridge",
    "water",
    "school",
    "market",
    "workers",
    "union",
    "police",
    "court",
    "mayor",
    "minister",
    "week",
    "month",
    "plan",
    "report",
    "budget",
    "project",
    "road",
    "station",
    "hospital",
    "families",
    "residents",
    "building",
    "storm",
    "fire",
    "rail",
    "port",
    "vote",
    "meeting",
    "agreement",
    "company",
    "factory",
    "prices",
    "farmers",
    "harvest",
    "museum",
    "festival",
    "team",
    "season",
    "coach",
    "league",
    "match",
    "players",
    "election",
    "party",
    "leader",
    "office",
    "program",
    "service",
    "funding",
    "repairs",
    "closure",
    "traffic",
    "morning",
    "evening",
    "night",
    "local",
    "regional",
    "national",
    "new",
    "old",
    "first",
    "last",
    "more",
    "less",
    "early",
    "late",
    "public",
    "announced",
    "confirmed",
    "expected",
    "warned",
    "reported",
    "opened",
    "closed",
    "approved",
    "rejected",
    "delayed",
    "reached",
    "increased",
    "fell",
    "rose",
    "planned",
    "began",
    "ended",
    "continued",
    "asked",
    "told",
    "added",
    "noted",
    "according",
    "statement",
]
SYLLABLES = [
    "va",
    "lo",
    "mer",
    "tan",
    "is",
    "ko",
    "rud",
    "el",
    "sha",
    "bri",
    "ven",
    "tor",
    "ga",
    "ni",
    "pel",
    "dor",
    "mi",
    "sa",
    "que",
    "lin",
]
OUTLETS = [
    "Gullport Times",
    "Brindle Courier",
    "Harrow Post",
    "Kestrel News",
    "Ottervale Herald",
    "Quill Daily",
    "Marsh Gazette",
    "Fenwick Ledger",
    "Linnet Wire",
    "Corvid Report",
]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _sentence(rng: random.Random, names: list[str]) -> str:
    words = [rng.choice(COMMON) for _ in range(rng.randint(9, 16))]
    for name in rng.sample(names, 2):
        words.insert(rng.randint(1, len(words)), name)  # mid-sentence capitals: candidate keys
    words.insert(rng.randint(1, len(words)), str(rng.randint(2, 990)))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _edit(rng: random.Random, text: str, rate: float) -> str:
    words = text.split(" ")
    for k in range(len(words)):
        if rng.random() < rate and words[k].islower():
            words[k] = rng.choice(COMMON)
    return " ".join(words)


def generate(n: int, seed: int = 9) -> list[dict]:
    """Return ``n`` fictional articles in families: exact copies, edited copies, extended and
    unrelated texts.

    Families share some names with the family before them, so the clusterer
    sees candidate links it has to reject, not only easy ones.
    """
    rng, out, prev = random.Random(seed), [], []
    while len(out) < n:
        names = [_name(rng) for _ in range(4)] + prev[:1]
        prev = names
        base = [_sentence(rng, names) for _ in range(rng.randint(5, 9))]
        title = " ".join([names[0], rng.choice(COMMON), names[1], rng.choice(COMMON)])
        day = f"2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)}"
        for k in range(rng.randint(1, 9)):
            kind = rng.random()
            paras = list(base)
            if k and kind < 0.3:  # an exact copy under another outlet
                pass
            elif k and kind < 0.7:
                paras = [_edit(rng, p, 0.12) for p in paras]
            elif k and kind < 0.85:
                paras = paras + [_sentence(rng, names) for _ in range(3)]
            elif k:
                paras = paras[: max(2, len(paras) // 2)]
            out.append(
                {
                    "title": title,
                    "outlet": OUTLETS[(len(out) + k) % len(OUTLETS)],
                    "published": f"{day}T0{k % 10}:00:00Z",
                    "text": "\n\n".join(paras),
                }
            )
            if len(out) == n:
                break
    return out


def write_corpus(root: Path, articles: list[dict], warc_every: int = 100) -> None:
    """Write ``articles`` as two JSON Lines files and a CC-NEWS-style WARC.gz (every
    ``warc_every``-th one)."""
    root.mkdir(parents=True, exist_ok=True)
    in_warc = [a for k, a in enumerate(articles) if k % warc_every == 0]
    rest = [a for k, a in enumerate(articles) if k % warc_every]
    half = len(rest) // 2
    for name, part in (("a.jsonl", rest[:half]), ("b.jsonl", rest[half:])):
        (root / name).write_text("".join(json.dumps(a) + "\n" for a in part), encoding="utf-8")
    write_warc(root / "news.warc.gz", [warc_record(a, k) for k, a in enumerate(in_warc)])


def warc_record(article: dict, k: int) -> dict:
    """Return a WARC response record (HTML page) for one generated article."""
    body = "".join(f"<p>{p}</p>" for p in article["text"].split("\n\n"))
    html = (
        "<!DOCTYPE html><html lang='en'><head><meta "
        f"charset='utf-8'><title>{article['title']}</title>"
        f"</head><body><article><h1>{article['title']}</h1>{body}</article></body></html>"
    )
    return {
        "uri": f"https://news{k % 7}.example/story/{k}",
        "body": html,
        "date": article["published"],
    }


def write_warc(path: Path, records: list[dict]) -> list[int]:
    """Write response records with HTML payloads to a gzipped WARC; return their byte offsets."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    offsets = []
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for r in records:
            offsets.append(fh.tell())
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            rec = writer.create_warc_record(
                r["uri"],
                "response",
                payload=io.BytesIO(r["body"].encode()),
                http_headers=http,
                warc_headers_dict={"WARC-Date": r["date"]},
            )
            writer.write_record(rec)
    return offsets


def store_stories(store) -> dict[str, dict]:
    """Return ``{story id: {members, origin, n_sources}}`` for every story in a store."""
    out, offset = {}, 0
    while True:
        page = store.list_stories(limit=1000, offset=offset)
        for s in page:
            full = store.get_story(s["id"])
            out[s["id"]] = {"members": sorted(full["articles"]), "origin": full.get("origin"),
                            "n_sources": full.get("n_sources")}  # fmt: skip
        if len(page) < 1000:
            return out
        offset += 1000


def parquet_stories(spark, out: Path) -> dict[str, dict]:
    """Return the same mapping from a batch run's ``story_members`` and ``stories`` tables."""
    members: dict[str, list[str]] = {}
    for row in spark.read.parquet(str(out / "story_members")).collect():
        members.setdefault(row.story_id, []).append(row.article_id)
    rows = {r.id: r for r in spark.read.parquet(str(out / "stories")).collect()}
    return {
        sid: {"members": sorted(m), "origin": rows[sid].origin, "n_sources": rows[sid].n_sources}
        for sid, m in members.items()
    }
