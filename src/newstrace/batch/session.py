"""The Spark session of a batch run: PySpark imported lazily, with the settings the job relies
on."""

from __future__ import annotations

import os
import re
import sys

from ..errors import ConfigError, MissingExtra

MASTER_PREFIXES = ("spark://", "k8s://", "mesos://")
_LOCAL = re.compile(r"^local(\[(\d+|\*)(,\d+)?\])?$")


def require_pyspark():
    """Return the pyspark module; raise MissingExtra naming ``pip install 'newstrace[spark]'``."""
    try:
        import pyspark
    except ImportError:
        raise MissingExtra("the batch job (newstrace batch)", "spark", "pyspark") from None
    return pyspark


def check_master(master: str | None) -> None:
    """Raise ConfigError unless ``master`` is None or a Spark master URL."""
    if (
        master is None
        or master == "yarn"
        or _LOCAL.match(master)
        or master.startswith(MASTER_PREFIXES)
    ):
        return
    raise ConfigError(
        "--master must be local, local[N], local[*], "
        f"spark://HOST:PORT, yarn or k8s://..., got {master!r}"
    )


def get_session(
    master: str | None = None, app_name: str = "newstrace-batch", conf: dict | None = None
):
    """Return the active SparkSession, or build one for ``master`` (None: spark-submit's --master,
    else local[*]).

    With a local master, Python workers run this interpreter unless
    PYSPARK_PYTHON says otherwise, so they see the same installed newstrace.
    """
    require_pyspark()
    check_master(master)
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    # Local runs: workers need this interpreter. Under spark-submit (which sets the
    # gateway port) or on a cluster, the executors' Python is spark-submit's business.
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    if (master and _LOCAL.match(master)) or (master is None and not submitted):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if (
        master
    ):  # else spark-submit's --master, or local[*] (spark-submit's default) under plain python
        builder = builder.master(master)
    # Directories are read recursively, as the local ingest walks them.
    builder = builder.config(
        "spark.hadoop.mapreduce.input.fileinputformat.input.dir.recursive", "true"
    )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
