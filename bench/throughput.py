"""Fingerprint and candidate throughput of newstrace against datasketch.

Run: python bench/throughput.py [--n 5000] [--ds-max 10000] [--runs 3] [--write]
(``--write`` puts the table for this corpus size into docs/benchmarks.md and
keeps the tables of other sizes, e.g. ``--n 100000 --runs 1 --write``.)

Corpus: real articles from ../shared/data (ECB+ texts and both sides of the
SemEval-2022 pairs, read in place, never copied), plus generated derivatives
whose source is known. When --n needs more originals than there are real
texts, the rest are word salads drawn from the real word frequencies (so they
are unrelated to everything else). Each original gets derivatives in turn:

- near_dup: 3 % of words dropped, inserted or swapped with a neighbour;
- truncated: only the first 60-90 % of the words;
- para_dropped: one paragraph (line) or sentence removed;
- rewrite: 10 % of words replaced and two sentences swapped.

Known pairs: every pair inside a family (an original and its derivatives).
Both engines use the same shingles (newstrace.fingerprint.shingles, 3 words),
128 permutations, and 32 bands of 4 rows, and both stream: each text is
queried against the texts before it, then inserted. Precision is reported two
ways: the share of candidate pairs that are known pairs, and the share whose
exact shingle-set Jaccard is at least --jaccard (a real copy the generator
did not plan also counts).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from newstrace.fingerprint import LSHIndex, minhash_batch, shingle_hashes, shingles
from newstrace.settings import Settings

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADING = "## Fingerprints and candidates"
KINDS = ("near_dup", "truncated", "para_dropped", "rewrite")


def load_texts(data: Path) -> list[str]:
    """Return the distinct real texts; exit with a message when the data is absent."""
    ecb, sem = data / "ecbplus-dev.jsonl", data / "semeval22-dev.jsonl"
    if not ecb.exists() or not sem.exists():
        sys.exit(f"skipped: {ecb} or {sem} not found (the shared dev data is not here)")
    texts = [json.loads(line)["text"] for line in ecb.open(encoding="utf-8")]
    for line in sem.open(encoding="utf-8"):
        row = json.loads(line)
        texts += [row["text1"], row["text2"]]
    return list(dict.fromkeys(t for t in texts if len(t.split()) >= 20))


# --- derivatives -----------------------------------------------------------


def edit_words(text: str, rate: float, vocab: list[str], rng: random.Random) -> str:
    """Return ``text`` with about ``rate`` of its words dropped, inserted or swapped."""
    w = text.split(" ")
    for _ in range(max(1, round(rate * len(w)))):
        i = rng.randrange(len(w))
        op = rng.random()
        if op < 1 / 3 and len(w) > 1:
            del w[i]
        elif op < 2 / 3:
            w.insert(i, rng.choice(vocab))
        elif i + 1 < len(w):
            w[i], w[i + 1] = w[i + 1], w[i]
    return " ".join(w)


def truncate(text: str, rng: random.Random) -> str:
    w = text.split(" ")
    return " ".join(w[: max(1, int(len(w) * rng.uniform(0.6, 0.9)))])


def drop_paragraph(text: str, rng: random.Random) -> str:
    """Return ``text`` without one of its lines, or one of its sentences if it has one line."""
    sep = "\n" if text.count("\n") >= 2 else ". "
    parts = text.split(sep)
    if len(parts) > 1:
        del parts[rng.randrange(1, len(parts))]
    return sep.join(parts)


def rewrite(text: str, vocab: list[str], rng: random.Random) -> str:
    """Return ``text`` with 10 % of words replaced and two sentences swapped."""
    w = text.split(" ")
    for i in rng.sample(range(len(w)), max(1, len(w) // 10)):
        w[i] = rng.choice(vocab)
    parts = " ".join(w).split(". ")
    if len(parts) > 2:
        i, j = rng.sample(range(len(parts)), 2)
        parts[i], parts[j] = parts[j], parts[i]
    return ". ".join(parts)


def derive(text: str, kind: str, vocab: list[str], rng: random.Random) -> str:
    if kind == "near_dup":
        return edit_words(text, 0.03, vocab, rng)
    if kind == "truncated":
        return truncate(text, rng)
    if kind == "para_dropped":
        return drop_paragraph(text, rng)
    return rewrite(text, vocab, rng)


def word_salad(n: int, real: list[str], rng: random.Random) -> list[str]:
    """Return ``n`` texts of words drawn from the real word frequencies and lengths."""
    counts = Counter(w for t in real for w in t.split())
    vocab, freq = list(counts), np.array(list(counts.values()), float)
    lengths = [len(t.split()) for t in real]
    nprng = np.random.default_rng(rng.randrange(2**32))
    out = []
    for _ in range(n):
        ids = nprng.choice(len(vocab), size=rng.choice(lengths), p=freq / freq.sum())
        out.append(" ".join(vocab[i] for i in ids))
    return out


def build_corpus(n: int, real: list[str], seed: int):
    """Return (texts, family of each text, kind of each text), shuffled."""
    rng = random.Random(seed)
    vocab = sorted({w for t in real[:500] for w in t.split()})
    n_orig = max(1, n // 2)
    originals = rng.sample(real, min(len(real), n_orig))
    originals += word_salad(n_orig - len(originals), real, rng)
    docs = [(t, f, "original") for f, t in enumerate(originals)]
    for i in range(n - len(docs)):
        f = i % len(originals)
        kind = KINDS[(i // len(originals) + f) % len(KINDS)]
        docs.append((derive(originals[f], kind, vocab, rng), f, kind))
    rng.shuffle(docs)
    return [d[0] for d in docs], [d[1] for d in docs], [d[2] for d in docs]


# --- the two engines ---------------------------------------------------------


def clock() -> float:
    """CPU seconds of this process: other work on a shared machine does not count."""
    return time.process_time()


def best_of(runs: int, fn, *args) -> dict:
    """Return the result of the run of ``fn`` with the smallest total time."""
    return min((fn(*args) for _ in range(runs)), key=lambda r: r["total"])


def run_newstrace(texts: list[str], settings: Settings) -> dict:
    t0 = clock()
    sigs = minhash_batch(texts, settings)
    t1 = clock()
    pairs = LSHIndex(settings).add_batch(range(len(texts)), sigs)
    t2 = clock()
    return {"sign": t1 - t0, "total": t2 - t0, "pairs": {tuple(sorted(p)) for p in pairs}}


def run_datasketch(texts: list[str], settings: Settings) -> dict:
    from datasketch import MinHash, MinHashLSH

    size, perm, bands = settings.shingle_size, settings.num_perm, settings.lsh_bands
    t0 = clock()
    sh = [[s.encode("utf-8") for s in shingles(t, size)] for t in texts]
    t1 = clock()
    sigs = MinHash.bulk(sh, num_perm=perm, seed=settings.seed)
    t2 = clock()
    lsh = MinHashLSH(num_perm=perm, params=(bands, perm // bands))
    pairs = set()
    for i, m in enumerate(sigs):
        if sh[i]:  # newstrace keeps texts without words out of the index too
            pairs.update((j, i) for j in lsh.query(m))
            lsh.insert(i, m)
    t3 = clock()
    return {"shingle": t1 - t0, "sign": t2 - t0, "total": t3 - t0, "pairs": pairs}


# --- scoring ----------------------------------------------------------------


def known_pairs(families: list[int], kinds: list[str]) -> dict[tuple[int, int], str]:
    """Return every pair inside a family, with the kind of its derivative (or 'between')."""
    by_family: dict[int, list[int]] = {}
    for i, f in enumerate(families):
        by_family.setdefault(f, []).append(i)
    out = {}
    for members in by_family.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                ki, kj = kinds[i], kinds[j]
                kind = kj if ki == "original" else ki if kj == "original" else "between"
                out[(min(i, j), max(i, j))] = kind
    return out


def true_jaccard(texts: list[str], pairs: set, size: int) -> dict:
    """Return the exact shingle-set Jaccard of each pair (64-bit shingle hashes as the sets)."""
    need = sorted({i for p in pairs for i in p})
    hashes, offsets = shingle_hashes([texts[i] for i in need], size)
    sets = {i: set(hashes[offsets[k] : offsets[k + 1]].tolist()) for k, i in enumerate(need)}
    out = {}
    for i, j in pairs:
        a, b = sets[i], sets[j]
        out[(i, j)] = len(a & b) / len(a | b) if a or b else 0.0
    return out


def score(found: set, known: dict, jac: dict, threshold: float) -> dict:
    by_kind = {k: [0, 0] for k in (*KINDS, "between")}
    for pair, kind in known.items():
        by_kind[kind][1] += 1
        by_kind[kind][0] += pair in found
    hits = sum(v[0] for v in by_kind.values())
    return {
        "recall": hits / max(1, len(known)),
        "by_kind": {k: v[0] / v[1] for k, v in by_kind.items() if v[1]},
        "precision_known": sum(p in known for p in found) / max(1, len(found)),
        "precision_j": sum(jac[p] >= threshold or p in known for p in found) / max(1, len(found)),
        "candidates": len(found),
    }


def restrict(pairs, keep: set):
    return {p for p in pairs if p[0] in keep and p[1] in keep}


# --- report -------------------------------------------------------------------


def table(rows: list[tuple[str, int, int, dict, dict]], threshold: float) -> str:
    """Return the markdown table; each row is (name, pairs scored over, docs timed, run, score)."""
    head = (
        "| engine | docs | text → signatures, docs/s | + LSH candidates, docs/s | candidate pairs "
        "| recall (known pairs) | near_dup | truncated | para_dropped | rewrite "
        f"| precision (known) | precision (known or J ≥ {threshold}) |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    lines = []
    for name, n, timed, run, sc in rows:
        kinds = " | ".join(f"{sc['by_kind'].get(k, math.nan):.3f}" for k in KINDS)
        lines.append(
            f"| {name} | {n:,} | {timed / run['sign']:,.0f} | {timed / run['total']:,.0f} "
            f"| {sc['candidates']:,} | {sc['recall']:.3f} | {kinds} "
            f"| {sc['precision_known']:.3f} | {sc['precision_j']:.3f} |"
        )
    return head + "\n".join(lines) + "\n"


BLOCK = re.compile(r"^### ([\d,]+) documents\n.*?(?=^### |\Z)", re.DOTALL | re.MULTILINE)
FOOTER = (
    "Recall is over known pairs (every pair inside a family); a kind's column counts the "
    "pairs of an original with a derivative of that kind. Precision (known) counts candidate "
    "pairs that are known pairs; the last column also accepts pairs whose exact "
    "shingle-set Jaccard is at least the bar in its header. Each corpus size is written by "
    "its own run (`--write`) and keeps the other sizes' tables."
)


def write_section(n: int, body: str) -> None:
    """Put the table for ``n`` documents into the HEADING section of docs/benchmarks.md.

    The section holds one ``### N documents`` block per corpus size; this
    replaces the block for ``n``, keeps the others (sorted by size) and leaves
    the rest of the file alone.
    """
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    found = pattern.search(text)
    blocks = {}
    if found:
        for m in BLOCK.finditer(found.group(0)):
            blocks[int(m.group(1).replace(",", ""))] = m.group(0).replace(FOOTER, "").strip()
    blocks[n] = f"### {n:,} documents\n\n{body.strip()}"
    section = f"{HEADING}\n\n" + "\n\n".join(blocks[k] for k in sorted(blocks)) + f"\n\n{FOOTER}\n"
    if found:
        text = pattern.sub(lambda _: section + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=5000, help="articles in the corpus")
    p.add_argument("--ds-max", type=int, default=10000, help="datasketch runs on the first N only")
    p.add_argument("--seed", type=int, default=0, help="corpus generator seed")
    p.add_argument("--jaccard", type=float, default=0.5, help="true-Jaccard bar for precision")
    p.add_argument("--runs", type=int, default=3, help="time each engine this often, keep the best")
    p.add_argument("--data", type=Path, default=DATA)
    p.add_argument("--write", action="store_true", help=f"write the table into {DOCS.name}")
    args = p.parse_args(argv)
    settings = Settings()

    real = load_texts(args.data)
    texts, families, kinds = build_corpus(args.n, real, args.seed)
    minhash_batch(texts[:50], settings)  # one-time table building is not throughput
    ns = best_of(args.runs, run_newstrace, texts, settings)
    m = min(args.n, args.ds_max)
    ds = best_of(args.runs, run_datasketch, texts[:m], settings)

    known = known_pairs(families, kinds)
    sample = set(range(m))
    known_m = {p: k for p, k in known.items() if p[0] < m and p[1] < m}
    jac = true_jaccard(texts, ns["pairs"] | ds["pairs"], settings.shingle_size)
    rows = [("newstrace", args.n, args.n, ns, score(ns["pairs"], known, jac, args.jaccard))]
    if m < args.n:
        rows.append(
            (
                f"newstrace, pairs in the first {m:,}",
                m,
                args.n,
                ns,
                score(restrict(ns["pairs"], sample), known_m, jac, args.jaccard),
            )
        )
    rows.append(("datasketch", m, m, ds, score(ds["pairs"], known_m, jac, args.jaccard)))

    words = sum(len(t.split()) for t in texts) / len(texts)
    cmd = "python bench/throughput.py" + (f" --n {args.n}" if args.n != 5000 else "")
    cmd += f" --ds-max {args.ds_max}" if args.ds_max != 10000 else ""
    cmd += f" --runs {args.runs}" if args.runs != 3 else ""
    out = table(rows, args.jaccard)
    ns_rate, ds_rate = args.n / ns["total"], m / ds["total"]
    body = (
        f"Command: `{cmd}`. One process on one core, Python {sys.version.split()[0]}; "
        f"docs/s are documents per CPU second of the process (`time.process_time`), "
        f"{'best of ' + str(args.runs) + ' runs' if args.runs > 1 else 'one run'}, "
        "so other load on the machine does not count.\n\n"
        f"Corpus: {args.n:,} texts, {words:.0f} words on "
        f"average: {min(len(real), args.n // 2):,} real "
        f"articles from `../shared/data` (ECB+ and SemEval-2022), "
        f"{max(0, args.n // 2 - len(real)):,} word salads, and derivatives of them; "
        f"{len(known):,} known pairs. Same shingles ({settings.shingle_size} words), "
        f"{settings.num_perm} permutations, {settings.lsh_bands} bands of "
        f"{settings.num_perm // settings.lsh_bands} rows for both engines.\n\n"
        + out
        + f"\nText → candidates: newstrace {ns_rate:,.0f} "
        f"docs/s, datasketch {ds_rate:,.0f} docs/s, "
        f"**{ns_rate / ds_rate:.1f}x**. Text → signatures: {args.n / ns['sign']:,.0f} against "
        f"{m / ds['sign']:,.0f} docs/s, {(args.n / ns['sign']) / (m / ds['sign']):.1f}x "
        f"(datasketch spends {ds['shingle'] / ds['sign']:.0%} of it making the shingle strings).\n"
    )
    print(body + "\n" + FOOTER)
    if args.write:
        write_section(args.n, body)
        print(f"wrote {DOCS}")


if __name__ == "__main__":
    main()
