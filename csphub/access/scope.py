"""A request's memo of what the access policy built for its user, so that one request builds each filter once.

The policy's filters depend only on who the user is (id, agency, roles, active) and on the moment (a break-glass
grant is current or not), never on the records: within one web request they are the same every time they are
asked for. A case page asks for them for the case, its people and its places, and building and resolving them is
most of the ORM's work there (bench/README.md, "cases at scale"). The memo lives only for one request
(``AccessDecisionMiddleware`` opens it); outside a request (commands, tests calling the policy directly) nothing
is memoised, so a grant issued or a role changed is seen at once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("csphub_access_memo", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """Memoise the policy's filters until the block ends (one web request)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoised(key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, once per key inside a request scope; every time outside one."""
    memo = _memo.get()
    if memo is None:
        return build()
    try:
        return memo[key]  # type: ignore[no-any-return,unused-ignore]
    except KeyError:
        value = memo[key] = build()
        return value


def user_key(user: Any) -> tuple[Any, ...]:
    """Everything about a user that the policy's filters depend on."""
    if not user.is_authenticated:
        return ("anonymous",)
    return (user.pk, user.agency_id, user.is_active, frozenset(user.roles))
