"""One root exception, typed subclasses that carry context and say what to do."""

from __future__ import annotations


class NewstraceError(Exception):
    """Root of every error newstrace raises on purpose.

    ``hint`` tells the user what to do about it; the CLI prints
    ``error: <message> (<hint>)`` and exits with ``exit_code``.
    """

    exit_code = 1
    http_status = 400

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(NewstraceError):
    """An input (file, text, record) cannot be read as an article."""

    exit_code = 2

    def __init__(self, message: str, *, source: str | None = None, hint: str | None = None):
        super().__init__(f"{source}: {message}" if source else message, hint=hint)
        self.source = source


class MissingInput(InputError):
    """The named file or record does not exist."""

    http_status = 404


class UnreadableInput(InputError):
    """The file exists but cannot be read (permissions, an I/O error)."""


class EmptyInput(InputError):
    """The input holds no text (empty or whitespace only)."""


class BinaryInput(InputError):
    """The input looks like binary data, not text."""


class UnsupportedFormat(InputError):
    """The file extension or record format is not one newstrace reads."""


class DecodeFailure(InputError):
    """The bytes could not be decoded in any plausible encoding."""


class TooLarge(InputError):
    """The input is over the configured size limit."""

    http_status = 413


class MalformedInput(InputError):
    """The input is in a known format but broken (bad JSON, feed or WARC record)."""


class AmbiguousInput(InputError):
    """A file holds several articles and the caller did not say which one."""


class SameInput(InputError):
    """Both sides of a comparison are the same article."""


class ConfigError(NewstraceError):
    """An argument or setting is out of its allowed range."""

    exit_code = 2


class MissingExtra(NewstraceError):
    """An optional dependency is not installed."""

    exit_code = 3
    http_status = 501

    def __init__(self, feature: str, extra: str, module: str) -> None:
        super().__init__(
            f"{feature} needs the optional package '{module}'",
            hint=f"pip install 'newstrace[{extra}]'",
        )
        self.extra = extra


class StoreError(NewstraceError):
    """The store cannot be opened, read or written."""

    exit_code = 4
    http_status = 500


class FingerprintFormatError(NewstraceError):
    """Stored fingerprint bytes have another format, version or settings than expected."""

    exit_code = 2
    http_status = 422


class NotFound(NewstraceError):
    """A story or article id is not in the store."""

    exit_code = 2
    http_status = 404


def check_range(name: str, value: float, low: float, high: float) -> float:
    """Return ``value`` if ``low <= value <= high``; raise ConfigError naming the range."""
    if not (low <= value <= high):
        raise ConfigError(f"{name} must be between {low} and {high}, got {value!r}")
    return value
