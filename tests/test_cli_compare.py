"""The compare command: outputs, and one clear line with a non-zero exit for bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from newstrace.cli import main


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_terminal_report(corpus):
    r = run(
        "compare",
        corpus / "01-northgate-wire.txt",
        corpus / "04-morning-ledger.txt",
        "--semantic",
        "off",
    )
    assert r.exit_code == 0, r.output
    assert "Northgate Wire" in r.output
    assert "attribution" in r.output


def test_json_output_has_schema(corpus):
    r = run(
        "compare",
        corpus / "01-northgate-wire.txt",
        corpus / "02-valley-herald.txt",
        "--json",
        "--semantic",
        "off",
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["schema"] == "newstrace.comparison/2"
    assert data["verdict"] == "wholly_derived"


def test_html_output(corpus, tmp_path):
    out = tmp_path / "r.html"
    r = run(
        "compare",
        corpus / "01-northgate-wire.txt",
        corpus / "05-riverside-post.txt",
        "--html",
        out,
        "--semantic",
        "off",
    )
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "<html" in page and "Riverside Post" in page


def _bad(tmp_path, name, content: bytes):
    p = tmp_path / name
    p.write_bytes(content)
    return p


@pytest.mark.parametrize(
    "name,content,needle",
    [
        ("empty.txt", b"", ("empty",)),
        ("blank.txt", b"   \n\t\n  ", ("empty", "whitespace")),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, ("binary", "not text")),
        ("notes.docx", b"PK\x03\x04 something", ("unsupported",)),
        ("weird.xyz", b"plain words", ("unsupported",)),
    ],
)
def test_bad_input_one_line(tmp_path, corpus, name, content, needle):
    bad = _bad(tmp_path, name, content)
    r = run("compare", corpus / "01-northgate-wire.txt", bad)
    assert r.exit_code != 0
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1, r.output
    assert lines[0].startswith("error:") and any(n in lines[0].lower() for n in needle)
    assert name in lines[0]
    assert "Traceback" not in r.output


def test_missing_file(corpus):
    r = run("compare", corpus / "01-northgate-wire.txt", "/nonexistent/nope.txt")
    assert r.exit_code == 2
    assert r.output.startswith("error:") and "nope.txt" in r.output


def test_undecodable_file(tmp_path, corpus):
    # Random high bytes that no single-byte or multibyte codec reads as language.
    import random

    rnd = random.Random(7)
    data = bytes(rnd.choice(range(0x80, 0x100)) for _ in range(3000))
    bad = _bad(tmp_path, "garbled.txt", data)
    r = run("compare", corpus / "01-northgate-wire.txt", bad)
    assert r.exit_code != 0
    assert r.output.startswith("error:") and "Traceback" not in r.output


def test_same_file_twice(corpus):
    p = corpus / "01-northgate-wire.txt"
    r = run("compare", p, p)
    assert r.exit_code == 2
    assert "same" in r.output.lower()


def test_too_large_is_refused_with_settable_limit(tmp_path, corpus):
    big = tmp_path / "big.txt"
    sentence = "The council met on Monday and discussed the harbour budget in detail. "
    big.write_text(sentence * (5_000_000 // len(sentence) + 1), encoding="utf-8")
    r = run("compare", corpus / "01-northgate-wire.txt", big, "--max-bytes", "1000000")
    assert r.exit_code == 2
    assert "--max-bytes" in r.output and "Traceback" not in r.output


def test_console_script_entry_point(corpus):
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "newstrace",
            "compare",
            str(corpus / "01-northgate-wire.txt"),
            "/no/such.txt",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 2 and r.stderr.startswith("error:")
