"""Starting an evidence pack from its page: the centre from the postcode's Code-Point Open centroid, the months from
the GOV.UK month and year boxes, errors GOV.UK style; only the policy's creators get the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from csphub.purpleflag.models import EvidencePack
from csphub.registers import geo
from tests.factories import World, verified_client

URL = reverse("purpleflag:create")


def _data(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "town_centre": "Kettering town centre",
        "postcode": "nn16 0ah",
        "radius_m": "650",
        "district": "E07000153",  # Kettering
        "first_month_0": "1",
        "first_month_1": "2025",
        "last_month_0": "12",
        "last_month_1": "2025",
        "town_centre_agency": str(world.agencies["pubwatch"].uuid),
    }
    data.update(changes)
    return data


def test_it_starts_a_pack_at_the_postcodes_centre_for_the_months_given(world: World) -> None:
    client = verified_client(world["police_officer"])
    assert 'name="first_month_0"' in client.get(URL).content.decode()

    response = client.post(URL, _data(world))

    pack = EvidencePack.objects.get()
    assert response.status_code == 302 and response["Location"] == pack.get_absolute_url()
    point = geo.postcode_point("NN16 0AH")
    assert point is not None
    assert (pack.centre_latitude, pack.centre_longitude) == (point.latitude, point.longitude)
    assert (pack.first_month, pack.last_month, pack.months) == (dt.date(2025, 1, 1), dt.date(2025, 12, 1), 12)
    assert pack.radius_m == 650 and pack.owning_agency == world.agencies["police"]
    assert pack.town_centre_agency == world.agencies["pubwatch"]
    assert pack.title == "Kettering town centre: Purple Flag evidence, January 2025 to December 2025"
    assert pack.narratives.count() == 5


def _errors(world: World, **changes: Any) -> str:
    response = verified_client(world["police_officer"]).post(URL, _data(world, **changes))
    assert response.status_code == 400
    assert not EvidencePack.objects.exists()
    page = response.content.decode()
    assert "govuk-error-summary" in page
    return page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"radius_m": "50"}, "The radius must be 100 metres or more"),
        ({"radius_m": "25000"}, "The radius must be 3,000 metres or less"),
        ({"radius_m": "seven hundred"}, "The radius must be a whole number of metres"),
        ({"postcode": "SW1A 1AA"}, "Enter a postcode in the partnership&#x27;s area"),
        ({"last_month_0": "13"}, "Last month must be a real month"),
        ({"first_month_0": ""}, "First month must include a month"),
        ({"first_month_0": "1", "first_month_1": "2023"}, "The assessment period must be 24 months or shorter"),
        ({"first_month_0": "6", "last_month_0": "3"}, "The last month must be the same as or after the first month"),
    ],
)
def test_it_tells_what_is_wrong_with_the_input(world: World, changes: dict[str, str], message: str) -> None:
    assert message in _errors(world, **changes)


def test_it_refuses_a_period_ending_in_the_future(world: World) -> None:
    next_month = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    page = _errors(world, last_month_0=str(next_month.month), last_month_1=str(next_month.year))
    assert "The last month must be this month or earlier, not in the future" in page


def test_it_offers_the_page_only_to_those_who_may_start_a_pack(world: World) -> None:
    officer = verified_client(world["police_officer"]).get(reverse("purpleflag:list")).content.decode()
    assert URL in officer
    for refused in ("fire_partner", "pastor"):
        assert URL not in verified_client(world[refused]).get(reverse("purpleflag:list")).content.decode()
        assert verified_client(world[refused]).get(URL).status_code == 403
        assert verified_client(world[refused]).post(URL, _data(world)).status_code == 403
    assert not EvidencePack.objects.exists()
