"""Batch: the corpus pipeline's per-document and per-story functions distributed on Apache Spark.

``newstrace batch SOURCES --out DIR`` (:func:`run_batch`) reads JSON Lines,
WARC and the other ingest formats from any path Spark reads, and writes the
Parquet tables ``articles``, ``story_members``, ``stories``, ``edges`` and
``failures``: the same stories, with the same ids, as ``newstrace ingest``.
PySpark is the ``[spark]`` extra and is imported only when a job runs.
"""

from .job import BatchReport, run_batch

__all__ = ["BatchReport", "run_batch"]
