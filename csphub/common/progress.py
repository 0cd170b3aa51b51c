"""Progress bars for long steps, on standard error, only when asked for (or when standard error is a
terminal)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def wanted(requested: bool | None) -> bool:
    """True when progress is requested, or not decided and standard error is a terminal."""
    if requested is not None:
        return requested
    return sys.stderr.isatty()


def track(items: Iterable[T], *, enabled: bool, desc: str, total: int | None = None) -> Iterator[T]:
    """``items`` unchanged, with a bar on standard error when ``enabled``."""
    if not enabled:
        yield from items
        return
    yield from tqdm(items, desc=desc, total=total, file=sys.stderr, leave=False, dynamic_ncols=True)


#: told of each step done: (its name, steps done, steps in all)
StepListener = Callable[[str, int, int], None]


class Steps:
    """A bar over named steps of one job: ``with Steps(3, 'ingest', enabled) as s: ... s.step('write')``.

    ``listener``, if given, is told of each step (the web app's upload writes it to the job's progress row)."""

    def __init__(self, total: int, desc: str, *, enabled: bool, listener: StepListener | None = None) -> None:
        self._bar = tqdm(total=total, desc=desc, file=sys.stderr, leave=False, disable=not enabled)
        self._total = total
        self._done = 0
        self._listener = listener

    def step(self, name: str) -> None:
        self._bar.set_postfix_str(name, refresh=False)
        self._bar.update(1)
        self._done += 1
        if self._listener is not None:
            self._listener(name, self._done, self._total)

    def __enter__(self) -> Steps:
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.close()
