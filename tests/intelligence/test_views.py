"""The intelligence forms: a fact recorded with the date it began (a late fact too), a change kept in the history."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from csphub.intelligence import services
from csphub.intelligence.models import Fact
from csphub.intelligence.timeline import Kind
from tests.factories import World, verified_client
from tests.intelligence.factories import make_network

WHY = "Preparing the county lines tasking meeting"


def test_a_lead_records_a_late_status_through_the_form_and_it_corrects_the_past(world: World) -> None:
    net = make_network(world)
    client = verified_client(world["soc_lead"])
    client.post(f"/access/records/{net.line.uuid}/justify/", {"justification": WHY, "next": "/"})
    url = f"/intelligence/lines/{net.line.uuid}/facts/new/?kind=line_status"
    assert "Status" in client.get(url).content.decode()
    before = timezone.now()
    response = client.post(
        url,
        {"kind": "line_status", "value": "disrupted", "valid_from_0": "1", "valid_from_1": "3", "valid_from_2": "2025"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    day = dt.date(2025, 3, 10)
    now = services.as_at(world["soc_lead"], valid=day, known=timezone.now())
    assert now.value(Kind.LINE_STATUS, ("line", net.line.pk)) == "disrupted"
    then = services.as_at(world["soc_lead"], valid=day, known=before)
    assert then.value(Kind.LINE_STATUS, ("line", net.line.pk)) == "active"


def test_ending_a_fact_through_the_form_keeps_the_old_version(world: World) -> None:
    net = make_network(world)
    client = verified_client(world["soc_lead"])
    client.post(f"/access/records/{net.group.uuid}/justify/", {"justification": WHY, "next": "/"})
    fact = Fact.objects.get(group=net.group, kind=Kind.GROUP_MEMBER)
    response = client.post(
        f"/intelligence/groups/{net.group.uuid}/facts/change/",
        {"fact": str(fact.uuid), "change": "end", "on_0": "1", "on_1": "6", "on_2": "2025"},
    )
    assert response.status_code == 302
    assert Fact.objects.filter(group=net.group, kind=Kind.GROUP_MEMBER).count() == 2
    page = client.get(net.group.get_absolute_url()).content.decode()
    assert "History" in page and "1 June 2025" in page
