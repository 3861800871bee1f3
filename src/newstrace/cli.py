"""Command line: parse arguments, call the library, print. No logic of its own."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from .errors import NewstraceError
from .listing import SORTS
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
            _fail(
                (
                    f"internal error: {type(exc).__name__}: "
                    f"{exc} (set NEWSTRACE_DEBUG=1 for the trace)"
                ),
                70,
            )

    return wrapper


def settings_options(fn):
    """Add the shared settings flags to a command."""
    fn = click.option(
        "--semantic",
        type=click.Choice(["off", "on", "auto"]),
        default=DEFAULT.semantic,
        show_default=True,
        help="Embedding pass for cross-language alignment ([multilingual] extra).",
    )(fn)
    fn = click.option(
        "--max-bytes",
        type=int,
        default=DEFAULT.max_bytes,
        show_default=True,
        help="Refuse inputs larger than this many bytes.",
    )(fn)
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
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the comparison as JSON (schema newstrace.comparison/2).",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a standalone side-by-side HTML page.",
)
@click.option(
    "--full",
    is_flag=True,
    help=(
        "Show every omission and addition whole (default: "
        "the 3 most salient, first sentence of each)."
    ),
)
@settings_options
@handle_errors
def compare_cmd(
    a: str, b: str, as_json: bool, html_path: Path | None, full: bool, semantic: str, max_bytes: int
) -> None:
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

        render_terminal(result, Console(), full=full)
        if html_path:
            click.echo(f"HTML report written to {html_path}")


def _existing(spec: str) -> Path:
    """Return ``spec`` as a Path, so the API reads it as a file spec (``FILE``, ``FILE:N``,
    ``FILE@N``, ``FILE#ID``), never as text."""
    return Path(spec)


# -- corpus commands: ingest, stories, story, trace (thin over newstrace.Corpus) ----------------

_DB_HELP = (
    "Store: a SQLite file, or postgresql://user@host/dbname[?schema=NAME] "
    "(needs pip install 'newstrace[postgres]')."
)


def _db_option(fn):
    return click.option("--db", default="./newstrace.db", show_default=True, help=_DB_HELP)(fn)


def _run_ingest(corpus, sources, provenance: bool = True):
    """Ingest with a progress bar on stderr; return the IngestReport."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        tasks: dict = {}

        def progress(stage: str, done: int, total):
            if stage not in tasks:
                label = "reading articles" if stage == "ingest" else "tracing provenance"
                tasks[stage] = bar.add_task(label, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        return corpus.ingest(sources, provenance=provenance, progress=progress)


# Exit codes of ingest and trace (docs/cli.md): everything read, some items failed, nothing read.
EXIT_OK, EXIT_SOME_FAILED, EXIT_NOTHING_READ = 0, 1, 2


def _print_summary(report, db: str) -> None:
    click.echo(
        f"read {report.read}, new {report.new}, exact copies {report.exact_copies}, "
        f"already stored {report.duplicate}, failed {len(report.failed)}; "
        f"{_plural(report.stories, 'story', 'stories')} ({report.seconds:.1f}s)",
        err=True,
    )
    for f in report.failed:
        click.echo(f"  failed: {f.source}: {f.reason}", err=True)
    click.echo(f"store: {db} (newstrace stories --db {db})", err=True)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _exit_for(report) -> None:
    """Exit 2 when sources failed and nothing was read, 1 when some failed, else return."""
    if not report.failed:
        return
    if report.read <= len(report.failed):
        click.echo("error: nothing could be read from the sources given", err=True)
        sys.exit(EXIT_NOTHING_READ)
    sys.exit(EXIT_SOME_FAILED)


@main.command("ingest")
@click.argument("sources", nargs=-1, required=True)
@_db_option
@click.option(
    "--no-provenance", is_flag=True, help="Cluster stories only; skip the pair comparisons."
)
@click.option("--json", "as_json", is_flag=True, help="Print the ingest summary as JSON.")
@settings_options
@handle_errors
def ingest_cmd(sources, db, no_provenance, as_json, semantic, max_bytes) -> None:
    """Read articles into the store and update stories.

    SOURCES are files, directories, globs (.txt .md .html .json .jsonl,
    RSS/Atom feeds, .warc/.warc.gz). Re-running is safe: stored articles are skipped.
    Each unreadable item is reported by name and skipped.

    Exit status: 0 all read; 1 some items failed (the rest was ingested);
    2 nothing could be read.
    """
    import json

    from .pipeline import Corpus

    with Corpus(db, make_settings(semantic, max_bytes)) as corpus:
        report = _run_ingest(corpus, sources, provenance=not no_provenance)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    _print_summary(report, db)
    _exit_for(report)


@main.command("batch")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--out", required=True, help="Output directory (any path Spark writes) for the Parquet tables."
)
@click.option(
    "--master",
    default=None,
    help="Spark master: local[*], local[N], spark://HOST:PORT, yarn "
    "(default: spark-submit's, else local[*]).",
)
@click.option("--db", default=None, help="Also load the results into this store (path or URL).")
@click.option(
    "--partitions",
    type=click.IntRange(1),
    default=None,
    help="Partitions per shuffle (default: twice the default parallelism).",
)
@click.option(
    "--no-provenance", is_flag=True, help="Cluster stories only; skip the pair comparisons."
)
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@settings_options
@handle_errors
def batch_cmd(
    sources, out, master, db, partitions, no_provenance, as_json, semantic, max_bytes
) -> None:
    """Run the corpus pipeline on Apache Spark ([spark] extra) and write Parquet tables.

    SOURCES are files, directories or globs on any file system Spark reads
    (local, s3a://, hdfs://): JSON Lines, WARC/WARC.gz (CC-NEWS) and the other
    ingest formats. Tables under OUT: articles, story_members, stories, edges,
    failures. Same stories and ids as `newstrace ingest`. See docs/batch.md.
    """
    import json

    from .batch import run_batch

    report = run_batch(
        list(sources),
        out,
        master=master,
        db=db,
        partitions=partitions,
        settings=make_settings(semantic, max_bytes),
        provenance=not no_provenance,
    )
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    click.echo(
        f"read {report.read}, articles {report.articles}, same id skipped {report.duplicates}, "
        f"failed {report.failed}; {report.stories} stories, {report.edges} edges -> {report.out} "
        f"({report.seconds:.1f}s)",
        err=True,
    )


@main.command("stories")
@_db_option
@click.option(
    "--limit",
    default=50,
    show_default=True,
    type=click.IntRange(0),
    help="Stories to show (0 = all).",
)
@click.option(
    "--offset",
    default=0,
    show_default=True,
    type=click.IntRange(0),
    help="Skip this many stories first.",
)
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="size",
    show_default=True,
    help=(
        "size: most articles first; recent: latest article "
        "first; sources: most independent sources first."
    ),
)
@click.option("--outlet", help="Only stories with an article from this outlet.")
@click.option(
    "--language", help="Only stories with an article in this language (ISO 639-1, e.g. de)."
)
@click.option(
    "--since", help="Only stories with an article published on or after this date (YYYY-MM-DD)."
)
@click.option(
    "--until", help="Only stories with an article published on or before this date (YYYY-MM-DD)."
)
@click.option("--query", "-q", help="Only stories whose articles match these words.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (schema newstrace.story/2).")
@handle_errors
def stories_cmd(db, limit, offset, sort, as_json, **options) -> None:
    """List stories: articles, outlets, independent sources, origin, first seen."""
    from .listing import STORY_FILTERS
    from .pipeline import Corpus

    filters = {k: v for k, v in options.items() if k in STORY_FILTERS and v}
    with Corpus(_existing_db(db)) as corpus:
        doc = _all_pages(corpus, limit, offset, sort, filters)
    _show(doc, as_json, "stories_table")


def _all_pages(corpus, limit: int, offset: int, sort: str, filters: dict) -> dict:
    """Return the listing of ``limit`` stories from ``offset`` (0 = all), read a page of at most
    1,000 at a time."""
    from .store.base import MAX_LIMIT

    doc = corpus.stories(
        limit=min(limit or MAX_LIMIT, MAX_LIMIT), offset=offset, sort=sort, **filters
    )
    wanted = limit or doc["total"]
    while len(doc["stories"]) < min(wanted, doc["total"] - offset):
        step = min(wanted - len(doc["stories"]), MAX_LIMIT)
        page = corpus.stories(limit=step, offset=offset + len(doc["stories"]), sort=sort, **filters)
        if not page["stories"]:
            break
        doc["stories"].extend(page["stories"])
    return doc


@main.command("story")
@click.argument("story_id")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (schema newstrace.story/2).")
@click.option(
    "--full",
    is_flag=True,
    help="Show every omission, addition and drift item (default: the first 5 of each).",
)
@settings_options
@handle_errors
def story_cmd(story_id, db, as_json, full, semantic, max_bytes) -> None:
    """Show a story's derivation tree with each edge's evidence, omissions, additions and drift."""
    from .pipeline import Corpus

    with Corpus(_existing_db(db), make_settings(semantic, max_bytes)) as corpus:
        doc = corpus.story(story_id)
    _show(doc, as_json, "story_tree", full=full)


@main.command("export")
@_db_option
@click.option(
    "--what",
    type=click.Choice(["stories", "articles", "edges"]),
    default="stories",
    show_default=True,
    help="stories: one row per story; articles: one per article with its story and role; "
    "edges: the provenance graph (Source, Target columns, as Gephi reads them; syndicated "
    "copies are rows of kind copy).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "parquet"]),
    default="csv",
    show_default=True,
    help="parquet needs pyarrow (pip install 'newstrace[parquet]').",
)
@click.option("--story", "story_ids", multiple=True, help="Only this story (repeat for more).")
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: standard output; parquet needs --out).",
)
@handle_errors
def export_cmd(db, what, fmt, story_ids, out) -> None:
    """Export stories, articles or provenance edges as CSV, JSON Lines or Parquet."""
    from .errors import ConfigError
    from .pipeline import Corpus
    from .report.tables import write_rows
    from .stories.export import COLUMNS

    if fmt == "parquet" and out is None:
        raise ConfigError("parquet is binary: give a file with --out")
    with Corpus(_existing_db(db)) as corpus:
        rows = corpus.export_rows(what, story_ids or None)
        if out is None:
            write_rows(rows, COLUMNS[what], fmt, sys.stdout.buffer)
            return
        tmp = out.with_name(out.name + ".part")
        with open(tmp, "wb") as fh:
            n = write_rows(rows, COLUMNS[what], fmt, fh)
        tmp.replace(out)  # a failed export leaves no half-written file under the real name
    click.echo(f"wrote {_plural(n, 'row', 'rows')} of {what} to {out}", err=True)


@main.command("trace")
@click.argument("sources", nargs=-1)
@click.option("--example", is_flag=True, help="Run on the bundled example corpus.")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON: the stories and the main story.")
@settings_options
@handle_errors
def trace_cmd(sources, example, db, as_json, semantic, max_bytes) -> None:
    """Ingest SOURCES and report: the stories, then the main story's derivation tree.

    Exit status as for ingest: 0 all read; 1 some items failed; 2 nothing could be read.
    """
    import json

    from .errors import ConfigError
    from .pipeline import Corpus

    if example:
        from importlib import resources

        sources = (*sources, str(resources.files("newstrace.examples") / "corpus"))
    if not sources:
        raise ConfigError("trace needs SOURCES or --example")
    with Corpus(db, make_settings(semantic, max_bytes)) as corpus:
        report = _run_ingest(corpus, sources)
        listing, main_story = corpus.trace_report()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "schema": listing["schema"],
                    "kind": "trace",
                    "ingest": report.as_dict(),
                    "stories": listing,
                    "story": main_story,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        _exit_for(report)
        return
    _print_summary(report, db)
    _show(listing, False, "stories_table")
    if main_story:
        _show(main_story, False, "story_tree")
    _exit_for(report)


def _existing_db(db: str, hint: str = "run 'newstrace ingest SOURCE... --db FILE' first") -> str:
    from .errors import MissingInput
    from .store import is_url

    if db != ":memory:" and not is_url(db) and not Path(db).exists():
        raise MissingInput("no store here", source=db, hint=hint)
    return db


def _show(doc, as_json: bool, view: str, **options) -> None:
    import json

    if as_json:
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    from rich.console import Console

    from .stories import render

    Console().print(getattr(render, view)(doc, **options))


# -- serve: the web UI and REST API over the store (newstrace.web, [web] extra) -----------------


@main.command("serve")
@_db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on; the default accepts connections from this machine only.",
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port."
)
@click.option(
    "--token",
    default=None,
    envvar="NEWSTRACE_TOKEN",
    show_envvar=True,
    help="Require 'Authorization: Bearer TOKEN' on POST /api/v1/articles.",
)
@click.option("--create", is_flag=True, help="Create an empty store when --db does not exist yet.")
@handle_errors
def serve_cmd(db, host, port, token, create) -> None:
    """Serve the web UI and the REST API (/api/v1) over the store.

    Pages: story list, story (provenance graph, timeline), pair, compare form.
    Without --token, binding beyond loopback prints a warning: anyone who can
    connect could add articles. A missing store is refused unless --create.
    """
    from .web.serve import run

    if not create:
        _existing_db(
            db,
            hint=(
                "run 'newstrace ingest SOURCE... --db FILE' "
                "first, or serve an empty store with --create"
            ),
        )
    run(db, host, port, token, warn=lambda text: click.secho(text, err=True, fg="red", bold=True))
