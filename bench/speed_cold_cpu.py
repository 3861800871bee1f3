"""CPU ms of a cold normalize+compare of bench/speed.py's pair under semantic auto and on.

    python bench/speed_cold_cpu.py [RUNS]

The two settings alternate in one process; the vector cache is emptied before each run. Prints
min and median CPU ms (``time.process_time``), the wall same-story ms and the score, then the
CPU cost of embedding each head and body alone. Needs the [multilingual] extra.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from speed import _texts, make_pair

from newstrace.normalize import normalize
from newstrace.pairwise import compare_documents
from newstrace.pairwise import similarity as sim
from newstrace.semantic import (
    choose_embedder,
    default_embedder,
    paraphrase_embedder,
)
from newstrace.settings import Settings


def _models(mode: str):
    s = Settings(semantic=mode)
    return s, choose_embedder(s, "en", "en"), paraphrase_embedder(s, "en", "en")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    a, b = make_pair(_texts(ROOT.parent / "shared" / "data"))
    for mode in ("auto", "on"):  # warm word lists, regexes and the model
        s, e, p = _models(mode)
        compare_documents(normalize(a), normalize(b), s, e, p)
    res: dict[str, list[float]] = {}
    for _ in range(runs):
        for mode in ("auto", "on"):
            s, e, p = _models(mode)
            for m in {id(x): x for x in (e, p) if x is not None}.values():
                m._cache.clear()
            c0 = time.process_time()
            c = compare_documents(normalize(a), normalize(b), s, e, p)
            res.setdefault(f"{mode} CPU ms", []).append((time.process_time() - c0) * 1e3)
            res.setdefault(f"{mode} story_ms (wall)", []).append(c.timings["story_ms"])
            res.setdefault(f"{mode} score", []).append(c.same_story_score)
    for k, v in res.items():
        print(f"{k}: min {min(v):.4g} median {statistics.median(v):.4g}")
    model = default_embedder()._model
    da, db = normalize(a), normalize(b)
    for name, t in (
        ("head a", sim.head(da)),
        ("head b", sim.head(db)),
        ("body a", sim.body(da)),
        ("body b", sim.body(db)),
    ):
        c0 = time.process_time()
        model.passage([t])
        ms = (time.process_time() - c0) * 1e3
        print(f"{name}: {len(t)} chars, {model.token_count(t)} tokens, {ms:.0f} ms CPU")


if __name__ == "__main__":
    main()
