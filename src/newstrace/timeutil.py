"""Publication times: one parser for every stage that compares them."""

from __future__ import annotations

from datetime import datetime, timezone


def parse_time(value: str | None) -> datetime | None:
    """Return ``value`` (ISO 8601) as an aware UTC datetime, or None when absent or unreadable.

    A time without a zone is taken as UTC; a bare date is its midnight.
    """
    if not value:
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t.replace(tzinfo=timezone.utc) if t.tzinfo is None else t.astimezone(timezone.utc)
