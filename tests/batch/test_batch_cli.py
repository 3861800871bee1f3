"""The batch command: a clear error without PySpark, and argument checks before any Spark work."""

from __future__ import annotations

import builtins

import pytest
from click.testing import CliRunner

from newstrace.batch.components import local_components
from newstrace.batch.session import check_master, require_pyspark
from newstrace.cli import main
from newstrace.errors import ConfigError, MissingExtra


@pytest.fixture
def no_pyspark(monkeypatch):
    real = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "pyspark" or name.startswith("pyspark."):
            raise ImportError(f"No module named {name!r}")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)


def test_missing_pyspark_names_the_extra(no_pyspark, tmp_path):
    with pytest.raises(MissingExtra, match=r"pip install 'newstrace\[spark\]'"):
        require_pyspark()
    result = CliRunner().invoke(main, ["batch", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "pip install 'newstrace[spark]'" in result.output


def test_bad_master_is_refused():
    with pytest.raises(ConfigError, match="--master must be"):
        check_master("localhost:7077")
    with pytest.raises(ConfigError, match="--master must be"):
        check_master("head:7077")
    check_master("spark://head:7077")
    check_master("local[2]")


def test_local_components_reference():
    assert local_components([("b", "a"), ("c", "b"), ("e", "d")]) == {
        "a": "a",
        "b": "a",
        "c": "a",
        "d": "d",
        "e": "d",
    }
