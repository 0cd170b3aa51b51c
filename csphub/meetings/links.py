""" "Refer to a meeting" on the pages of the records meetings take (a person, a place, a case, a referral, a cuckooing
vulnerability record), through
the UI kit's registry (``csphub.ui.record_links``): those pages sit below this app and cannot name its views.

The link is offered only to someone who may act on the record (the access policy: ``services.may_refer``) and only
if a meeting is coming up they may refer it to (``services.referable_meetings``)."""

from __future__ import annotations

from typing import Any

from csphub.cases.models import Case
from csphub.cuckooing.models import VulnerabilityRecord
from csphub.meetings import services
from csphub.referrals.models import Referral
from csphub.registers.models import Person, Place
from csphub.ui.links import record_url
from csphub.ui.record_links import RecordLink

_VIEWS: dict[type, str] = {
    Person: "meetings:refer-person",
    Place: "meetings:refer-place",
    Referral: "meetings:refer-referral",
    VulnerabilityRecord: "meetings:refer-cuckooing",
}


def refer_links(user: Any, record: Any) -> list[RecordLink]:
    if isinstance(record, Case):
        url = record_url("meetings:refer-case", record.reference)
    elif type(record) in _VIEWS:
        url = record_url(_VIEWS[type(record)], record.uuid)
    else:
        return []
    if not services.may_refer(user, record) or not services.referable_meetings(user, record):
        return []
    return [RecordLink("Refer to a meeting", url, "refer-to-meeting")]
