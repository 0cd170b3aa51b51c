"""Access cases for every register view (inherited from tests.access_cases)."""

from __future__ import annotations

from csphub.access.models import Governed
from csphub.registers.models import Phone, Vehicle
from tests.access_cases import RecordViewCases, RoleViewCases
from tests.factories import World, make_place


class TestPersonSearchAccess(RoleViewCases):
    url_name = "registers:person-search"
    lacking_role = "council_admin"


class TestPersonCreateAccess(RoleViewCases):
    url_name = "registers:person-create"


class TestPersonDetailAccess(RecordViewCases):
    url_name = "registers:person"


class TestPersonEditAccess(RecordViewCases):
    url_name = "registers:person-edit"
    write = True


class TestAliasAddAccess(RecordViewCases):
    url_name = "registers:person-alias-add"
    write = True


class TestIdentifierAddAccess(RecordViewCases):
    url_name = "registers:person-identifier-add"
    write = True


class TestFlagAddAccess(RecordViewCases):
    url_name = "registers:person-flag-add"
    write = True


class TestPlaceLinkAccess(RecordViewCases):
    url_name = "registers:person-place-link"
    write = True


class TestPhoneLinkAccess(RecordViewCases):
    url_name = "registers:person-phone-link"
    write = True


class TestVehicleLinkAccess(RecordViewCases):
    url_name = "registers:person-vehicle-link"
    write = True


class TestPersonEraseAccess(RecordViewCases):
    url_name = "registers:person-erase"
    write = True
    permitted = "police_manager"


class TestPlaceSearchAccess(RoleViewCases):
    url_name = "registers:place-search"
    lacking_role = "council_admin"


class TestPlaceCreateAccess(RoleViewCases):
    url_name = "registers:place-create"


class TestPostcodeLookupAccess(RoleViewCases):
    url_name = "registers:postcode-lookup"


class _PlaceTarget(RecordViewCases):
    def target(self, world: World) -> Governed | None:
        return make_place(world["police_officer"], parties=(world.agencies["fire"],))


class TestPlaceDetailAccess(_PlaceTarget):
    url_name = "registers:place"


class TestPlaceEditAccess(_PlaceTarget):
    url_name = "registers:place-edit"
    write = True


class TestPhoneDetailAccess(RecordViewCases):
    url_name = "registers:phone"

    def target(self, world: World) -> Governed | None:
        phone = Phone.objects.create(number="+447700900123", owning_agency=world.agencies["police"])
        phone.parties.add(world.agencies["fire"])
        return phone


class TestVehicleDetailAccess(RecordViewCases):
    url_name = "registers:vehicle"

    def target(self, world: World) -> Governed | None:
        vehicle = Vehicle.objects.create(registration="KX19ABC", owning_agency=world.agencies["police"])
        vehicle.parties.add(world.agencies["fire"])
        return vehicle
