"""Terminal views of ``newstrace.story/2`` documents (rich renderables; printing is the
caller's)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from rich.tree import Tree

from .view import measured

_ROLE_STYLE = {
    "origin": "bold green",
    "copy": "dim",
    "derivative": "yellow",
    "independent": "bold cyan",
    "undetermined": "magenta",
    "absent_source": "bold blue",
}
_VERDICT = {"wholly_derived": "wholly derived", "partially_derived": "partially derived",
            "not_derived": "not derived"}  # fmt: skip


def _when(value: str | None) -> str:
    return (value or "?")[:16].replace("T", " ")


def stories_table(doc: Mapping) -> StoriesListing:
    """Return the listing of stories: a line of counts per story, its title on the line below."""
    return StoriesListing(doc)


class StoriesListing:
    """Rich renderable of a stories listing, laid out for the console's width.

    Each story takes a line of counts (id, articles, outlets, independent
    sources, first seen, origin), then its title, indented and wrapped. Counts
    are never cut; the origin takes the rest of the line and wraps (never
    cut); below 20 columns left for it, it moves to a line of its own.
    """

    COUNTS = ("articles", "outlets", "sources")

    def __init__(self, doc: Mapping) -> None:
        self.doc = doc

    def __rich_console__(self, console, options):
        stories = self.doc["stories"]
        head = f"{_count(self.doc['total'], 'story', 'stories')} (sources = independent sources)"
        yield Text(head, style="bold")
        if not stories:
            return
        id_w = max(len("story"), *(len(s["id"]) for s in stories))
        rows = [self._cells(s) for s in stories]
        widths = [max(len(name), *(len(r[i]) for r in rows)) for i, name in enumerate(self.COUNTS)]
        fixed = id_w + sum(w + 1 for w in widths) + 2 + 10 + 2
        origin_w = options.max_width - fixed
        header = f"{'story':<{id_w}}" + "".join(f" {n:>{w}}" for n, w in zip(self.COUNTS, widths))
        yield Text(header + "  first seen" + ("  origin" if origin_w >= 20 else ""), style="bold")
        for s, cells in zip(stories, rows):
            yield from self._story(s, cells, id_w, widths, origin_w)

    @staticmethod
    def _cells(s: Mapping) -> list[str]:
        n_src = s["independent_sources"]
        return [
            f"{s['n_articles']:,}",
            f"{s['n_outlets']:,}",
            f"{n_src:,}" if n_src is not None else "–",
        ]

    def _story(self, s: Mapping, cells: list[str], id_w: int, widths: list[int], origin_w: int):
        line = Text(f"{s['id']:<{id_w}}", style="dim")
        for cell, w in zip(cells, widths):
            line.append(f" {cell:>{w}}")
        line.append(f"  {(s['first_published'] or '?')[:10]:<10}  ")
        origin = s.get("origin_outlet") or "–"
        if origin_w >= 20:
            indent = " " * line.cell_len
            chunks = [origin[i : i + origin_w] for i in range(0, len(origin), origin_w)] or [""]
            line.append(chunks[0], style="green")
            for chunk in chunks[1:]:
                line.append("\n" + indent + chunk, style="green")
            yield line
        else:
            yield line
            yield Padding(Text(f"origin: {origin}", style="green"), (0, 0, 0, 2), expand=False)
        yield Padding(
            Text(s.get("title") or "(no title)", style="italic"), (0, 0, 0, 2), expand=False
        )


def _count(n: int, one: str, many: str) -> str:
    """Return ``"1 story"`` / ``"3 stories"``, with thousands separators."""
    return f"{n:,} {one if n == 1 else many}"


def _label(node: Mapping) -> Text:
    a, role = node["article"], node["role"]
    text = Text()
    if a.get("virtual"):
        text.append(f"[{a['label']}]", style=_ROLE_STYLE["absent_source"])
        text.append(
            "\ncommon source of the rewrites below; counts as one independent source", style="dim"
        )
        return text
    text.append(a.get("name") or a.get("outlet") or a["id"], style=_ROLE_STYLE.get(role, ""))
    text.append(f"  {_when(a.get('published'))}  ", style="dim")
    text.append(role, style=_ROLE_STYLE.get(role, ""))
    if a.get("language") and a["language"] != "en":
        text.append(f"  [{a['language']}]", style="dim")
    edge = node.get("edge")
    if edge:
        if edge["kind"] == "common_source":
            text.append(
                f"\nrewrites the common source, {edge['coverage']:.0%} of its text shared", style=""
            )
        else:
            text.append("\n" + _edge_headline(edge), style="")
    if node["copies"]:
        names = ", ".join(c.get("name") or c.get("outlet") or c["id"] for c in node["copies"])
        text.append(f"\nsyndicated verbatim by: {names}", style="dim")
    return text


def _edge_headline(edge: Mapping) -> str:
    """Return "wholly derived, 100% of its text from the source" for an edge: the figures its
    sentence-level analysis measured when it has one (those ``compare`` prints), else the
    corpus decision's estimates."""
    shown = measured(edge) or edge
    verdict, cov = shown["verdict"], shown["coverage"]
    words = _VERDICT.get(verdict, verdict)
    if edge["kind"] == "credits":
        words = f"{words}, credits it" if verdict != "not_derived" else "credits it"
    return f"{words}, {cov:.0%} of its text from the source"


