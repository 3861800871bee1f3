"""Command line: parse arguments, call the library, print. No logic of its own."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from .errors import NewstraceError
from .settings import DEFAULT, Settings


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def handle_errors(fn):
    """Turn newstrace errors into one line on stderr and the error's exit code."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NewstraceError as exc:
            _fail(str(exc), exc.exit_code)
        except (BrokenPipeError, KeyboardInterrupt):
            sys.exit(130)
        except Exception as exc:  # a bug: say so in one line, keep the trace for debugging
            if os.environ.get("NEWSTRACE_DEBUG"):
                raise
            _fail(f"internal error: {type(exc).__name__}: {exc} (set NEWSTRACE_DEBUG=1 for the trace)", 70)

    return wrapper


def settings_options(fn):
    """Add the shared settings flags to a command."""
    fn = click.option("--semantic", type=click.Choice(["off", "on", "auto"]), default=DEFAULT.semantic,
                      show_default=True, help="Embedding pass for cross-language alignment ([multilingual] extra).")(fn)
    fn = click.option("--max-bytes", type=int, default=DEFAULT.max_bytes, show_default=True,
                      help="Refuse inputs larger than this many bytes.")(fn)
    return fn


def make_settings(semantic: str, max_bytes: int) -> Settings:
    """Return validated Settings from the shared flags."""
    return DEFAULT.with_(semantic=semantic, max_bytes=max_bytes)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newstrace")
def main() -> None:
    """newstrace: trace news articles to their origin."""


@main.command("compare")
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON (schema newstrace.comparison/1).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help="Write a standalone side-by-side HTML page.")
@settings_options
@handle_errors
def compare_cmd(a: str, b: str, as_json: bool, html_path: Path | None, semantic: str, max_bytes: int) -> None:
    """Compare two articles: same story?, who took from whom, alignment, drift.

    A and B are files (.txt .md .html .json .jsonl; pick a JSONL line with
    FILE:N or FILE#ID).
    """
    from . import api
    from .report.html import render_html
    from .report.jsonout import to_json
    from .report.terminal import render_terminal

    result = api.compare(_existing(a), _existing(b), make_settings(semantic, max_bytes))
    if html_path:
        html_path.write_text(render_html(result), encoding="utf-8")
    if as_json:
        click.echo(to_json(result))
    else:
        from rich.console import Console

        render_terminal(result, Console())
        if html_path:
            click.echo(f"HTML report written to {html_path}")


def _existing(spec: str) -> Path | str:
    """Return ``spec`` as a Path so the API reads it as a file, never as text."""
    from .errors import MissingInput

    base = spec.rsplit("#", 1)[0]
    if ":" in base and base.rsplit(":", 1)[1].isdigit():
        base = base.rsplit(":", 1)[0]
    if not Path(base).exists():
        raise MissingInput("no such file", source=base, hint="check the path")
    return spec if base != spec else Path(spec)
