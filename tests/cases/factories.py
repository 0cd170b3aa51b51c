"""Cases for tests."""

from __future__ import annotations

from typing import Any

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
