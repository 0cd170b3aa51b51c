"""Small-number suppression of counts that could identify someone (partner data: one incident at a home address).

The rule (the one used for every published partner figure, see docs/analytics.md "Suppression"): a count of
**1 to threshold − 1 is hidden**; 0 and counts of the threshold or more are shown. With the default threshold of 5:
4 is hidden, 5 is shown. A hidden count is ``None``; it is written "fewer than 5" in tables and left out of charts.

Secondary suppression: a total over counts of which any is hidden would give the hidden one away by subtraction, so
such a total is **rounded to the nearest multiple of the threshold** (``rounded_total``), and a statistic derived
from hidden counts (a change, a rate) is hidden with them (``all_shown``).

Pure functions of plain numbers: the web app decides, through its access policy, whose figures are suppressed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .errors import SettingsError

DEFAULT_THRESHOLD = 5


def check_threshold(threshold: int) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise SettingsError(f"the suppression threshold must be a whole number of 1 or more, not {threshold!r}")
    return threshold


def is_hidden(count: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """True for a count of 1 to threshold − 1 (a threshold of 1 hides nothing)."""
    check_threshold(threshold)
    return 0 < count < threshold


def suppress(count: int, threshold: int = DEFAULT_THRESHOLD) -> int | None:
    """The count, or None when it is hidden."""
    return None if is_hidden(count, threshold) else count


def suppress_all(counts: Sequence[int], threshold: int = DEFAULT_THRESHOLD) -> list[int | None]:
    return [suppress(c, threshold) for c in counts]


def all_shown(counts: Iterable[int], threshold: int = DEFAULT_THRESHOLD) -> bool:
    """Whether a statistic computed from these counts may be shown: none of them is hidden."""
    return not any(is_hidden(c, threshold) for c in counts)


def rounded_total(counts: Sequence[int], threshold: int = DEFAULT_THRESHOLD) -> tuple[int, bool]:
    """The total of ``counts`` and whether it was rounded: exact when no count is hidden, otherwise rounded to the
    nearest multiple of the threshold (halves up), so that it does not give a hidden count away."""
    total = int(sum(counts))
    if all_shown(counts, threshold):
        return total, False
    return round_to_threshold(total, threshold), True


def round_to_threshold(total: int, threshold: int = DEFAULT_THRESHOLD) -> int:
    """``total`` rounded to the nearest multiple of the threshold (halves up)."""
    check_threshold(threshold)
    return int((total + threshold // 2) // threshold * threshold)
