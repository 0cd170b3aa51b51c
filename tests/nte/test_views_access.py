"""Access cases for every night-time economy page (inherited from tests.access_cases).

NTE pages are for the NTE partners' users (the police, Kettering council and the Street Pastors here) and the
partnership's managers and analysts; the fire service is no NTE partner. Each shift and sweep is its agency's."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from csphub.access.models import Governed
from tests.access_cases import MemberViewCases, RecordViewCases, RoleViewCases
from tests.factories import World
from tests.nte.factories import make_designation, make_night, make_shift, make_sweep


class _NtePage(RoleViewCases):
    permitted = "pastor"
    lacking_role = "fire_officer"  # not an NTE partner

    def target(self, world: World) -> Governed | None:
        make_night(world)
        return None


class TestIndexAccess(_NtePage):
    url_name = "nte:index"


class TestSummaryAccess(_NtePage):
    url_name = "nte:summary"


class TestWeaponsAccess(_NtePage):
    url_name = "nte:weapons"


class TestDesignationsAccess(_NtePage):
    url_name = "nte:designations"


class TestDesignationAccess(_NtePage):
    url_name = "nte:designation"

    def url(self, world: World, target: Any) -> str:
        return reverse(self.url_name, args=[make_designation(world, make_night(world)).uuid])

    def target(self, world: World) -> Governed | None:
        return None


class TestShiftNewAccess(_NtePage):
    url_name = "nte:shift-new"
    permitted = "police_officer"
    lacking_role = "police_analyst"  # an NTE partner's role that records nothing


class TestSweepNewAccess(TestShiftNewAccess):
    url_name = "nte:sweep-new"


class TestDesignationNewAccess(_NtePage):
    url_name = "nte:designation-new"
    permitted = "police_officer"
    lacking_role = "pastor"  # the police authorise dispersal, the council makes PSPOs


class TestDesignationsGeoJsonAccess(MemberViewCases):
    url_name = "nte:designations-geojson"


class _PoliceShift(RecordViewCases):
    """A police shift: the council (another NTE partner) does not see it; the police analyst reads it only."""

    outsider = "council_officer"
    read_only = "police_analyst"

    def target(self, world: World) -> Governed | None:
        return make_shift(world, make_night(world), "police_officer")


class TestShiftAccess(_PoliceShift):
    url_name = "nte:shift"


class TestIncidentNewAccess(_PoliceShift):
    url_name = "nte:incident-new"
    write = True


class _PoliceSweep(RecordViewCases):
    """A police sweep with the council taking part: the Street Pastors do not see it."""

    outsider = "pastor"
    read_only = "police_analyst"

    def target(self, world: World) -> Governed | None:
        return make_sweep(world, make_night(world))


class TestSweepAccess(_PoliceSweep):
    url_name = "nte:sweep"


class TestFindNewAccess(_PoliceSweep):
    url_name = "nte:find-new"
    write = True
