"""Shared fixtures for the ingest tests: the fixture folder and a file copier."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def copy_fixture(tmp_path):
    """Copy fixture files into tmp_path and return the copy's path."""

    def copy(name: str, dest: str | None = None) -> Path:
        target = tmp_path / (dest or name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / name, target)
        return target

    return copy
