"""A Comparison as a terminal report a person can read in 20 seconds.

Order follows what a fact-checker asks first: what is it (verdict), why do
we think so (direction evidence), how much was taken (coverage), what
changed in meaning (drift), what was dropped and what was added. Every
colour repeats information already in the text, so the report survives
``NO_COLOR`` and copy-paste.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import Change, Comparison
from ._common import (
    boilerplate,
    direction_line,
    evidence_text,
    headline,
    only_in,
    points_to,
    ranked_omissions,
    sentence_text,
    side_name,
    split_drift,
    swap_note,
)

TOP_OMISSIONS = 3
_CLIP = 90
_VERDICT_STYLE = {
    "wholly_derived": "bold red",
    "partially_derived": "bold yellow",
    "not_derived": "bold green",
}


def render_terminal(c: Comparison, console: Console, full: bool = False) -> None:
    """Print the report for ``c`` on ``console``.

    By default the report shows the ``TOP_OMISSIONS`` most salient omissions,
    each by its first sentence, and says how many more there are; ``full``
    shows every omission and every sentence whole.
    """
    for part in (_headline, _direction, _coverage, _drift):
        part(c, console)
    _omissions(c, console, full)
    _additions(c, console, full)
    _footer(c, console)


def _clip(text: str, width: int = _CLIP) -> str:
    # Long sentences would wrap into walls of text; the HTML view has them whole.
    return text if len(text) <= width else text[: width - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"


def _headline(c: Comparison, console: Console) -> None:
    console.print(Text(headline(c), style=_VERDICT_STYLE.get(c.verdict, "bold")))
    story = "same story" if c.same_story else "not the same story"
    console.print(
        f"{story} (score {c.same_story_score:.2f}) \N{MIDDLE DOT} "
        f"A: {side_name(c.a, 'a')} \N{MIDDLE DOT} B: {side_name(c.b, 'b')} "
        f"\N{MIDDLE DOT} mode {c.mode}",
        highlight=False,
    )
    if swap_note(c):
        console.print(f"({swap_note(c)})", style="dim", highlight=False)


def _direction(c: Comparison, console: Console) -> None:
    d = c.direction
    console.print(
        f"\nDirection: {direction_line(c)} (confidence {d.confidence:.2f})", highlight=False
    )
    if d.source == "common_source":
        for side, text in sorted(only_in(c).items()):
            console.print(
                f"  {side.upper()} has, B lacks: {_clip(text, 200)}"
                if side == "a"
                else f"  B has, A lacks: {_clip(text, 200)}",
                highlight=False,
            )
    if not d.evidence:
        return
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for col in ("kind", "points to", "weight"):
        table.add_column(col, no_wrap=True)
    table.add_column("evidence", overflow="fold")
    for e in sorted(d.evidence, key=lambda e: -e.weight):
        table.add_row(e.kind, points_to(e), f"{e.weight:.2f}", _clip(evidence_text(e, c)))
    console.print(table)


def _coverage(c: Comparison, console: Console) -> None:
    console.print(
        f"\nCoverage: {c.coverage_b_from_a:.0%} of B comes from A; "
        f"B uses {c.coverage_a_in_b:.0%} of A",
        highlight=False,
    )


def _drift(c: Comparison, console: Console) -> None:
    meaning, cosmetic = split_drift(c)
    src = c.drift_source.upper()
    console.print(
        f"\nMeaning changes ({len(meaning)}), {src} \N{RIGHTWARDS ARROW} "
        f"{'B' if src == 'A' else 'A'}:"
        if meaning
        else "\nMeaning changes: none found",
        style="bold",
        highlight=False,
    )
    _grid(console, [_change_row(ch) for ch in meaning], mark_style="bold red", tag_style="bold")
    if cosmetic:
        kinds = ", ".join(sorted({ch.type for ch in cosmetic}))
        console.print(f"  + {len(cosmetic)} cosmetic change(s): {kinds}", highlight=False)


def _change_row(ch: Change) -> tuple[str, str, str, str]:
    where = "\N{RIGHTWARDS ARROW}".join(
        f"{side}{sp.sentence}" for side, sp in (("A", ch.a_span), ("B", ch.b_span)) if sp
    )
    text = _clip(ch.explanation, 160)
    if ch.explanation.endswith(" became none") and ch.a_text and ch.b_text:
        # "period: 'annually' became none": B's text is where the words were dropped, not what
        # replaced them
        text += f"\n{_quote(ch.a_text)} dropped at {_quote(ch.b_text)}"
    elif not _states(ch.explanation, ch.a_text, ch.b_text):
        text += f"\n{_quote(ch.a_text)} \N{RIGHTWARDS ARROW} {_quote(ch.b_text)}"
    return "!", where, f"{ch.type}, {ch.direction}" if ch.direction else ch.type, text


def _states(explanation: str, *texts: str) -> bool:
    # Skip the "before -> after" line when the explanation already quotes both.
    return all(t in explanation for t in texts)


def _quote(text: str) -> str:
    return f"\u201c{_clip(text, 40)}\u201d" if text else "(nothing)"


def _run_text(doc, indices: tuple[int, ...], full: bool) -> str:
    """Return a run of sentences: all of them with ``full``, else the first whole and a count of the
    rest."""
    if full or len(indices) <= 1:
        return sentence_text(doc, indices)
    rest = len(indices) - 1
    return f"{sentence_text(doc, indices[:1])} (+{rest} more sentence{'s' if rest > 1 else ''})"


def _omissions(c: Comparison, console: Console, full: bool = False) -> None:
    ranked = ranked_omissions(c)
    if not ranked:
        console.print("\nOmitted from A: nothing", style="bold")
        return
    console.print(
        f"\nOmitted from A ({len(ranked)}), most salient first:", style="bold", highlight=False
    )
    shown = ranked if full else ranked[:TOP_OMISSIONS]
    rows = [("-", ", ".join(f"A{i}" for i in o.a), f"salience {o.salience:.2f}; {o.why}",
             _run_text(c.a, o.a, full)) for o in shown]  # fmt: skip
    _grid(console, rows)
    if len(ranked) > len(shown):
        console.print(
            f"  and {len(ranked) - len(shown)} more (see --full or --json)", highlight=False
        )


def _additions(c: Comparison, console: Console, full: bool = False) -> None:
    if not c.additions:
        console.print("\nAdded in B: nothing", style="bold")
        return
    console.print(f"\nAdded in B ({len(c.additions)}):", style="bold", highlight=False)
    rows = [("+", ", ".join(f"B{i}" for i in x.b),
             x.kind + (f"; credits {x.credits}" if x.credits else ""),
             _run_text(c.b, x.b, full)) for x in c.additions]  # fmt: skip
    _grid(console, rows)


def _grid(
    console: Console,
    rows: list[tuple[str, str, str, str]],
    mark_style: str = "",
    tag_style: str = "dim",
) -> None:
    # Tag on the first line, sentence below it: wrapped text stays in its own column.
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right", style=mark_style)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for mark, where, tag, text in rows:
        cell = Text(f"[{tag}]", style=tag_style).append("\n" + text, style="")
        grid.add_row(mark, where, cell)
    console.print(grid)


def _footer(c: Comparison, console: Console) -> None:
    bp = boilerplate(c)
    n_a = sum(1 for side, *_ in bp if side == "a")
    console.print(
        f"\nBoilerplate ignored: {n_a} in A, {len(bp) - n_a} in B", style="dim", highlight=False
    )
