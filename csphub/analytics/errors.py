"""The errors of the analytics package: each says what is wrong and where, in words an analyst can act on."""

from __future__ import annotations


class AnalyticsError(Exception):
    """Base class: anything the analytics package refuses to do, with a message for the user."""


class SettingsError(AnalyticsError, ValueError):
    """A settings dataclass holds a value the analysis cannot run with (checked before any work starts)."""


class IngestError(AnalyticsError):
    """An input file cannot be ingested. Names the file and, where it applies, the line (1 = the header)."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.reason = message
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class EmptyStoreError(AnalyticsError):
    """The analysis needs data the store does not hold (nothing ingested, or nothing matches the filter)."""
