"""Property-based fuzzing of the REST API from its own OpenAPI schema (schemathesis).

Every operation gets generated requests, valid and invalid; none may make
the server fail (5xx), and each response must match the documented status
codes. Examples are bounded so the whole run stays well under a minute.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from newstrace.web import create_app

from .conftest import build_store, write_jsonl

MAX_EXAMPLES = 60


def _app():
    """Return the app over a fresh flood store (built at import: the schema loads then)."""
    root = Path(tempfile.mkdtemp(prefix="newstrace-fuzz-"))
    atexit.register(shutil.rmtree, root, True)
    return create_app(str(build_store(root / "fuzz.db", [write_jsonl(root / "a.jsonl")])))


schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )
