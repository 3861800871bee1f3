"""Drift recall on real text: known meaning changes written into real derivative sentences.

Run: ``python bench/quality_injected.py [--sets realpairs ecb semeval] [--show CLASS ...]
[--write]``.

The real dev pairs carry only two labelled meaning changes, too few to say how
often a change is found in real, long sentences. This benchmark makes more of
them the way a careless rewrite would: it takes a real pair, picks a B sentence
that the comparison aligned to A, edits it with one of the rules below (only
where the words it edits are in the A sentences that B sentence came from, so
the edit is a change against A), compares A with the edited B, and asks:

- **found**: does a ``meaning`` change of the expected type sit in the edited
  sentence (or, for an edit inside a quotation, the quote's own change: "quote
  altered")?
- **other new flags**: how many ``meaning`` changes appeared that the
  unedited pair did not have, beside the one sought (a false alarm the edit
  provoked elsewhere).

B sentences that state nothing (a web address, a date line of fewer than six words) are not
edited. Edit classes (each is one change a fact-checker must be shown):

- ``certainty``: a hedge made certain ("is expected to help" -> "will help";
  "could", "may", "might", "aims to", "plans to", "hopes to", "seeks to", "wants
  to", "expects to", "is likely to" -> "will"; not "would", the past of "will" in
  reported speech);
- ``bound``: a lower or upper bound dropped ("more than 500,000" -> "500,000");
- ``number``: a figure doubled ("270 MW" -> "540 MW"; not years), where A gives
  the same figure with the same word after it;
- ``negation``: an affirmative auxiliary negated ("has signed" -> "has not signed");
- ``attribution``: the credit of a claim dropped (", said the company." ->
  ".", "According to X, ..." -> "...");
- ``causality``: a causal link invented (", while" / ", and" -> ", because");
- ``date``: a month moved by three, or a year by one ("2023" -> "2024");
- ``quantifier``: a part made the whole ("some", "several", "many", "most of" -> "all").

Sets of pairs (all read from the shared data, never copied):

- ``realpairs``: the 10 hand-labelled real pairs, with their metadata, default
  settings (the rules of drift were developed while reading these pairs);
- ``ecb``: ECB+ same-event pairs (English news of one event by different
  outlets; the first four pairs of each event) that ``compare`` calls derived,
  lexical;
- ``semeval``: English SemEval-2022 pairs called derived, lexical.

The edit rules are this project's own, so a figure is a measure of how the
detectors behave inside real sentences, not an accuracy on changes real
rewrites made: the real held-out pairs stay the check for that.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quality_ecb_pairs
import quality_realpairs

SECTION = "## Drift recall on real text: changes written into real sentences"
_NEGATION = re.compile(r"\b(?:not|no|never|cannot)\b|n't\b", re.IGNORECASE)
_CAUSAL = re.compile(
    r"\b(?:because|due to|as a result|owing to|since|thanks to|caused|led to)\b", re.IGNORECASE
)
_ATTRIBUTION = re.compile(r"\b(?:said|says|added|noted|stated|according to|told)\b", re.IGNORECASE)
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Edit:
    """One rule: the types a detector may report it as, and how to apply it."""

    name: str
    types: frozenset
    apply: Callable[[str, str], str | None]  # (B sentence, its A sources) -> edited, or None


def _first(patterns, s: str, a: str, need_in_a: bool = True) -> str | None:
    """Apply the first of ``patterns`` (regex, replacement) that matches ``s`` and whose matched
    cue (group ``cue``) is in ``a``; return the edited sentence, or None."""
    for pat, rep in patterns:
        m = re.search(pat, s)
        if m is None:
            continue
        cue = m.group("cue") if "cue" in m.re.groupindex else m.group()
        if need_in_a and cue.casefold() not in a.casefold():
            continue
        new = s[: m.start()] + m.expand(rep) + s[m.end() :]
        if new != s:
            return new
    return None


def _certainty(s: str, a: str) -> str | None:
    return _first(
        [
            (r"\b(?P<cue>(?:is|are) expected to) (\w+)", r"will \2"),
            (r"\b(?P<cue>(?:is|are) likely to) (\w+)", r"will \2"),
            (r"\b(?P<cue>(?:aims|plans|intends|hopes|seeks|wants|expects) to) (\w+)", r"will \2"),
            (r"\b(?P<cue>could|may|might) (?!not\b)(\w+)", r"will \2"),
        ],
        s,
        a,
    )


def _bound(s: str, a: str) -> str | None:
    return _first(
        [
            (
                (
                    r"\b(?P<cue>more than|over|up to|at least|fewer than|less than|as many as) "
                    r"(?=[$€£]?\d)"
                ),
                "",
            )
        ],
        s,
        a,
    )


def _number(s: str, a: str) -> str | None:
    # The figure with the word after it ("23 pirates", "270 MW") must be in A: the same quantity.
    for m in re.finditer(r"(?<![\w.,$€£-])(\d{2,4})(?![\d,.]?\d)[\s-]*([^\W\d_]+)", s):
        value, noun = int(m.group(1)), m.group(2)
        if 1900 <= value <= 2099:
            continue
        if re.search(rf"(?<![\d.,]){value}[\s-]*{re.escape(noun)}", a, re.IGNORECASE):
            return s[: m.start(1)] + str(2 * value) + s[m.end(1) :]
    return None


def _negation(s: str, a: str) -> str | None:
    if _NEGATION.search(a) or _NEGATION.search(s):
        return None
    for m in re.finditer(r"\b(will|would|can|is|are|was|were|has|have|had) ([a-z]\w+)", s):
        if f"{m.group(1)} {m.group(2)}".casefold() in a.casefold():
            return s[: m.end(1)] + " not" + s[m.end(1) :]
    return None


def _attribution(s: str, a: str) -> str | None:
    if not _ATTRIBUTION.search(a):
        return None
    m = re.match(r"According to [^,]{3,60}, (\w)", s)
    if m:
        return m.group(1).upper() + s[m.end() :]
    return _first(
        [
            (
                (
                    r",\s+(?:he|she|they|it|the\s+\w+|[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})\s+"
                    r"(?:said|says|added|noted|stated)(?=\.$)"
                ),
                "",
            ),
            (r",\s+(?:said|says|added|noted)\s+(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+){0,3}(?=\.$)", ""),
            (r",\s+according to [^,.]{3,60}(?=\.$)", ""),
        ],
        s,
        a,
        need_in_a=False,
    )


def _causality(s: str, a: str) -> str | None:
    if _CAUSAL.search(a) or _CAUSAL.search(s):
        return None
    return _first([(r", (?:while|and) (?=[a-z])", ", because ")], s, a, need_in_a=False)


def _date(s: str, a: str) -> str | None:
    for k, month in enumerate(_MONTHS):
        if month != "May" and re.search(rf"\b{month}\b", s) and month in a:
            return re.sub(rf"\b{month}\b", _MONTHS[(k + 3) % 12], s, count=1)
    m = re.search(r"(?<![\d-])(20[0-3]\d)(?![\d-])", s)
    if m and m.group(1) in a:
        return s[: m.start(1)] + str(int(m.group(1)) + 1) + s[m.end(1) :]
    return None


def _quantifier(s: str, a: str) -> str | None:
    return _first([(r"\b(?P<cue>some|several|many|most(?= of))\b(?= [a-z])", "all")], s, a)


EDITS = (
    Edit("certainty", frozenset({"certainty"}), _certainty),
    Edit("bound", frozenset({"qualifier", "number"}), _bound),
    Edit("number", frozenset({"number"}), _number),
    Edit("negation", frozenset({"negation"}), _negation),
    Edit("attribution", frozenset({"attribution"}), _attribution),
    Edit("causality", frozenset({"causality"}), _causality),
    Edit("date", frozenset({"date", "number"}), _date),
    Edit("quantifier", frozenset({"scope", "qualifier"}), _quantifier),
)


# ---------------------------------------------------------------- the pairs


def realpairs(data: Path) -> Iterator[tuple[str, object, dict, object]]:
    """Yield (name, A, B record, settings) of the real dev pairs (default settings)."""
    from newstrace.settings import DEFAULT

    for label, rec_a, rec_b in quality_realpairs.load_pairs(data):
        yield label["id"], quality_realpairs.to_article(rec_a, "a"), rec_b, DEFAULT


def _derived(named_texts) -> Iterator[tuple[str, object, dict, object]]:
    from newstrace import compare
    from newstrace.model import Article
    from newstrace.settings import DEFAULT

    lexical = DEFAULT.with_(semantic="off")
    for name, a, b in named_texts:
        art_a = Article(text=a, id="a", outlet="Outlet A")
        if compare(art_a, b, lexical).verdict != "not_derived":
            yield name, art_a, {"text": b, "outlet": "Outlet B"}, lexical


def ecb(data: Path):
    """Yield the ECB+ same-event pairs ``compare`` calls derived (lexical)."""
    seen: collections.Counter = collections.Counter()

    def named():
        for event, a, b in quality_ecb_pairs.event_pairs(data):
            seen[event] += 1
            yield f"{event}#{seen[event]}", a, b

    return _derived(named())


def semeval(data: Path):
    """Yield the English SemEval-2022 pairs ``compare`` calls derived (lexical)."""
    rows = (json.loads(x) for x in (data / "semeval22-dev.jsonl").open(encoding="utf-8"))
    return _derived(
        (str(r["pair_id"]), r["text1"], r["text2"])
        for r in rows
        if r["lang1"] == r["lang2"] == "en"
    )


SETS = {"realpairs": realpairs, "ecb": ecb, "semeval": semeval}


# ---------------------------------------------------------------- measuring


_URLISH = re.compile(r"https?://|www\.|\.(?:com|org|net|html?)\b", re.IGNORECASE)


def _claim(text: str) -> bool:
    """Return True for a sentence that states something: not a web address, and at least six
    words that are not figures (a date line, "8: 44AM BST 16 Sep 2013", states nothing)."""
    return not _URLISH.search(text) and len(re.findall(r"[^\W\d_]{2,}", text)) >= 6


def _b_article(rec: dict, text: str):
    from newstrace.model import Article

    if "url" in rec:
        return quality_realpairs.to_article({**rec, "text": text}, "b")
    return Article(text=text, id="b", outlet=rec.get("outlet"))


def _meaning(c) -> list[tuple]:
    o = quality_realpairs.orient(c)
    return o, [ch for ch in o.changes if ch[1] == "meaning"]


def _key(ch: tuple) -> tuple:
    return ch[0], ch[4], ch[5]


def measure_pair(name: str, a, rec_b: dict, settings) -> Iterator[dict]:
    """Yield one result per edit applied to an aligned B sentence of the pair."""
    from newstrace import compare

    base, flags = _meaning(compare(a, _b_article(rec_b, rec_b["text"]), settings))
    before = {_key(ch) for ch in flags}
    raw = rec_b["text"]
    for j, sentence in enumerate(base.b.sentences):
        src = [base.a.sentences[i] for i, jj in sorted(base.links) if jj == j]
        sources = " ".join(x.text for x in src)
        spans = [(x.start, x.start + len(x.text)) for x in src]
        if not sources or raw.count(sentence.text) != 1 or not _claim(sentence.text):
            continue
        for edit in EDITS:
            new = edit.apply(sentence.text, sources)
            if not new:
                continue
            text = raw.replace(sentence.text, new, 1)
            lo = text.index(new)
            o, got = _meaning(compare(a, _b_article(rec_b, text), settings))
            # An edit inside a quotation is found as the quote's change: it was altered. A
            # change with nothing left on B's side (a credit dropped) sits in the A sources.
            inside = [
                ch
                for ch in got
                if (ch[0] in edit.types or ch[0] == "quote")
                and (
                    (ch[3] and ch[3][0] < lo + len(new) and ch[3][1] > lo)
                    or (
                        not ch[3] and ch[2] and any(x < ch[2][1] and ch[2][0] < y for x, y in spans)
                    )
                )
            ]
            others = [ch for ch in got if _key(ch) not in before and ch not in inside]
            at = next((k for k, x in enumerate(o.b.sentences) if new in x.text), None)
            near = [ch for ch in o.changes if ch[3] and ch[3][0] < lo + len(new) and ch[3][1] > lo]
            yield {
                "pair": name,
                "edit": edit.name,
                "found": bool(inside),
                # why a miss: the edited sentence lost its alignment, or its change was cosmetic
                "aligned": any(jj == at for _i, jj in o.links),
                "cosmetic": any(ch[0] in edit.types and ch[1] == "cosmetic" for ch in near),
                "others": len(others),
                "a": sources,
                "b": sentence.text,
                "edited": new,
                "got": [(ch[0], ch[1], ch[4], ch[5]) for ch in near],
                "other_flags": [(ch[0], ch[4], ch[5]) for ch in others],
            }


def run_set(name: str, data: Path) -> list[dict]:
    """Return every edit's result on the pairs of set ``name``."""
    return [r for pair in SETS[name](data) for r in measure_pair(*pair)]


