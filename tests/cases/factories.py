"""Cases for tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from csphub.cases import services
from csphub.cases.models import Case
from csphub.partnership.models import Agency, User


def make_case(
    owner: User,
    *,
    parties: tuple[Agency, ...] = (),
    case_type: str = "asb_personal",
    title: str = "Noise and threats at 12 Rockingham Road",
    **fields: Any,
) -> Case:
    """A case opened by ``owner``, with ``parties`` added directly (test set-up, not a disclosure)."""
    case = services.open_case(owner, case_type=case_type, title=title, **fields)
    if parties:
        case.parties.add(*parties)
    return case


def make_days_work(officer: User, agency: Agency) -> tuple[Case, dt.datetime]:
    """A case with an action three days overdue and a closure notice ending in 3½ to 4½ hours (at half past)."""
    from csphub.registers.models import Place

    today = timezone.localdate()
    case = make_case(officer, title="Noise at 4 Digby Street")
    services.add_action(
        case,
        officer,
        title="Check the CCTV footage",
        due_on=today - dt.timedelta(days=3),
        assigned_agency=agency,
        assigned_officer=officer,
    )
    place = Place(address="7 Crack House Lane, Kettering", owning_agency=agency, created_by=officer)
    place.save()
    ends = timezone.localtime(timezone.now() + dt.timedelta(hours=4)).replace(minute=30, second=0, microsecond=0)
    served = ends - dt.timedelta(hours=24)
    services.record_power(case, officer, power="closure_notice", action="served", on=served, place=place, until=ends)
    return case, ends
