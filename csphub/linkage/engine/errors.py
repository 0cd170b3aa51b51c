"""The errors of the linkage engine: each says what is wrong and where, in words a data officer can act on."""

from __future__ import annotations

from collections.abc import Iterable


class LinkageError(Exception):
    """Base class: anything the linkage engine refuses to do, with a message for the user."""


class SettingsError(LinkageError, ValueError):
    """A settings dataclass holds values the engine cannot run with (checked before any work starts).

    ``problems`` lists every problem found, not only the first."""

    def __init__(self, problems: Iterable[str] | str) -> None:
        self.problems: tuple[str, ...] = (problems,) if isinstance(problems, str) else tuple(problems)
        super().__init__("; ".join(self.problems))


class MappingError(LinkageError, ValueError):
    """A source's mapping file is wrong. ``problems`` lists every problem found in the file, all together."""

    def __init__(self, path: str, problems: Iterable[str]) -> None:
        self.path = path
        self.problems: tuple[str, ...] = tuple(problems)
        listed = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{path}: {len(self.problems)} problem(s) in the mapping:\n{listed}")


class SourceFileError(LinkageError):
    """A source file cannot be read at all (missing, unreadable, wrong encoding, columns the mapping names are not
    in its header). Row-level problems never raise: those rows are quarantined."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class InputError(LinkageError, ValueError):
    """Records given to the model are unusable as a whole (no records, duplicate record ids, a missing column)."""


class ModelError(LinkageError):
    """A saved model cannot be loaded or used (wrong format, settings version or backend)."""
