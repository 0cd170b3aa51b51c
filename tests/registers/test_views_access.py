"""Access cases for every register view (inherited from AccessCases)."""

from __future__ import annotations

from csphub.access.models import Governed
from csphub.registers.models import Phone, Vehicle
from tests.access_cases import AccessCases
from tests.factories import World, make_place


class TestPersonSearchAccess(AccessCases):
    url_name = "registers:person-search"
    kind = "role"
    lacking_role = "council_admin"


class TestPersonCreateAccess(AccessCases):
    url_name = "registers:person-create"
    kind = "role"


class TestPersonDetailAccess(AccessCases):
    url_name = "registers:person"


class TestPersonEditAccess(AccessCases):
    url_name = "registers:person-edit"
    write = True


class TestAliasAddAccess(AccessCases):
    url_name = "registers:person-alias-add"
    write = True


class TestIdentifierAddAccess(AccessCases):
    url_name = "registers:person-identifier-add"
    write = True


class TestFlagAddAccess(AccessCases):
    url_name = "registers:person-flag-add"
    write = True


class TestPlaceLinkAccess(AccessCases):
    url_name = "registers:person-place-link"
    write = True


class TestPhoneLinkAccess(AccessCases):
    url_name = "registers:person-phone-link"
    write = True


class TestVehicleLinkAccess(AccessCases):
    url_name = "registers:person-vehicle-link"
    write = True


class TestPersonEraseAccess(AccessCases):
    url_name = "registers:person-erase"
    write = True
    permitted = "police_manager"


class TestPlaceSearchAccess(AccessCases):
    url_name = "registers:place-search"
    kind = "role"
    lacking_role = "council_admin"


class TestPlaceCreateAccess(AccessCases):
    url_name = "registers:place-create"
    kind = "role"


class _PlaceTarget(AccessCases):
    def target(self, world: World) -> Governed | None:
        return make_place(world["police_officer"], parties=(world.agencies["fire"],))


class TestPlaceDetailAccess(_PlaceTarget):
    url_name = "registers:place"


class TestPlaceEditAccess(_PlaceTarget):
    url_name = "registers:place-edit"
    write = True


class TestPhoneDetailAccess(AccessCases):
    url_name = "registers:phone"

    def target(self, world: World) -> Governed | None:
        phone = Phone.objects.create(number="+447700900123", owning_agency=world.agencies["police"])
        phone.parties.add(world.agencies["fire"])
        return phone


class TestVehicleDetailAccess(AccessCases):
    url_name = "registers:vehicle"

    def target(self, world: World) -> Governed | None:
        vehicle = Vehicle.objects.create(registration="KX19ABC", owning_agency=world.agencies["police"])
        vehicle.parties.add(world.agencies["fire"])
        return vehicle
