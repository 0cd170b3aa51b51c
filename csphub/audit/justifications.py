"""Written justifications a person has given for consulting records, kept in their session for a while.

The audit context of each web request carries them (``AuditContext.justifications``), so that consultation entries
record why a record was opened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, MutableMapping
from typing import Any

from django.conf import settings
from django.utils import timezone

SESSION_KEY = "csphub_justifications"


def remember(session: MutableMapping[str, Any], record_uuid: object, text: str) -> None:
    """Keep a justification in the user's session for CSPHUB_JUSTIFICATION_MINUTES."""
    until = timezone.now() + dt.timedelta(minutes=settings.CSPHUB_JUSTIFICATION_MINUTES)
    stored = dict(session.get(SESSION_KEY, {}))
    stored[str(record_uuid)] = {"text": text.strip(), "until": until.isoformat()}
    session[SESSION_KEY] = stored


def active(session: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The justifications in a session that have not expired."""
    now = timezone.now()
    result = []
    for uid, item in dict(session.get(SESSION_KEY, {})).items():
        try:
            until = dt.datetime.fromisoformat(item["until"])
        except (KeyError, TypeError, ValueError):
            continue
        if until > now and item.get("text"):
            result.append((uid, str(item["text"])))
    return tuple(result)
