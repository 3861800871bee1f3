"""One local SparkSession for every batch test (local[2], few shuffle partitions).

Outside CI, batch tests skip with a clear message when PySpark or Java is
missing; in CI (``CI=true``) a missing Spark is a failure.
"""

from __future__ import annotations

import os
import shutil

import pytest

PARTITIONS = 2


def _spark_missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "PySpark is not installed: pip install 'newstrace[spark]'"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "Java is not installed (PySpark needs Java 17)"
    return None


@pytest.fixture(scope="session")
def spark():
    """Return the test session's SparkSession; skip (or fail in CI) without PySpark and Java."""
    why = _spark_missing()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    from newstrace.batch.session import get_session

    session = get_session(
        "local[2]",
        conf={
            "spark.sql.shuffle.partitions": str(PARTITIONS),
            "spark.default.parallelism": str(PARTITIONS),
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.driver.memory": "1g",
        },
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
