"""The browser test fixtures themselves: axe-core fails a page with a serious violation, every page is scanned."""

from __future__ import annotations

import pytest

from tests.browser.conftest import AccessibilityViolations, Journey, scan
from tests.factories import World

UNLABELLED = """<!DOCTYPE html><html lang="en"><head><title>A form</title></head><body><main>
<h1>A form</h1><form><input type="text" name="who"></form></main></body></html>"""


def test_it_fails_a_page_with_a_serious_accessibility_violation(journey: Journey) -> None:
    journey.page.set_content(UNLABELLED)
    assert {v["id"] for v in scan(journey.page)} == {"label"}
    with pytest.raises(AccessibilityViolations, match=r"label \(critical\): Form elements must have labels"):
        journey.check()
    journey.page.set_content(
        UNLABELLED.replace('<input type="text" name="who">', '<label>Who <input name="who"></label>')
    )
    journey.check()


def test_it_scans_every_page_it_visits(journey: Journey, live_world: World) -> None:
    journey.sign_in(live_world["council_officer"])
    assert journey.scanned == ["/accounts/sign-in/", "/"]
    assert journey.unscanned_loads() == 0
    journey.page.get_by_role("link", name="People").first.click()
    journey.page.wait_for_load_state("load")
    assert journey.unscanned_loads() == 1
    journey.check()
    assert journey.unscanned_loads() == 0 and journey.scanned[-1].startswith("/register/")
