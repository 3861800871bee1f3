"""Docs that stay true: the CLI reference matches the commands' help."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _gen():
    spec = importlib.util.spec_from_file_location(
        "gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current():
    import difflib

    expected = _gen().render()
    actual = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    diff = "".join(
        list(difflib.unified_diff(actual.splitlines(True), expected.splitlines(True)))[:30]
    )
    assert actual == expected, "docs/cli.md is stale: run python scripts/gen_cli_docs.py\n" + diff


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "pip install -e '.[test]' && python -m pytest"
    assert command in readme and command in ci
