"""Run the CLI (``newstrace ARGS...``) in this process, pausing the ingest where the test says.

Used by test_cli_corpus: ``python cli_ingest_helper.py N ingest SOURCE --db DB ...`` prints
``stored R`` after each batch it has committed (R: records read so far) and, once R >= N, waits
for a line on stdin before going on, so the test can kill it at exactly that point.
"""

from __future__ import annotations

import sys

from newstrace import pipeline
from newstrace.cli import main

PAUSE_AT = int(sys.argv[1])
_store_batch = pipeline.Corpus._store_batch


def _store_batch_then_report(self, batch, future, report, progress):
    _store_batch(self, batch, future, report, progress)
    print(f"stored {report.read}", flush=True)
    if report.read >= PAUSE_AT:
        sys.stdin.readline()


pipeline.Corpus._store_batch = _store_batch_then_report

if __name__ == "__main__":
    main(sys.argv[2:], prog_name="newstrace")
