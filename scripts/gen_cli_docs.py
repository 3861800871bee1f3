"""Write docs/cli.md from the CLI's own help texts, so the reference never drifts.

python scripts/gen_cli_docs.py          # rewrite docs/cli.md
python scripts/gen_cli_docs.py --check  # exit 1 if docs/cli.md is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newstrace.cli import main

INTRO = """# Command-line reference

Generated from the commands' own `--help` by `python scripts/gen_cli_docs.py`;
a test fails when this file is stale.

Every command prints errors as one line, `error: <what> (<what to do>)`, and
exits non-zero: 2 for bad input or arguments, 3 for a missing optional extra,
4 for a store problem, 70 for an internal error (set `NEWSTRACE_DEBUG=1` for
the trace).
"""


def _help(command: click.Command, name: str) -> str:
    ctx = click.Context(
        command,
        info_name=name,
        terminal_width=88,
        max_content_width=88,
        help_option_names=["-h", "--help"],
    )
    return command.get_help(ctx)


def render() -> str:
    """Return the Markdown reference of every command."""
    parts = [INTRO, "## newstrace\n", "```text\n" + _help(main, "newstrace") + "\n```\n"]
    for name in sorted(main.commands):
        parts.append(f"## newstrace {name}\n")
        parts.append("```text\n" + _help(main.commands[name], f"newstrace {name}") + "\n```\n")
    return "\n".join(parts)


def run(check: bool) -> int:
    """Write (or with ``check``, compare) docs/cli.md; return the exit status."""
    path = ROOT / "docs" / "cli.md"
    text = render()
    if check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print("docs/cli.md is stale: run python scripts/gen_cli_docs.py", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(run("--check" in sys.argv))
