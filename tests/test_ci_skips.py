"""Under CI=true a skipped test or module fails the run (tests/conftest.py hooks)."""

from __future__ import annotations

from pathlib import Path

pytest_plugins = ["pytester"]

CONFTEST = (Path(__file__).parent / "conftest.py").read_text(encoding="utf-8")


def _run(pytester, monkeypatch, ci: str | None, body: str):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_probe=body)
    return pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")


SKIP_TEST = "import pytest\ndef test_a():\n    pytest.skip('no server')\n"
SKIP_MODULE = "import pytest\npytest.importorskip('no_such_module_x')\ndef test_a():\n    pass\n"


def test_a_skip_is_a_failure_under_ci(pytester, monkeypatch):
    result = _run(pytester, monkeypatch, "true", SKIP_TEST)
    result.assert_outcomes(failed=1)
    assert "skipped under CI=true" in result.stdout.str()


def test_a_skipped_module_is_an_error_under_ci(pytester, monkeypatch):
    result = _run(pytester, monkeypatch, "true", SKIP_MODULE)
    assert result.ret != 0
    assert "module skipped under CI=true" in result.stdout.str()


def test_outside_ci_a_skip_stays_a_skip(pytester, monkeypatch):
    result = _run(pytester, monkeypatch, None, SKIP_TEST)
    result.assert_outcomes(skipped=1)
    assert result.ret == 0


def test_xfail_is_left_alone_under_ci(pytester, monkeypatch):
    body = "import pytest\n@pytest.mark.xfail(reason='known')\ndef test_a():\n    assert False\n"
    result = _run(pytester, monkeypatch, "true", body)
    result.assert_outcomes(xfailed=1)
