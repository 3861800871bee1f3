"""The HTML page in headless Chromium: the script runs under the page's CSP, and works."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from newstrace.report.html import render_html

from .conftest import make_comparison

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="needs Debian chromium (apt-get install chromium)"),
]


def run(path, tmp_path) -> tuple[str, str]:
    """Load ``path`` headless; return (DOM after scripts ran, browser log)."""
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        "--dump-dom",
        path.as_uri(),
    ]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=60)
    return done.stdout, done.stderr


def test_script_is_allowed_by_csp(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(render_html(make_comparison()), encoding="utf-8")
    _, log = run(page, tmp_path)
    assert "Content Security Policy" not in log


def test_clicking_a_sentence_highlights_its_sources(tmp_path):
    html = render_html(make_comparison())
    # The probe script is not in the CSP hash, so drop the CSP for this copy only.
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    probe = (
        "<script>document.getElementById('b-4').click();"
        "document.body.setAttribute('data-hl',[].map.call("
        "document.querySelectorAll('.hl'),function(e){return e.id}).join(' '));</script>"
    )
    page = tmp_path / "probe.html"
    page.write_text(html.replace("</body>", probe + "</body>"), encoding="utf-8")
    dom, _ = run(page, tmp_path)
    assert 'data-hl="a-4 a-5"' in dom
