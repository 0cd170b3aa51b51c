"""Access cases for every referral page (inherited from tests.access_cases)."""

from __future__ import annotations

from csphub.access.models import Governed
from tests.access_cases import RecordViewCases, RoleViewCases
from tests.factories import World
from tests.referrals.factories import make_referral


class TestReferralNewAccess(RoleViewCases):
    url_name = "referrals:new"
    permitted = "pastor"
    lacking_role = "police_officer"  # case officers open cases; referrals are for community members


class TestMyReferralsAccess(RoleViewCases):
    url_name = "referrals:mine"
    permitted = "publican"
    lacking_role = "council_officer"


class TestInboxAccess(RoleViewCases):
    url_name = "referrals:inbox"
    permitted = "council_officer"
    lacking_role = "pastor"


class _ReferralTarget(RecordViewCases):
    """A crime referred by a Street Pastor: the police receive it; the council does not see it; the police analyst
    (read-only on it) may read but not triage."""

    outsider = "council_officer"
    read_only = "police_analyst"

    def target(self, world: World) -> Governed | None:
        return make_referral(world["pastor"], concern="crime")


class TestReferralAccess(_ReferralTarget):
    url_name = "referrals:referral"


class TestReferralAcceptAccess(_ReferralTarget):
    url_name = "referrals:accept-new"
    write = True


class TestReferralAddToCaseAccess(_ReferralTarget):
    url_name = "referrals:accept-existing"
    write = True


class TestReferralDeclineAccess(_ReferralTarget):
    url_name = "referrals:decline"
    write = True
