"""Case lists as CSV. An export is a disclosure of every case in it to the person downloading it, and is logged so."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from csphub.access import consultation
from csphub.cases.models import Case
from csphub.common import csvsafe

EXPORT_COLUMNS = (
    "reference",
    "type",
    "title",
    "status",
    "opened_on",
    "closed_on",
    "owning_agency",
    "owning_officer",
    "districts",
    "cross_boundary",
    "caveat",
)


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def export_csv(cases: Sequence[Case], out: Writable, *, what: str, detail: Mapping[str, Any]) -> int:
    """Write ``cases`` (already limited to what the reader may export) as CSV rows and log the disclosure."""
    writer = csvsafe.writer(out)  # a title such as =HYPERLINK(...) stays text in a spreadsheet
    writer.writerow(EXPORT_COLUMNS)
    for case in cases:
        writer.writerow(
            [
                case.reference,
                case.get_case_type_display(),
                case.title,
                case.get_status_display(),
                case.opened_on.isoformat(),
                case.closed_on.isoformat() if case.closed_on else "",
                case.owning_agency.name,
                case.owning_officer.get_full_name() if case.owning_officer else "",
                "; ".join(d.name for d in case.districts.all()),
                "yes" if case.cross_boundary else "no",
                case.get_caveat_display(),
            ]
        )
    consultation.record_export(cases, what, {**detail, "rows": len(cases)})
    return len(cases)
