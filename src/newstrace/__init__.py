"""newstrace: trace news articles to their origin.

>>> import newstrace
>>> result = newstrace.compare("wire.txt", "rewrite.html")   # doctest: +SKIP
>>> result.verdict, result.direction.source                    # doctest: +SKIP

Names are imported lazily, so ``import newstrace.model`` stays cheap.
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "Article": "newstrace.model",
    "Change": "newstrace.model",
    "Comparison": "newstrace.model",
    "Corpus": "newstrace.pipeline",
    "Document": "newstrace.model",
    "NewstraceError": "newstrace.errors",
    "Settings": "newstrace.settings",
    "compare": "newstrace.api",
    "drift": "newstrace.api",
    "normalize": "newstrace.normalize",
    "read_article": "newstrace.ingest",
    "read_text": "newstrace.ingest",
    "to_document": "newstrace.api",
}

__all__ = [
    "Article",
    "Change",
    "Comparison",
    "Corpus",
    "Document",
    "NewstraceError",
    "Settings",
    "compare",
    "drift",
    "normalize",
    "read_article",
    "read_text",
    "to_document",
]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'newstrace' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
