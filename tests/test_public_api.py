"""The public names stay what the docs say, whatever was imported first."""

import importlib

import newstrace


def test_compare_and_drift_are_functions_even_after_subpackages_load():
    importlib.import_module("newstrace.pairwise.align")
    importlib.import_module("newstrace.report.jsonout")
    assert callable(newstrace.compare) and not isinstance(newstrace.compare, type(newstrace))
    assert callable(newstrace.drift) and not isinstance(newstrace.drift, type(newstrace))


def test_all_is_sorted_and_resolves():
    assert newstrace.__all__ == sorted(newstrace.__all__)
    for name in newstrace.__all__:
        assert getattr(newstrace, name) is not None


def test_drift_on_two_sentences():
    changes = newstrace.drift(
        "Up to 300 people were evacuated on Monday, officials said.",
        "More than 300 people were evacuated on Monday, officials said.",
    )
    assert any(c.type == "qualifier" and c.severity == "meaning" for c in changes)


def test_compare_takes_a_long_one_line_text():
    # Longer than a file name may be (255 bytes), with no newline: it is text, never an OSError.
    a = "The harbour board of Tessaly approved a new ferry pier on Monday after two years of talks. " * 4
    b = "Tessaly's harbour board approved a new ferry pier on Monday after two years of talks. " * 4
    c = newstrace.compare(a.strip(), b.strip())
    assert c.a.sentences and c.b.sentences
