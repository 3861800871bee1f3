"""Stories: event features, order-independent incremental clustering, provenance graphs.

Pure functions and in-memory state over plain data; ``newstrace.pipeline``
feeds them from a store.
"""

from .cluster import (
    StoryClusterer,
    average_linkage,
    cluster_region,
    grown_hash,
    members_hash,
    story_id,
)
from .features import EventVector, content_hash, content_text, event_vector
from .provenance import build as build_provenance
from .provenance import relation

__all__ = [
    "EventVector",
    "StoryClusterer",
    "average_linkage",
    "build_provenance",
    "cluster_region",
    "content_hash",
    "content_text",
    "event_vector",
    "grown_hash",
    "members_hash",
    "relation",
    "story_id",
]
