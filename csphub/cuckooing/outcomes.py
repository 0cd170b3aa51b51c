"""What meetings decided and agreed about a vulnerability record, for the record's page.

The meetings app sits above this one and cannot be imported from here: it registers a source when it starts
(``AppConfig.ready``), and the record's page asks every source. A source lists only what the user may see (each asks
the access policy itself).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from csphub.cuckooing.models import VulnerabilityRecord
    from csphub.partnership.models import User


@dataclass(frozen=True)
class PanelOutcome:
    kind: str  # "Decision" or "Action"
    text: str
    context: str  # where it was made, e.g. "Cuckooing panel, 3 March 2026"
    at: dt.datetime
    agency: str = ""  # an action's agency (and officer)
    due_on: dt.date | None = None
    status: str = ""


OutcomeSource = Callable[["User", "VulnerabilityRecord"], list[PanelOutcome]]
_sources: list[OutcomeSource] = []


def register(source: OutcomeSource) -> None:
    if source not in _sources:
        _sources.append(source)


def outcomes_for(user: User, record: VulnerabilityRecord) -> list[PanelOutcome]:
    rows = [row for source in _sources for row in source(user, record)]
    return sorted(rows, key=lambda r: (r.at, r.kind))
