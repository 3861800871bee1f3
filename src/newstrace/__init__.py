"""newstrace: trace news articles to their origin.

>>> import newstrace
>>> result = newstrace.compare("wire.txt", "rewrite.html")   # doctest: +SKIP
>>> result.verdict, result.direction.source                    # doctest: +SKIP

Names are imported lazily, so ``import newstrace.model`` stays cheap.
"""

import sys
from importlib import import_module
from types import ModuleType

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
    "compare_texts": "newstrace.api",
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
    "compare_texts",
    "drift",
    "normalize",
    "read_article",
    "read_text",
    "to_document",
]


class _Package(ModuleType):
    """The ``newstrace`` module: a public function named like a subpackage stays the function.

    Importing ``newstrace.normalize`` (the subpackage) would otherwise set the
    attribute ``newstrace.normalize`` to the module, replacing the function.
    """

    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, ModuleType) and name in _EXPORTS:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'newstrace' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
