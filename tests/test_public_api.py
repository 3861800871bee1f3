"""The public names stay what the docs say, whatever was imported first."""

import importlib
import json
import subprocess
import sys
import types

import pytest

import newstrace
from newstrace.report.jsonout import to_json


def test_compare_and_drift_are_functions_even_after_subpackages_load():
    importlib.import_module("newstrace.pairwise.align")
    importlib.import_module("newstrace.report.jsonout")
    assert callable(newstrace.compare) and not isinstance(newstrace.compare, type(newstrace))
    assert callable(newstrace.drift) and not isinstance(newstrace.drift, type(newstrace))


def test_all_is_sorted_and_resolves():
    assert newstrace.__all__ == sorted(newstrace.__all__)
    for name in newstrace.__all__:
        assert getattr(newstrace, name) is not None


def test_drift_on_two_sentences():
    changes = newstrace.drift(
        "Up to 300 people were evacuated on Monday, officials said.",
        "More than 300 people were evacuated on Monday, officials said.",
    )
    assert any(c.type == "qualifier" and c.severity == "meaning" for c in changes)


def test_compare_takes_a_long_one_line_text():
    # Longer than a file name may be (255 bytes), with no newline: it is text, never an OSError.
    a = (
        "The harbour board of Tessaly approved a new "
        "ferry pier on Monday after two years of talks. "
    ) * 4
    b = "Tessaly's harbour board approved a new ferry pier on Monday after two years of talks. " * 4
    c = newstrace.compare(a.strip(), b.strip())
    assert c.a.sentences and c.b.sentences


WIRE = (
    "outlet: Gull Wire\ndate: 2025-06-05\n\n"
    "The ferry to Lissel Island resumed on Friday after a week of storms, the harbour office said. "
    "Crews checked the pier on Thursday and found no damage."
)
REWRITE = (
    "outlet: Morning Ledger\ndate: 2025-06-06\n\n"
    "Gull Wire reports that the ferry to Lissel Island resumed on Friday after a week of storms. "
    "Crews checked the pier on Thursday and found no damage."
)


def test_compare_texts_reads_header_lines_and_never_probes_paths():
    result = newstrace.compare_texts(WIRE, REWRITE)
    assert {result.a.article.outlet, result.b.article.outlet} == {"Gull Wire", "Morning Ledger"}
    assert (
        newstrace.compare_texts("04-morning-ledgr.txt", "05-evening-gull.txt").a.text
        == "04-morning-ledgr.txt"
    )


def test_compare_texts_refuses_non_strings():
    from newstrace.errors import ConfigError

    with pytest.raises(ConfigError, match="must be a str"):
        newstrace.compare_texts(b"bytes", "text")


def test_a_missing_file_spec_is_missing_input_not_text(tmp_path):
    from newstrace.errors import MissingInput

    (tmp_path / "a.txt").write_text(WIRE)
    for spec in (
        "04-morning-ledgr.txt",
        f"{tmp_path}/nope.jsonl:3",
        f"{tmp_path}/nope.jsonl#x1",
        f"{tmp_path}/x.warc.gz@0",
    ):
        with pytest.raises(MissingInput):
            newstrace.compare(str(tmp_path / "a.txt"), spec)


def test_one_spec_parser_everywhere(tmp_path):
    """``file.jsonl:N`` and ``file.jsonl#ID`` pick the same article in compare(), read_article() and
    the CLI."""
    lines = [
        {"id": "w1", "outlet": "Gull Wire", "text": WIRE.split("\n\n", 1)[1]},
        {"id": "r1", "outlet": "Morning Ledger", "text": REWRITE.split("\n\n", 1)[1]},
    ]
    path = tmp_path / "pair.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    assert newstrace.read_article(f"{path}:2").id == newstrace.read_article(f"{path}#r1").id == "r1"
    by_line = newstrace.compare(f"{path}:1", f"{path}:2")
    by_id = newstrace.compare(f"{path}#w1", f"{path}#r1")
    assert to_json(by_line) == to_json(by_id)
    run = subprocess.run(
        [sys.executable, "-m", "newstrace", "compare", f"{path}:1", f"{path}#r1", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["verdict"] == by_line.verdict


def test_every_public_name_survives_importing_every_other():
    import importlib
    import pkgutil

    for info in pkgutil.walk_packages(newstrace.__path__, "newstrace."):
        if (
            not info.name.startswith("newstrace.batch") and info.name != "newstrace.__main__"
        ):  # batch needs [spark]
            importlib.import_module(info.name)
    for name in newstrace.__all__:
        value = getattr(newstrace, name)
        assert not isinstance(value, types.ModuleType), name
    assert callable(newstrace.normalize) and callable(newstrace.compare)