def summary(rows: list[dict]) -> dict:
    """Return per edit class: tries, found, recall, other new flags per edit."""
    out = {}
    for edit in [e.name for e in EDITS] + ["all"]:
        mine = [r for r in rows if edit in ("all", r["edit"])]
        found = sum(r["found"] for r in mine)
        missed = [r for r in mine if not r["found"]]
        out[edit] = {
            "unaligned": sum(not r["aligned"] for r in missed),
            "cosmetic": sum(r["aligned"] and r["cosmetic"] for r in missed),
            "tries": len(mine),
            "found": found,
            "recall": round(found / len(mine), 3) if mine else None,
            "others_per_edit": round(sum(r["others"] for r in mine) / len(mine), 3)
            if mine
            else None,
        }
    return out


def markdown(results: dict[str, list[dict]], command: str) -> str:
    """Return the section: per set and edit class, the recall, why the misses were missed and
    the other flags."""
    lines = [
        SECTION,
        "",
        (
            f"Command: `{command}`. Each edit is one change written into one real B sentence that "
            "the comparison aligned to A, where the edited words are in its A sources (see the "
            "module docstring of `bench/quality_injected.py`). *Found*: a `meaning` change of the "
            "edit's type in the edited sentence. A miss is *unaligned* when the edited sentence "
            "lost its alignment (so no change is looked for), *cosmetic* when a change of the "
            "type was found there but not trusted as `meaning`, else *not seen*. *Other flags*: "
            "`meaning` changes the unedited pair did not have, beside the one sought, per edit "
            "(false alarms the edit provoked)."
        ),
        "",
        (
            "| set | edit | found / tries | recall | missed: unaligned / cosmetic / not seen "
            "| other flags per edit |"
        ),
        "|---|---|---:|---:|---:|---:|",
    ]
    for n, rows in results.items():
        for edit, x in summary(rows).items():
            if not x["tries"]:
                continue
            missed = x["tries"] - x["found"]
            why = f"{x['unaligned']} / {x['cosmetic']} / {missed - x['unaligned'] - x['cosmetic']}"
            label = f"**{edit}**" if edit == "all" else edit
            lines.append(
                f"| {n} | {label} | {x['found']} / {x['tries']} | {x['recall']:.2f} | {why} "
                f"| {x['others_per_edit']:.2f} |"
            )
    return "\n".join(lines) + "\n"


