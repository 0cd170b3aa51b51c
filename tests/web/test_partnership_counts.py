"""The partnership page shows each member only counts of what they may see."""

from __future__ import annotations

import re

from csphub.partnership.models import District
from csphub.registers.models import Place
from tests.factories import World, make_place, verified_client


def _counts(html: str) -> list[str]:
    return re.findall(r'govuk-table__cell--numeric">\s*([^<]*?)\s*<', html)


def test_finding_9_partnership_page_counts_only_places_the_viewer_may_see(world: World) -> None:
    police = world["police_officer"]
    district = District.objects.order_by("name").first()
    assert district is not None
    for n in range(7):
        make_place(police, address=f"{n} Police Only Road", district=district)
    outsider = world["pastor"]
    visible = Place.objects.visible_to(outsider).filter(district=district).count()
    total = Place.objects.filter(district=district).count()
    assert visible < total
    response = verified_client(outsider).get("/partnership/")
    assert response.status_code == 200
    counts = _counts(response.content.decode())
    assert str(total) not in counts
    assert str(visible) in counts or not counts


def test_it_shows_no_counts_to_a_role_without_access_to_records(world: World) -> None:
    make_place(world["police_officer"], address="1 Police Only Road", district=District.objects.first())
    response = verified_client(world["council_admin"]).get("/partnership/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Places on the register" not in body and "govuk-table__cell--numeric" not in body
