"""The access policy's filters, built once per kind of user and kept for the process.

A rule's filter depends only on who the user is — id, agency (and whether it is a community-sector agency),
roles, active — never on the records (ownership, parties, shares and grants are looked up by the database when
the query runs) and never on the clock (a break-glass grant is current by the database's ``NOW()``). So the
filters built for a user, and the querysets resolved from them, are exactly right for every later request of a
user with the same key: building and resolving them was most of the ORM's work on a case page (bench/README.md,
"cases at scale"). A role granted or revoked, a move to another agency, a deactivated account or an agency that
changes sector gives a different key, so a new filter, at the next request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

# Entries are small (a few Q objects or one resolved queryset); a partnership has hundreds of users, each asking
# for a handful of models and actions.
MAX_ENTRIES = 4096

_cache: OrderedDict[Hashable, Any] = OrderedDict()
_lock = threading.Lock()


def memoised(key: Hashable, build: Callable[[], T]) -> T:
    """``build()`` once per key (least recently used keys dropped beyond ``MAX_ENTRIES``). The value is shared
    between requests and threads: callers combine it into new querysets and never change it."""
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]  # type: ignore[no-any-return,unused-ignore]
    value = build()
    with _lock:
        _cache[key] = value
        while len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _cache.clear()


def user_key(user: Any) -> tuple[Any, ...]:
    """Everything about a user that the policy's filters depend on (see ``policy``)."""
    if not user.is_authenticated:
        return ("anonymous",)
    agency = user.agency if user.agency_id is not None else None
    return (user.pk, user.agency_id, agency.sector if agency else None, user.is_active, frozenset(user.roles))
