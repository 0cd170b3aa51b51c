"""Leads: a search found a record the user may not see, and offers them to request access to it (break glass).

The link carries a random token, never the record's UUID (a UUID of a record you may not see is itself
information). The token is held in the user's session with the record it stands for, for ``LEAD_SECONDS``: it works
for no one else, and for no longer. A signed token (``django.core.signing``) was not used: its payload is readable.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import MutableMapping
from typing import Any

SESSION_KEY = "csphub_access_leads"
LEAD_SECONDS = 60 * 60
MAX_LEADS = 200


def _current(session: MutableMapping[str, Any]) -> dict[str, list[Any]]:
    now = time.time()
    leads = session.get(SESSION_KEY) or {}
    return {token: lead for token, lead in leads.items() if isinstance(lead, list) and lead[2] > now}


def offer(session: MutableMapping[str, Any], record_uuid: str, holder: str) -> str:
    """A token for a lead to the record ``record_uuid`` held by ``holder`` (the agency's name)."""
    leads = _current(session)
    token = secrets.token_urlsafe(16)
    leads[token] = [str(record_uuid), holder, time.time() + LEAD_SECONDS]
    if len(leads) > MAX_LEADS:
        leads = dict(sorted(leads.items(), key=lambda item: item[1][2])[-MAX_LEADS:])
    session[SESSION_KEY] = leads
    return token


def resolve(session: MutableMapping[str, Any], token: str) -> tuple[str, str] | None:
    """The record UUID and holder a token of this session stands for, or None (unknown, another's or expired)."""
    lead = _current(session).get(token or "")
    return (lead[0], lead[1]) if lead else None
