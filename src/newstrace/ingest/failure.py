"""IngestFailure: one unreadable item of a batch, reported by name and skipped."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InputError


@dataclass(frozen=True)
class IngestFailure:
    """An item ``iter_articles`` could not read: where (``source``) and why (``reason``).

    ``error`` keeps the typed InputError (for exit and status codes); it is
    left out of equality and repr.
    """

    source: str
    reason: str
    error: InputError | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def failure(exc: InputError, source: str) -> IngestFailure:
    """Return the IngestFailure for ``exc`` raised while reading ``source``."""
    reason = exc.message
    prefix = f"{exc.source}: " if exc.source else ""
    if prefix and reason.startswith(prefix):
        reason = reason[len(prefix) :]
    if exc.hint:
        reason = f"{reason} ({exc.hint})"
    return IngestFailure(source=exc.source or source, reason=reason, error=exc)
