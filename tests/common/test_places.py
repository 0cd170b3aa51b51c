"""Place comparison: the same shop typed two ways is found; neighbours and namesakes elsewhere are not."""

from __future__ import annotations

from csphub.common.places import PlaceFacts, compare, fold

SHACK = PlaceFacts("12 High Street, Kettering", name="Chicken Shack", postcode="NN16 8AA")


def test_it_spells_out_street_abbreviations_when_folding() -> None:
    assert fold("12, High St.") == "12 high street"
    assert fold("Flat 2, 4 Rockingham Rd") == "flat 2 4 rockingham road"


def test_it_finds_a_misspelt_name_at_the_same_address_and_postcode() -> None:
    typed = PlaceFacts("12 High St, Kettering", name="Chicken Shak", postcode="nn168aa")
    found = compare(typed, SHACK)
    assert found is not None
    assert found.reasons == ("same postcode", "same address", "similar name")
    assert found.score > 0.9


def test_it_finds_a_similar_name_at_the_same_postcode_without_a_house_number() -> None:
    typed = PlaceFacts("High Street, Kettering", name="Chiken Shack", postcode="NN16 8AA")
    found = compare(typed, SHACK)
    assert found is not None and "similar name" in found.reasons


def test_it_keeps_neighbours_apart_however_alike_their_names() -> None:
    assert compare(PlaceFacts("14 High Street, Kettering", name="Chicken Shack", postcode="NN16 8AA"), SHACK) is None


def test_it_keeps_a_different_business_at_the_same_postcode_apart() -> None:
    assert compare(PlaceFacts("Unit 3, Kettering", name="Kettering Vape Co", postcode="NN16 8AA"), SHACK) is None


def test_it_keeps_the_same_street_address_in_another_postcode_apart() -> None:
    assert compare(PlaceFacts("12 High Street, Corby", postcode="NN17 1AA"), SHACK) is None


def test_it_takes_nearness_for_a_shared_postcode_when_both_have_coordinates() -> None:
    a = PlaceFacts("Market Place, Kettering", name="Central Park", easting=486_560, northing=278_650)
    b = PlaceFacts("Market Pl, Kettering", name="Central Park", easting=486_590, northing=278_660)
    found = compare(a, b)
    assert found is not None and found.reasons[0] == "32 metres away"
    far = PlaceFacts("Market Pl, Kettering", name="Central Park", easting=487_560, northing=278_650)
    assert compare(PlaceFacts("Park Road", name="Central Park", easting=486_560, northing=278_650), far) is None


def test_a_shared_uprn_is_the_same_place() -> None:
    found = compare(PlaceFacts("anything", uprn="100031234567"), PlaceFacts("else", uprn="100031234567"))
    assert found is not None and found.reasons == ("same UPRN",)
