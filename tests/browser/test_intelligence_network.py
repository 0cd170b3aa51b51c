"""The intelligence network in Chromium: Cytoscape.js draws it, and the date slider crosses an overnight split."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from csphub.intelligence import services
from csphub.intelligence.models import MemberRole
from csphub.intelligence.timeline import Kind
from tests.browser.conftest import Journey
from tests.factories import World
from tests.intelligence.factories import make_network

GROUPS_OF = """([element, member]) => element.csphubNetwork.getElementById(member).neighborhood('node[type = "group"]')
    .map((n) => n.data('label')).sort().join(', ')"""


def test_it_draws_the_network_and_the_slider_crosses_the_split(journey: Journey, live_world: World) -> None:
    manager = live_world["police_manager"]
    net = make_network(live_world, group_name="Northside network")
    split = timezone.localdate() - dt.timedelta(days=30)
    # The overnight split: the enforcer leaves the network for a new crew that night.
    crew = services.open_group(manager, name="Riverside crew", valid_from=split)
    services.record_fact(
        crew, manager, kind=Kind.GROUP_MEMBER, obj=net.member, value=MemberRole.PRINCIPAL, valid_from=split
    )
    eve = split - dt.timedelta(days=1)

    journey.sign_in(live_world["soc_lead"])
    journey.visit(f"/intelligence/network/?valid={eve.isoformat()}")
    page = journey.page
    drawing = page.locator('[data-module="csphub-network"]')
    expect(drawing).to_have_attribute("data-ready", "true")
    expect(drawing).to_have_attribute("data-nodes", "4")  # the line, the network, its member, the line's runner
    member = str(net.member.uuid)
    assert page.evaluate(GROUPS_OF, [drawing.element_handle(), member]) == "Northside network"
    expect(drawing.locator("canvas").first).to_be_visible()
    journey.screenshot("the network the day before the split")

    slider = page.get_by_label("Move the date")
    expect(slider).to_be_visible()
    slider.focus()
    page.keyboard.press("ArrowRight")  # one day on: the night of the split
    expect(drawing).to_have_attribute("data-valid", split.isoformat())
    expect(drawing).to_have_attribute("data-nodes", "5")  # and the crew
    assert page.evaluate(GROUPS_OF, [drawing.element_handle(), member]) == "Riverside crew"
    expect(page.locator("[data-network-summary]")).to_contain_text("5 records")
    expect(page.locator('[data-network-table="ranking"]')).to_contain_text("Riverside crew")
    assert f"valid={split.isoformat()}" in page.url
    journey.check()
    journey.screenshot("the network the day of the split")
