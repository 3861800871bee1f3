"""newstrace: trace news articles to their origin."""

__version__ = "0.1.0"
