"""What other apps hold about a person or place, for their register page: a registry the apps above fill in.

The registers sit below cases and assessments (``lint-imports``): they may not import them. An app that links its
records to people or places (``csphub.cases``: cases, assessments, ASB powers) plugs a provider in at start-up
(``use_linked_records`` in its ``AppConfig.ready``), like the linkage model's matcher at the door
(``duplicates.use_matcher``). A provider answers with sections of rows it has already limited to what the viewer
may see, counted the hidden ones (never named) and logged each record shown as consulted; the register page
renders them without following a link itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from csphub.partnership.models import User
    from csphub.registers.models import Person, Place


@dataclass(frozen=True)
class LinkedRow:
    """One linked record: its first cell links to ``url`` (if any); the cells follow ``LinkedSection.columns``."""

    cells: tuple[str, ...]
    url: str = ""


@dataclass(frozen=True)
class LinkedSection:
    """A table on a person's or place's page: a heading, column headings, the rows the viewer may see, and a
    sentence about the ones they may not (empty when there are none)."""

    heading: str
    columns: tuple[str, ...]
    rows: list[LinkedRow] = field(default_factory=list)
    hidden: str = ""  # e.g. "1 more case you may not see."
    empty: str = "None you may see."


Provider = Callable[["User", "Person | Place"], list[LinkedSection]]
_providers: list[Provider] = []


def use_linked_records(provider: Provider) -> None:
    """Add ``provider``'s sections to person and place pages (once: registering it again changes nothing)."""
    if provider not in _providers:
        _providers.append(provider)


def linked_records(user: User, record: Person | Place) -> list[LinkedSection]:
    """Every provider's sections for ``record`` as ``user`` may see them, in the order they were plugged in."""
    return [section for provider in _providers for section in provider(user, record)]
