"""Shared fixtures: paths to the example corpus and the pair fixtures, a fake embedder."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
PAIRS = FIXTURES / "pairs"


def corpus_dir() -> Path:
    """Return the bundled example corpus directory."""
    return Path(str(resources.files("newstrace.examples") / "corpus"))


@pytest.fixture
def corpus() -> Path:
    return corpus_dir()


@pytest.fixture
def pairs() -> Path:
    return PAIRS


class FakeEmbedder:
    """A deterministic offline embedder for tests.

    Texts listed in ``synonyms`` as a group get the same vector (a stand-in
    for a translation); every other text gets a vector from its own hash, so
    unrelated texts are nearly orthogonal.
    """

    name = "fake"

    def __init__(self, groups: list[list[str]] | None = None, dim: int = 64) -> None:
        self.dim = dim
        self.key = {}
        for n, group in enumerate(groups or []):
            for text in group:
                self.key[text] = f"group-{n}"

    def _vector(self, key: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "little")
        v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        return v / np.linalg.norm(v)

    def embed(self, texts):
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vector(self.key.get(t, t)) for t in texts])


@pytest.fixture
def fake_embedder():
    return FakeEmbedder


def _ci() -> bool:
    import os

    return os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test is a failure: CI must never pass on tests it did not run.

    Outside CI, tests that need an absent extra, service or dataset skip with their message.
    An expected failure (xfail) is left as it is.
    """
    outcome = yield
    report = outcome.get_result()
    if _ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true (a CI run must run every test): {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """The same rule for a whole module skipped at import (``pytest.importorskip``)."""
    outcome = yield
    report = outcome.get_result()
    if _ci() and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"module skipped under CI=true (a CI run must run every test): {reason}"
