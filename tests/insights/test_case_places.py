"""The cases' places on the map go through the access policy: a place is drawn only when the viewer may see it and
one of its cases; sensitive places and places the viewer may not see are only counted; drawn places are logged."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from csphub.access.policy import page_refusal
from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.audit.models import AuditEntry, Operation
from csphub.cases import services as case_services
from csphub.registers.models import Place
from csphub.registers.services import record_place
from tests.cases.factories import make_case
from tests.factories import World, make_place, verified_client

pytestmark = pytest.mark.django_db


def _layer(client: Client) -> Any:
    response = client.get("/insights/map/case-places.geojson")
    assert response.status_code == 200
    return json.loads(response.content)


def _case_with_place(owner: Any, place: Place, **case: Any) -> None:
    opened = make_case(owner, **case)
    case_services.add_place(opened, place, owner, role="incident_location")


@pytest.fixture
def planted(world: World) -> dict[str, Place]:
    police, council = world["police_officer"], world["council_officer"]
    mine = record_place(police, name="Chicken Shack", address="12 Gold Street, Kettering", postcode="NN16 8JA")
    _case_with_place(police, mine, title="Disorder outside the Chicken Shack")
    theirs = record_place(council, address="7 Meadow Road, Kettering", postcode="NN16 8TJ")
    _case_with_place(council, theirs, title="Noise at 7 Meadow Road")
    refuge = make_place(
        police,
        address="2 Refuge Close, Corby",
        latitude=52.49,
        longitude=-0.69,
        sensitivity=Sensitivity.DOMESTIC_ABUSE,
        caveat=Caveat.OFFICIAL_SENSITIVE,
    )
    _case_with_place(
        police,
        refuge,
        case_type="domestic_abuse",
        title="Threats at home",
        sensitivity=Sensitivity.DOMESTIC_ABUSE,
        caveat=Caveat.OFFICIAL_SENSITIVE,
    )
    unlocated = make_place(police, address="Somewhere on the A43")
    _case_with_place(police, unlocated, title="Fly-tipping by the A43")
    return {"mine": mine, "theirs": theirs, "refuge": refuge, "unlocated": unlocated}


def test_it_draws_only_the_places_of_cases_the_viewer_may_see(world: World, planted: dict[str, Place]) -> None:
    layer = _layer(verified_client(world["police_officer"]))
    assert [f["properties"]["reference"] for f in layer["features"]] == [planted["mine"].reference]
    point = layer["features"][0]
    assert point["geometry"]["coordinates"] == [
        round(planted["mine"].longitude or 0, 6),
        round(planted["mine"].latitude or 0, 6),
    ]
    assert point["properties"]["url"] == planted["mine"].get_absolute_url()
    assert (layer["shown"], layer["needs_justification"], layer["unlocated"], layer["hidden"]) == (1, 1, 1, 1)
    body = json.dumps(layer)
    for hidden in ("theirs", "refuge"):
        assert str(planted[hidden].uuid) not in body and planted[hidden].address not in body
        assert planted[hidden].reference not in body


def test_another_agency_sees_its_own_and_counts_the_rest(world: World, planted: dict[str, Place]) -> None:
    layer = _layer(verified_client(world["council_officer"]))
    assert [f["properties"]["reference"] for f in layer["features"]] == [planted["theirs"].reference]
    assert layer["hidden"] == 3
    assert "Gold Street" not in json.dumps(layer)


def test_an_administrator_sees_no_place(world: World, planted: dict[str, Place]) -> None:
    layer = _layer(verified_client(world["council_admin"]))  # the role gives no personal data
    assert layer["features"] == [] and layer["shown"] == 0 and layer["hidden"] == 4


@pytest.mark.parametrize("username", ["pastor", "publican"])
def test_volunteers_get_what_the_policy_gives_them(world: World, planted: dict[str, Place], username: str) -> None:
    """Refused like every case officer's page, or (if the policy opens the analytics area to them) no place of a case
    they may not see: either way the policy decides, not the map."""
    volunteer = world[username]
    response = verified_client(volunteer).get("/insights/map/case-places.geojson")
    if page_refusal(volunteer, "insights:map-case-places", "insights"):
        assert response.status_code == 403
    else:
        layer = json.loads(response.content)
        assert layer["features"] == [] and layer["shown"] == 0 and layer["hidden"] == 4


def test_each_place_drawn_is_logged_as_consulted(world: World, planted: dict[str, Place]) -> None:
    def consultations(place: Place) -> int:
        return AuditEntry.objects.filter(action=Operation.CONSULTATION, record_id=str(place.uuid)).count()

    before = {name: consultations(place) for name, place in planted.items()}
    _layer(verified_client(world["police_officer"]))
    assert consultations(planted["mine"]) == before["mine"] + 1
    assert consultations(planted["refuge"]) == before["refuge"]
    assert consultations(planted["theirs"]) == before["theirs"]
