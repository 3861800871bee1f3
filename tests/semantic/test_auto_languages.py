"""Auto mode embeds only pairs in two known, different languages (issue 9: the 50x slowdown)."""

from __future__ import annotations

from newstrace.normalize import detect_language
from newstrace.semantic import cross_language

BODY = (
    "The harbour authority of Port Vellin said on Tuesday that the new ferry terminal will open "
    "in March, after two years of delays caused by a dispute over the contract for the pier."
)


def test_a_leading_url_line_does_not_hide_the_language():
    # Scraped articles often start with their URL; it made detection unsure ("und").
    text = f"http://www.vellin-courier.example/2025/03/ferry-terminal-opens-8812\n{BODY}"
    assert detect_language(text) == "en"


def test_unknown_language_is_not_a_second_language():
    assert not cross_language("en", "und")
    assert not cross_language(None, "en")
    assert not cross_language("en", "en")
    assert cross_language("en", "de")