def run(data: Path) -> dict:
    """Return ``{"metrics", "markdown"}`` for bench/quality.py: recall and other flags per edit,
    per set (the gate pins them)."""
    results = {n: run_set(n, data) for n in SETS}
    metrics = {}
    for n, rows in results.items():
        total = summary(rows)["all"]
        metrics[f"injected_{n}_recall"] = total["recall"]
        metrics[f"injected_{n}_others_per_edit"] = total["others_per_edit"]
    text = markdown(results, "python bench/quality_injected.py")
    return {"metrics": metrics, "markdown": text.split("\n", 2)[2]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="+", choices=list(SETS), default=list(SETS))
    ap.add_argument("--data", type=Path)
    ap.add_argument("--show", nargs="*", metavar="EDIT", help="list the misses (of these edits)")
    ap.add_argument("--others", action="store_true", help="list the other new flags")
    ap.add_argument("--json", type=Path, help="write every result here")
    ap.add_argument("--write", action="store_true", help="put the table into docs/quality.md")
    args = ap.parse_args(argv)
    data = quality_ecb_pairs.data_dir(args.data)
    if data is None:
        return quality_ecb_pairs.missing("ecbplus-dev.jsonl")
    results = {n: run_set(n, data) for n in args.sets}
    command = "python bench/quality_injected.py" + (
        "" if args.sets == list(SETS) else " --sets " + " ".join(args.sets)
    )
    text = markdown(results, command)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    for n, rows in results.items():
        for r in rows:
            wanted = args.show is not None and (not args.show or r["edit"] in args.show)
            if wanted and not r["found"]:
                print(f"MISS {n} {r['pair']} {r['edit']}\n  A : {r['a']}\n  B': {r['edited']}")
                print(f"  got: {r['got']}")
            if args.others and r["other_flags"]:
                print(f"OTHER {n} {r['pair']} {r['edit']}: {r['other_flags']}\n  B': {r['edited']}")
    if args.write:
        quality_realpairs.write_section(text, heading=SECTION)
    return 0


if __name__ == "__main__":
    sys.exit(main())
