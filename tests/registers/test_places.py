"""Places: both coordinate systems, the district by point-in-polygon, and places without a location."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from csphub.registers import geo, services
from csphub.registers.models import LocationSource
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
    assert response.status_code == 200 and "There is a problem" in body and "Enter both latitude and longitude" in body
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
