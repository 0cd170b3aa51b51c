"""Actions held outside cases that the agency action list shows too (a meeting's actions that concern no case).

The apps that hold them sit above ``cases`` and cannot be imported from here: each registers a source when it
starts (``AppConfig.ready``), and the actions page asks every source for the user's rows. A source lists only what
the user may see (each asks the access policy itself).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from csphub.partnership.models import User


@dataclass(frozen=True)
class OtherAction:
    title: str
    url: str
    context: str  # where it was agreed, e.g. "MARAC (Corby) on 3 March 2026"
    agency: str
    officer: str
    due_on: dt.date
    status: str
    key: str  # a unique id for the page's element ids (the action's UUID)


# (user, mine: only the user's own (else the user's agency's), overdue only, today) -> rows
ActionSource = Callable[["User", bool, bool, dt.date], list[OtherAction]]
_sources: list[ActionSource] = []


def register(source: ActionSource) -> None:
    if source not in _sources:
        _sources.append(source)


def other_actions(user: User, *, mine: bool, overdue: bool, today: dt.date) -> list[OtherAction]:
    rows = [row for source in _sources for row in source(user, mine, overdue, today)]
    return sorted(rows, key=lambda r: (r.due_on, r.title))
