"""Coverage, verdict classes (METER: wholly / partially / not derived), omissions and additions."""

from __future__ import annotations

from ..model import Addition, Alignment, Document, Omission
from ..settings import Settings
from .align_scores import sentence_words


def _size(doc: Document) -> dict[int, int]:
    return {s.i: max(1, len(sentence_words(s.text, doc.language))) for s in doc.content}


def coverage(a: Document, b: Document, alignment: Alignment) -> tuple[float, float]:
    """Return (share of B's content words from A, share of A's content words used in B)."""
    sb, sa = _size(b), _size(a)
    b_used = sum(sb[link.b] for link in alignment.links if link.a and link.b in sb)
    a_used = sum(sa[i] for i, label in enumerate(alignment.a_labels) if label == "kept" and i in sa)
    return (
        round(b_used / sum(sb.values()), 4) if sb else 0.0,
        round(a_used / sum(sa.values()), 4) if sa else 0.0,
    )


def verdict(derivative_share: float, same_story: bool, settings: Settings) -> str:
    """Return the METER class for a derivative whose ``derivative_share`` comes from the source."""
    if derivative_share >= settings.wholly_min:
        return "wholly_derived"
    if derivative_share >= settings.partially_min and same_story:
        return "partially_derived"
    return "not_derived"


def _runs(indices: list[int], paragraph: dict[int, int]) -> list[tuple[int, ...]]:
    """Group sorted sentence indices into runs that are adjacent and in one paragraph."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1 and paragraph[i] == paragraph[i - 1]:
            runs[-1].append(i)
        else:
            runs.append([i])
    return [tuple(r) for r in runs]


def omissions(a: Document, alignment: Alignment, salience) -> tuple[Omission, ...]:
    """Return A's omitted runs, most salient first; ``salience(text, lang) -> (score, why)``."""
    para = {s.i: s.paragraph for s in a.sentences}
    omitted = [i for i, label in enumerate(alignment.a_labels) if label == "omitted"]
    out = []
    for run in _runs(omitted, para):
        text = " ".join(a.sentences[i].text for i in run)
        score, why = salience(text, a.language)
        out.append(Omission(a=run, salience=round(score, 3), why=why))
    return tuple(sorted(out, key=lambda o: (-o.salience, o.a)))


def additions(b: Document, alignment: Alignment, classify) -> tuple[Addition, ...]:
    """Return B's runs of new sentences; ``classify(text, lang) -> (kind, credits)``."""
    para = {s.i: s.paragraph for s in b.sentences}
    new = [link.b for link in alignment.links if link.label == "new"]
    out = []
    for run in _runs(new, para):
        # Classify sentence by sentence: a credit ("according to X") sits in one
        # sentence, and one factual sentence makes the whole run a claim.
        found = [classify(b.sentences[i].text, b.language) for i in run]
        kind = "claim" if any(k == "claim" for k, _c in found) else "framing"
        credited = next((c for _k, c in found if c), None)
        out.append(Addition(b=run, kind=kind, credits=credited))
    return tuple(out)
