"""Places: both coordinate systems, the district by point-in-polygon, and places without a location."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from csphub.registers import geo, services
from csphub.registers.models import LocationSource, Place
from tests.factories import World, verified_client


def test_it_fills_british_national_grid_and_the_district_from_wgs84(world: World) -> None:
    # Kettering market place.
    place = services.record_place(
        world["council_officer"], address="Market Place, Kettering", latitude=52.3990, longitude=-0.7275
    )
    assert place.easting == pytest.approx(486_560, abs=150) and place.northing == pytest.approx(278_650, abs=150)
    assert place.district is not None and place.district.ons_code == "E07000153"
    assert place.location_source == LocationSource.GIVEN


def test_it_fills_wgs84_from_british_national_grid(world: World) -> None:
    # Corby town centre in BNG metres.
    place = services.record_place(
        world["council_officer"], address="Corporation Street, Corby", easting=488_900, northing=288_900
    )
    assert place.latitude == pytest.approx(52.49, abs=0.01) and place.longitude == pytest.approx(-0.70, abs=0.01)
    assert place.district is not None and place.district.name == "Corby"


def test_it_uses_the_postcode_centre_when_no_coordinates_are_given(world: World) -> None:
    directory = geo.postcode_directory()
    code = next(c for c in directory.codes() if c.startswith("NN8 "))  # a Wellingborough postcode
    place = services.record_place(
        world["council_officer"],
        address="1 Sheep Street, Wellingborough",
        postcode=code.replace(" ", "").lower(),
    )
    point = directory.lookup(code)
    assert point is not None
    assert place.postcode == code and place.location_source == LocationSource.POSTCODE
    assert (place.easting, place.northing) == (point.easting, point.northing)
    assert place.district is not None and place.district.name == "Wellingborough"


def test_a_place_without_coordinates_stays_valid_and_says_so(world: World) -> None:
    officer = world["council_officer"]
    place = services.record_place(officer, address="Garages behind Lower Street, Kettering")
    assert not place.has_location and place.district is None and place.location_source == LocationSource.NONE
    page = verified_client(officer).get(place.get_absolute_url())
    assert page.status_code == 200 and "this place has no location" in page.content.decode()


def test_a_point_outside_the_partnership_has_no_district(world: World) -> None:
    # Northampton: in the county, outside North Northamptonshire.
    place = services.record_place(
        world["council_officer"], address="Abington Street, Northampton", latitude=52.2380, longitude=-0.8930
    )
    assert place.has_location and place.district is None


def test_it_rejects_coordinates_outside_great_britain_and_bad_postcodes(world: World) -> None:
    officer = world["council_officer"]
    with pytest.raises(ValidationError, match="not in Great Britain"):
        services.record_place(officer, address="Somewhere", latitude=48.85, longitude=2.35)
    with pytest.raises(ValidationError, match="not a valid UK postcode"):
        services.record_place(officer, address="Somewhere", postcode="NN99")
    with pytest.raises(ValidationError, match="UPRN"):
        services.record_place(officer, address="Somewhere", uprn="ABC")


def test_the_place_form_reports_problems_with_an_error_summary(world: World) -> None:
    client = verified_client(world["council_officer"])
    response = client.post(
        "/register/places/new/", {"address": "1 High Street", "kind": "dwelling", "latitude": "52.4"}
    )
    body = response.content.decode()
    assert (
        response.status_code == 200 and "There is a problem" in body and "The map pin was not placed properly" in body
    )
    created = client.post(
        "/register/places/new/",
        {
            "address": "1 High Street, Kettering",
            "kind": "dwelling",
            "latitude": "52.399",
            "longitude": "-0.7275",
        },
    )
    assert created.status_code == 302


def test_the_place_form_takes_no_typed_coordinates_and_offers_the_postcode_map(world: World) -> None:
    page = verified_client(world["council_officer"]).get("/register/places/new/").content.decode()
    assert 'type="hidden" name="latitude"' in page and 'type="hidden" name="longitude"' in page
    assert 'name="easting"' not in page and "Latitude" not in page
    assert 'data-pin-inputs="id_latitude id_longitude"' in page
    assert 'data-lookup-url="/register/places/postcode/"' in page
    assert 'name="find" value="postcode"' in page


def test_find_on_the_map_without_javascript_shows_the_postcode_centre_and_saves_nothing(world: World) -> None:
    point = geo.postcode_point("NN16 8AA")
    assert point is not None
    client = verified_client(world["council_officer"])
    page = client.post(
        "/register/places/new/",
        {"address": "12 High Street", "kind": "dwelling", "postcode": "nn168aa", "find": "postcode"},
    ).content.decode()
    assert "NN16 8AA found: the pin is at the postcode&#x27;s centre" in page
    assert f'data-pin="{point.latitude:.6f},{point.longitude:.6f}"' in page
    assert 'value="12 High Street"' in page and "There is a problem" not in page
    assert not Place.objects.filter(address="12 High Street").exists()
    unknown = client.post("/register/places/new/", {"postcode": "SW1A 1AA", "find": "postcode"}).content.decode()
    assert "SW1A 1AA is not in the partnership&#x27;s postcode file" in unknown and "data-pin=" not in unknown


def test_a_place_saved_with_the_pin_where_the_postcode_put_it_is_located_by_its_postcode(world: World) -> None:
    client = verified_client(world["council_officer"])
    client.post("/register/places/new/", {"address": "3 Gold Street", "kind": "dwelling", "postcode": "NN16 8AA"})
    place = Place.objects.get(address="3 Gold Street")
    assert place.location_source == LocationSource.POSTCODE and place.district is not None


def test_a_place_saved_with_a_moved_pin_is_located_where_the_pin_is(world: World) -> None:
    client = verified_client(world["council_officer"])
    client.post(
        "/register/places/new/",
        {
            "address": "Wicksteed Park",
            "kind": "public_space",
            "postcode": "NN16 8AA",
            "latitude": "52.380101",
            "longitude": "-0.707001",
        },
    )
    place = Place.objects.get(address="Wicksteed Park")
    assert place.location_source == LocationSource.GIVEN
    assert (place.latitude, place.longitude) == (52.380101, -0.707001)


def test_the_postcode_lookup_answers_with_the_code_point_open_centre(world: World) -> None:
    client = verified_client(world["council_officer"])
    point = geo.postcode_point("NN16 8AA")
    assert point is not None
    found = client.get("/register/places/postcode/", {"postcode": " nn16 8aa "}).json()
    assert found["found"] and found["postcode"] == "NN16 8AA"
    assert (found["latitude"], found["longitude"]) == (point.latitude, point.longitude)
    assert client.get("/register/places/postcode/", {"postcode": "NOPE"}).json() == {
        "found": False,
        "message": "Enter a real postcode, like NN16 8AA (NOPE is not one)",
    }
