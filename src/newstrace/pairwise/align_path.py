"""The order-aware choice: one Viterbi path through B that picks each sentence's cover (or none).

News rewrites mostly keep their source's order. The path walks B in order
and keeps a position in A (the last A sentence used). Each B sentence
either takes one of its candidate covers or is new (no source, position
unchanged). A cover is worth its strength above the paraphrase threshold;
moving on in A by zero or one sentence (a split, the next sentence) or
one back (two adjacent sentences swapped) earns a bonus, skipping ahead
costs a little (omissions are common), and going further back costs more.
So a weak match far out of place loses to "new", while
a strong match out of order (a moved paragraph) pays its jumps and stays.
This is the passage-level Viterbi idea of passim, at sentence level.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .align_scores import Cover

ORDER_BONUS = (
    0.0  # measured: a bonus for the next A sentence took in-order new material (docs/alignment.md)
)
SKIP_COST = 0.0  # skipping ahead is free: omissions are common
BACK_COST = 0.1  # going back far in A: a moved paragraph pays it once on the way back
FAR = 7  # A sentences back at which the full cost applies


def transition(prev: int, cover: Cover) -> float:
    """Return the bonus (positive) or cost (negative) of taking ``cover`` after A position
    ``prev``."""
    d = cover.lo - prev
    # The same sentence again (a split), the next one, or the one before (two sentences swapped,
    # as rewrites often do) all follow the document.
    if d in (-1, 0, 1) or (cover.lo <= prev < cover.hi):
        return ORDER_BONUS
    if d > 1:
        return -SKIP_COST * math.log2(d)
    # Further back is out of place: two back pays half the cost, FAR back all of it.
    return -BACK_COST * min(1.0, math.log2(1 - d) / math.log2(1 + FAR))


def best_path(options: Sequence[Sequence[Cover]], threshold: float) -> list[Cover | None]:
    """Return the chosen cover (or None for new) of each B sentence, maximizing the path score.

    ``options[j]`` lists the candidate covers of B sentence j; a cover is worth
    ``strength - threshold`` plus its transition, and one at or below the
    threshold is never taken. Ties go to the earlier A
    sentence, then to "new", so the result is deterministic.
    """
    # state: A position reached -> (score, back-pointer chain as a tuple-linked list)
    states: dict[int, tuple[float, tuple]] = {-1: (0.0, ())}
    jump: dict[int, float] = {}  # A distance -> transition(), for jumps that leave the order
    for opts in options:
        # "new" for every state first: it keeps the position, and the positions are distinct, so
        # each is what _offer would put in the empty table.
        nxt: dict[int, tuple[float, tuple]] = {
            pos: (score, (chain, None)) for pos, (score, chain) in states.items()
        }
        for cover in opts:
            gain = cover.strength - threshold
            if gain <= 0:
                # Never worth taking: a match below the threshold must not serve as a cheap
                # stepping stone back in A (new keeps the position, and the jump pays its cost).
                continue
            lo, hi = cover.a[0], cover.a[-1]
            # transition() inlined (this loop is most of the path's time); ties go to the
            # earlier A position, as max() over (score, -pos) would.
            best_score, best_pos, best_chain = 0.0, 0, ()
            first = True
            for pos, (score, chain) in states.items():
                d = lo - pos
                if -1 <= d <= 1 or lo <= pos < hi:
                    t = ORDER_BONUS
                else:
                    t = jump.get(d)
                    if t is None:
                        t = jump[d] = transition(pos, cover)
                value = score + gain + t
                if first or value > best_score or (value == best_score and pos < best_pos):
                    best_score, best_pos, best_chain, first = value, pos, chain, False
            _offer(nxt, hi, best_score, (best_chain, cover))
        states = nxt
    _pos, (_score, chain) = max(states.items(), key=lambda kv: (kv[1][0], -kv[0]))
    out: list[Cover | None] = []
    while chain:
        chain, choice = chain
        out.append(choice)
    return out[::-1]


def _offer(nxt: dict, pos: int, score: float, chain: tuple) -> None:
    cur = nxt.get(pos)
    if cur is None or score > cur[0] + 1e-12:
        nxt[pos] = (score, chain)
