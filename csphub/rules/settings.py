"""The statutory calculators' local settings: a partnership's ``rule_settings`` read and validated.

Anything a partnership does not set takes the statutory or SafeLives default; unknown sections or settings, and
values the calculators refuse (e.g. a case review threshold stricter than the Act), raise ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from csphub.rules import asb_powers, case_review, marac


@dataclass(frozen=True)
class StatutoryRules:
    case_review: case_review.CaseReviewSettings
    marac: marac.MaracSettings
    powers: asb_powers.AsbPowersSettings


def _build(cls: type[Any], data: Mapping[str, Any], section: str) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"{section}: unknown settings {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    return cls(**data)


def settings_from(data: Mapping[str, Any] | None) -> StatutoryRules:
    """The calculators' settings from a partnership's ``rule_settings`` (validated; bad values raise ValueError)."""
    data = dict(data or {})
    unknown = sorted(set(data) - {"case_review", "marac", "asb_powers"})
    if unknown:
        raise ValueError(f"unknown rule settings sections: {', '.join(unknown)}")
    return StatutoryRules(
        _build(case_review.CaseReviewSettings, data.get("case_review", {}), "case_review"),
        _build(marac.MaracSettings, data.get("marac", {}), "marac"),
        _build(asb_powers.AsbPowersSettings, data.get("asb_powers", {}), "asb_powers"),
    )
