"""FirstCharAlternation matches exactly what the plain alternation matches."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.normalize.boilerplate import _origin_rules, _rules
from newstrace.normalize.firstchar import FirstCharAlternation, first_pieces

TRICKY = [
    r"^(with )?(additional )?(reporting|writing) (by|from) ",
    r"^\(?(reporting|writing) by [A-Z].{0,20}\)?$",
    r"^by( [\w.'-]+){1,4}$",
    r".*\b(click|tap) here to (read|share)",
    r"^(copyright|©|\(c\)) ?(\d{4})?.{0,8}(reserved|ap)",
    r"^via:? (?=[^,;]{1,60}$)",
    r"^[^a-z]x",
    r"^\d+ people",
    r"(?i:k)elvin",
    r"^x*",  # may match the empty string: always tried
    r"^(?:ſ|s)ign up",
]


def _plain(patterns):
    return re.compile("|".join(f"(?P<r{n}>{p})" for n, p in enumerate(patterns)), re.IGNORECASE)


def _same(patterns, texts):
    plain, fast = _plain(patterns), FirstCharAlternation(patterns, re.IGNORECASE)
    for t in texts:
        a, b = plain.match(t), fast.match(t)
        assert (a is None) == (b is None), t
        if a is not None:
            assert (a.lastgroup, a.span()) == (b.lastgroup, b.span()), t


def test_first_pieces_reads_literals_classes_and_optional_groups():
    assert first_pieces(r"^(with )?(additional )?reporting") == frozenset({"w", "a", "r"})
    assert first_pieces(r"^\d+ people") == frozenset({r"[\d]"})
    assert first_pieces(r".*\bclick") is None  # any character may start it
    assert first_pieces(r"^x*") is None  # it may match the empty string


WORDS = [
    "With additional reporting by Ana",
    "(Reporting by Jo Ruiz)",
    "By Jo Ruiz",
    "Please click here to read more",
    "Copyright 2024 AP",
    "© AP",
    "Via: Wire Desk",
    "XX marks",
    "12 people",
    "Kelvin",
    "\u212aelvin",  # the Kelvin sign folds to k
    "ſign up now",
    "Sign up now",
    "İstanbul",
    "",
    " ",
    "Ordinary sentence about the port.",
    "This article first appeared on renews.example.",
    "Dieser Artikel erschien zuerst bei der Zeitung.",
    "Впервые опубликовано на сайте.",
    "Síguenos en Instagram",
]


def test_same_matches_as_the_plain_alternation_on_chosen_texts():
    _same(TRICKY, WORDS)
    _same([p for _r, _l, p in _rules()], WORDS)
    _same([p for _l, p in _origin_rules()], WORDS)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("abcdkpstwxyABCKSWX ſ\u212a©(0123.,:;-")), max_size=30)
)
def test_same_matches_as_the_plain_alternation_on_any_text(text):
    _same(TRICKY, [text, "with " + text, "by " + text, text + " click here to read"])


def test_a_parse_tree_it_cannot_read_leaves_the_pattern_always_tried(monkeypatch):
    from newstrace.normalize import firstchar

    def unreadable(items):
        raise TypeError("a parse tree of another shape")

    monkeypatch.setattr(firstchar, "_first", unreadable)
    assert first_pieces(r"^by ") is None
    _same([r"^by ", r"^with "], ["By Ana", "With Jo", "Neither"])
