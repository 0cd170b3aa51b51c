"""Case figures for a dashboard: cases opened and closed, by type and district, case reviews, MARAC referrals and ASB
powers used — counted over the cases the viewer may see (``Case.objects.visible_to``), never listed.

Cases of a sensitive kind (domestic abuse, intelligence: ``Sensitivity`` other than general) are aggregate-only:
they are counted in these totals and nowhere named or linked, and their counts are small-number suppressed
(``csphub.analytics.suppression``) for viewers outside the roles the policy allows, as partner figures are.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from csphub.access.vocabulary import Sensitivity
from csphub.analytics.suppression import round_to_threshold, suppress
from csphub.cases.kinds import CaseType
from csphub.cases.models import Case, CaseReviewApplication, MaracReferral, PowerRecord, PowerType

if TYPE_CHECKING:
    from csphub.partnership.models import User

NO_DISTRICT = "No district recorded"


@dataclass(frozen=True)
class Figure:
    label: str
    count: int | None  # None: suppressed
    sensitive: bool = False


@dataclass(frozen=True)
class CaseFigures:
    since: dt.date
    until: dt.date
    opened: int | None
    closed: int | None
    open_now: int | None
    rounded: bool  # a total was rounded because a count in it is suppressed
    by_type: tuple[Figure, ...]
    by_district: tuple[Figure, ...]
    case_reviews: int | None
    case_reviews_threshold_met: int | None
    marac_referrals: int | None
    powers: tuple[Figure, ...]
    threshold: int | None
    sensitive_types: tuple[str, ...]

    @property
    def any(self) -> bool:
        return bool(self.opened or self.open_now or self.closed)


def case_figures(
    user: User,
    case_types: tuple[str, ...] | None,
    district_codes: tuple[str, ...] | None,
    *,
    today: dt.date,
    threshold: int | None,
) -> CaseFigures:
    """Figures over the last 12 months to ``today``; ``case_types`` None means every type, ``district_codes`` None
    the whole partnership (cases with no district included). ``threshold`` None: nothing suppressed."""
    since = today.replace(year=today.year - 1) + dt.timedelta(days=1)
    cases = Case.objects.visible_to(user)
    if case_types is not None:
        cases = cases.filter(case_type__in=case_types)
    if district_codes is not None:
        cases = cases.filter(owning_district__ons_code__in=district_codes)
    rows = list(
        cases.filter(Q(opened_on__range=(since, today)) | Q(closed_on__range=(since, today)) | Q(closed_on=None))
        .values_list("case_type", "sensitivity", "owning_district__name", "opened_on", "closed_on")
        .order_by()
    )
    sensitive_types = {t for t, s, *_ in rows if s != Sensitivity.GENERAL}
    opened = [r for r in rows if since <= r[3] <= today]
    closed = [r for r in rows if r[4] is not None and since <= r[4] <= today]
    open_now = [r for r in rows if r[4] is None]

    def hide(n: int, sensitive: bool) -> int | None:
        return suppress(n, threshold) if (threshold and sensitive) else n

    labels = dict(CaseType.choices)
    type_counts = Counter((t, s != Sensitivity.GENERAL) for t, s, *_ in opened)
    by_type = tuple(
        Figure(labels.get(t, t), hide(n, sensitive), sensitive)
        for (t, sensitive), n in sorted(type_counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
    )
    district_counts = Counter((d or NO_DISTRICT, s != Sensitivity.GENERAL) for _, s, d, *_ in opened)
    by_district = tuple(
        Figure(d if not sensitive else f"{d} (sensitive cases)", hide(n, sensitive), sensitive)
        for (d, sensitive), n in sorted(district_counts.items())
    )
    # The total opened would give a suppressed cell away by subtraction: rounded then (rounded_total).
    rounded = any(f.count is None for f in by_type + by_district)
    opened_total = round_to_threshold(len(opened), threshold) if (threshold and rounded) else len(opened)

    visible = Case.objects.visible_to(user).filter(pk__in=cases.values("pk"))
    reviews = CaseReviewApplication.objects.filter(case__in=visible, received_on__range=(since, today))
    marac = MaracReferral.objects.filter(case__in=visible, referred_on__range=(since, today))
    power_rows = Counter(
        PowerRecord.objects.filter(case__in=visible, on__date__range=(since, today))
        .values_list("power", flat=True)
        .order_by()
    )
    power_labels = dict(PowerType.choices)
    # MARAC referrals are of domestic-abuse cases: sensitive, suppressed as they are.
    return CaseFigures(
        since=since,
        until=today,
        opened=opened_total,
        closed=len(closed),
        open_now=len(open_now),
        rounded=rounded,
        by_type=by_type,
        by_district=by_district,
        case_reviews=reviews.count(),
        case_reviews_threshold_met=reviews.filter(threshold_met=True).count(),
        marac_referrals=hide(marac.count(), True),
        powers=tuple(Figure(power_labels.get(p, p), n) for p, n in sorted(power_rows.items(), key=lambda kv: -kv[1])),
        threshold=threshold,
        sensitive_types=tuple(sorted(labels.get(t, t) for t in sensitive_types)),
    )