SHOWN = 5  # items of each list a story tree shows before "and N more" (all with full=True)


def _details(branch: Tree, edge: Mapping, full: bool = False) -> None:
    """Add an edge's evidence, omissions, additions and drift under its article."""
    for e in edge["evidence"]:
        if e["weight"] > 0:
            branch.add(Text(f"evidence ({e['kind']}): {e['text']}", style="dim"))
    if edge.get("analysis"):
        branch.add(Text(alignment_line(edge["analysis"]), style="green"))
    lists = (
        ("left out", [f"left out: {o['text']}" for o in edge["omissions"]], "red"),
        ("added", [_addition(x) for x in edge["additions"]], "cyan"),
        ("drift", [_drift_line(d) for d in edge["drift"] if d["severity"] == "meaning"], "magenta"),
    )
    for what, lines, style in lists:
        shown = lines if full else lines[:SHOWN]
        for line in shown:
            branch.add(Text(line, style=style))
        if len(lines) > len(shown):
            branch.add(
                Text(
                    f"{what}: and {len(lines) - len(shown)} more (see --full or --json)",
                    style="dim",
                )
            )


def _addition(x: Mapping) -> str:
    credit = f" (credits {x['credits']})" if x.get("credits") else ""
    return f"added{credit}: {x['text']}"


def _drift_line(d: Mapping) -> str:
    """Return a drift item with the words that changed quoted (from the explanation, or added)."""
    a, b = d.get("a_text") or "", d.get("b_text") or ""
    text = d["explanation"].removeprefix(f"{d['type']}: ")
    if (a and a not in text) or (b and b not in text):
        text += (
            f" ('{a}' became '{b}')" if a and b else f" ('{a or b}' {'dropped' if a else 'added'})"
        )
    return f"drift ({d['type']}): {text}"


def alignment_line(an: Mapping) -> str:
    """Return e.g. "aligned: 7 of 9 sentences of the derivative (5 verbatim, 2 paraphrase)"."""
    counts: dict[str, int] = {}
    for link in an["alignment"]:
        counts[link["label"]] = counts.get(link["label"], 0) + 1
    kinds = ", ".join(f"{n} {k.replace('_', '-')}" for k, n in sorted(counts.items()))
    return (
        f"aligned: {len(an['alignment'])} of {an['n_sentences']['b']} "
        f"sentences of the derivative ({kinds or 'none'})"
    )


def _grow(parent: Tree, node: Mapping, full: bool = False) -> None:
    branch = parent.add(_label(node))
    if node.get("edge"):
        _details(branch, node["edge"], full)
    for child in node["children"]:
        _grow(branch, child, full)


def story_tree(doc: Mapping, full: bool = False) -> Group:
    """Return the derivation tree of a story document, with its independent-source count.

    Each edge shows its first ``SHOWN`` omissions, additions and drift items
    and says how many more there are; ``full`` shows them all.
    """
    n = doc["independent_sources"]
    head = Text()
    head.append(f"{doc.get('title') or doc['id']}\n", style="bold")
    head.append(f"story {doc['id']} · {_count(doc['n_articles'], 'article', 'articles')} · "
                f"{_count(doc['n_outlets'], 'outlet', 'outlets')} · ")  # fmt: skip
    head.append(
        _count(n, "independent source", "independent sources"),
        style="bold green" if n == 1 else "bold",
    )
    if doc.get("origin_outlet"):
        head.append(f" · origin: {doc['origin_outlet']}")
    tree = Tree(head, guide_style="dim")
    for node in doc["tree"]:
        _grow(tree, node, full)
    return Group(tree, Text(_plain(doc), style="italic"))


def _plain(doc: Mapping) -> str:
    n, total = doc["independent_sources"], doc["n_articles"]
    if total == 1:
        return "This story has one article so far: its only source."
    if n == 1:
        return f"All {total:,} articles trace back to one independent source."
    return f"The {total:,} articles trace back to {n:,} independent sources."
