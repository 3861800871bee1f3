"""Dates in English words read the same whatever the process locale (issue 8 item 19)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime

import pytest

from newstrace.ingest import meta

WRITTEN = {
    "March 5, 2024": "2024-03-05",
    "Mar 5, 2024": "2024-03-05",
    "5 March 2024": "2024-03-05",
    "5 Mar 2024": "2024-03-05",
    "Sept 30, 2025": "2025-09-30",
    "30 February 2024": None,  # no such day
    "5 Brumaire 2024": None,  # no such (English) month
}

_READ_UNDER_LOCALE = """
import datetime, json, locale, sys
locale.setlocale(locale.LC_ALL, "")  # as an application embedding newstrace may do
assert datetime.date(2024, 3, 5).strftime("%B") == "März", "the German locale is not in use"
from newstrace.ingest.headers import date_value
from newstrace.ingest.meta import iso_date
texts = json.loads(sys.argv[1])
print(json.dumps({"meta": {t: iso_date(t) for t in texts}, "header": date_value(texts[0])}))
"""


def _german_locale(tmp_path) -> dict | None:
    """Build de_DE.UTF-8 into ``tmp_path`` with localedef; return an environment using it."""
    if not shutil.which("localedef"):
        return None
    out = tmp_path / "locales"
    out.mkdir()
    cmd = ["localedef", "-i", "de_DE", "-f", "UTF-8", str(out / "de_DE.UTF-8")]
    subprocess.run(cmd, capture_output=True, check=False)  # exits 1 on mere warnings
    if not (out / "de_DE.UTF-8").exists():
        return None
    return {**os.environ, "LOCPATH": str(out), "LC_ALL": "de_DE.UTF-8"}


def test_english_month_names_under_a_german_locale(tmp_path):
    env = _german_locale(tmp_path)
    if env is None:  # a skip, which fails under CI=true (tests/conftest.py)
        pytest.skip("cannot build the de_DE.UTF-8 locale here (localedef or its data is missing)")
    run = subprocess.run(
        [sys.executable, "-c", _READ_UNDER_LOCALE, json.dumps(list(WRITTEN))],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert got["meta"] == WRITTEN
    assert got["header"] == "2024-03-05"


def test_month_names_never_reach_strptime(monkeypatch):
    formats = []

    class Spy(datetime):
        @classmethod
        def strptime(cls, text, fmt):
            formats.append(fmt)
            return datetime.strptime(text, fmt)

    monkeypatch.setattr(meta, "datetime", Spy)
    assert {t: meta.iso_date(t) for t in WRITTEN} == WRITTEN
    assert formats and not [f for f in formats if "%B" in f or "%b" in f]
