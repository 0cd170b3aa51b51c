"""Referrals made as volunteers make them (through the service, so routed and disclosed under the test ISA)."""

from __future__ import annotations

from typing import Any

from csphub.partnership.models import User
from csphub.referrals import services
from csphub.referrals.models import Referral


def make_referral(by: User, **fields: Any) -> Referral:
    data: dict[str, Any] = {
        "concern": "asb",
        "what_happened": "Shouting and bottles thrown in the street late at night",
        "where": "Outside the Chicken Shack, Gold Street",
        "postcode": "NN16 8AA",
        "people": "Jay Smith, about 17\nA lad on a bike",
        "consent": "not_asked",
        "urgency": "routine",
    }
    data.update(fields)
    return services.refer(by, **data)
