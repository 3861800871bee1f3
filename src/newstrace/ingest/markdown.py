"""Markdown articles to plain text, through markdown-it-py (CommonMark, linear time).

Headings, paragraphs, list items and quotes become paragraphs; links keep
their text; images, raw HTML and code blocks are dropped; emphasis and inline
code keep their words.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def markdown_blocks(body: str) -> list[tuple[str, str]]:
    """Return ``(kind, text)`` for each text block of Markdown ``body``: kind is ``h1``..``h6`` or
    ``p``."""
    blocks, kind = [], "p"
    for token in _parser().parse(body):
        if token.type == "heading_open":
            kind = token.tag
        elif token.type == "inline":
            text = _inline_text(token.children or [])
            if text.strip():
                blocks.append((kind, text.strip()))
            kind = "p"
    return blocks


def _inline_text(children) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def markdown_title(body: str) -> tuple[str | None, str]:
    """Return (the ``# Title`` on the first non-blank line or None, the rest of ``body``)."""
    stripped = body.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    if not first.startswith("# "):
        return None, body
    blocks = markdown_blocks(first)
    if len(blocks) == 1 and blocks[0][0] == "h1":
        return blocks[0][1], rest
    return None, body


def markdown_to_text(body: str) -> str:
    """Return ``body`` as plain text, one paragraph per block, blocks separated by a blank line."""
    return "\n\n".join(text for _kind, text in markdown_blocks(body))
