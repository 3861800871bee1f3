"""Terminal views of ``newstrace.story/2`` documents (rich renderables; printing is the caller's)."""

from __future__ import annotations

from collections.abc import Mapping

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

_ROLE_STYLE = {"origin": "bold green", "copy": "dim", "derivative": "yellow",
               "independent": "bold cyan", "undetermined": "magenta", "absent_source": "bold blue"}  # fmt: skip
_VERDICT = {"wholly_derived": "wholly derived", "partially_derived": "partially derived",
            "not_derived": "not derived"}  # fmt: skip


def _when(value: str | None) -> str:
    return (value or "?")[:16].replace("T", " ")


def stories_table(doc: Mapping) -> Table:
    """Return the table of a stories listing."""
    table = Table(title=f"{doc['total']} stories (sources = independent sources)", title_justify="left",
                  header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    num = {"justify": "right", "no_wrap": True}
    # One line per story; the "story" column (id, then title) gives way first.
    table.add_column("story", min_width=14)
    for name in ("articles", "outlets", "sources"):
        table.add_column(name, min_width=len(name), **num)
    table.add_column("origin", min_width=10, max_width=16, no_wrap=True, overflow="ellipsis")
    table.add_column("first seen", no_wrap=True, min_width=10)
    for s in doc["stories"]:
        n_src = s["independent_sources"]
        story = Text(s["id"], style="dim", no_wrap=True, overflow="ellipsis")
        story.append("  " + (s.get("title") or ""), style="")
        table.add_row(
            story, str(s["n_articles"]), str(s["n_outlets"]),
            Text(str(n_src) if n_src is not None else "–", style="bold" if n_src == 1 else ""),
            s.get("origin_outlet") or "–", (s["first_published"] or "?")[:10],
        )  # fmt: skip
    return table


def _label(node: Mapping) -> Text:
    a, role = node["article"], node["role"]
    text = Text()
    if a.get("virtual"):
        text.append(f"[{a['label']}]", style=_ROLE_STYLE["absent_source"])
        text.append("\ncommon source of the rewrites below; counts as one independent source", style="dim")
        return text
    text.append(a.get("outlet") or a["id"], style=_ROLE_STYLE.get(role, ""))
    text.append(f"  {_when(a.get('published'))}  ", style="dim")
    text.append(role, style=_ROLE_STYLE.get(role, ""))
    if a.get("language") and a["language"] != "en":
        text.append(f"  [{a['language']}]", style="dim")
    edge = node.get("edge")
    if edge:
        if edge["kind"] == "common_source":
            text.append(f"\nrewrites the common source, {edge['coverage']:.0%} of its text shared", style="")
        else:
            kind = "credits it" if edge["kind"] == "credits" else _VERDICT.get(edge["verdict"], edge["verdict"])
            text.append(f"\n{kind}, {edge['coverage']:.0%} of its text from the source", style="")
    if node["copies"]:
        names = ", ".join(c.get("outlet") or c["id"] for c in node["copies"])
        text.append(f"\nsyndicated verbatim by: {names}", style="dim")
    return text


def _details(branch: Tree, edge: Mapping) -> None:
    """Add an edge's evidence, main omissions, additions and drift under its article."""
    for e in edge["evidence"]:
        if e["weight"] > 0:
            branch.add(Text(f"evidence ({e['kind']}): {e['text']}", style="dim"))
    if edge.get("analysis"):
        branch.add(Text(alignment_line(edge["analysis"]), style="green"))
    for o in edge["omissions"][:2]:
        branch.add(Text(f"left out: {o['text']}", style="red"))
    for x in edge["additions"][:2]:
        credit = f" (credits {x['credits']})" if x.get("credits") else ""
        branch.add(Text(f"added{credit}: {x['text']}", style="cyan"))
    for d in [d for d in edge["drift"] if d["severity"] == "meaning"][:3]:
        branch.add(Text(f"drift ({d['type']}): {d['explanation']}", style="magenta"))


def alignment_line(an: Mapping) -> str:
    """Return e.g. "aligned: 7 of 9 sentences of the derivative (5 verbatim, 2 paraphrase)"."""
    counts: dict[str, int] = {}
    for link in an["alignment"]:
        counts[link["label"]] = counts.get(link["label"], 0) + 1
    kinds = ", ".join(f"{n} {k.replace('_', '-')}" for k, n in sorted(counts.items()))
    return f"aligned: {len(an['alignment'])} of {an['n_sentences']['b']} sentences of the derivative ({kinds or 'none'})"


def _grow(parent: Tree, node: Mapping) -> None:
    branch = parent.add(_label(node))
    if node.get("edge"):
        _details(branch, node["edge"])
    for child in node["children"]:
        _grow(branch, child)


def story_tree(doc: Mapping) -> Group:
    """Return the derivation tree of a story document, with its independent-source count."""
    n = doc["independent_sources"]
    head = Text()
    head.append(f"{doc.get('title') or doc['id']}\n", style="bold")
    head.append(f"story {doc['id']} · {doc['n_articles']} articles · {doc['n_outlets']} outlets · ")
    head.append(f"{n} independent source{'s' if n != 1 else ''}", style="bold green" if n == 1 else "bold")
    if doc.get("origin_outlet"):
        head.append(f" · origin: {doc['origin_outlet']}")
    tree = Tree(head, guide_style="dim")
    for node in doc["tree"]:
        _grow(tree, node)
    return Group(tree, Text(_plain(doc), style="italic"))


def _plain(doc: Mapping) -> str:
    n, total = doc["independent_sources"], doc["n_articles"]
    if n == 1:
        return f"All {total} articles trace back to one independent source."
    return f"The {total} articles trace back to {n} independent sources."
