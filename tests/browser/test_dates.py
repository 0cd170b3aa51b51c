"""The GOV.UK date input in Chromium: a closure notice served at a date and time, refused then accepted.

Every page is scanned by axe-core (``tests/browser/conftest.py``)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from csphub.cases import services
from csphub.cases.models import PowerRecord
from csphub.registers import services as register
from tests.browser.conftest import Journey
from tests.cases.factories import make_case
from tests.factories import World

ERROR_BOX = re.compile(r"(^|\s)govuk-input--error(\s|$)")


def test_a_closure_notice_is_served_at_a_date_and_time_in_govuk_style(journey: Journey, live_world: World) -> None:
    officer = live_world["council_officer"]
    case = make_case(officer, title="Drug dealing at 7 Crack House Lane")
    house = register.record_place(officer, address="7 Crack House Lane, Kettering", postcode="NN16 8AA")
    services.add_place(case, house, officer, role="incident_location")
    today = timezone.localdate()
    yesterday, tomorrow = today - dt.timedelta(days=1), today + dt.timedelta(days=1)

    journey.sign_in(officer)
    journey.visit(f"/cases/{case.reference}/powers/new/")
    page = journey.page
    expect(page.locator('input[type="date"], input[type="time"]')).to_have_count(0)  # no browser pickers
    page.get_by_label("Against or for").select_option(label="7 Crack House Lane, Kettering, NN16 8AA (place)")
    page.get_by_label("Power", exact=True).select_option(label="Closure notice")
    page.get_by_label("What happened").select_option(label="Served")
    served = page.get_by_role("group", name="Date", exact=True)
    served.get_by_label("Day").fill(str(yesterday.day))
    served.get_by_label("Year").fill(str(yesterday.year))  # the month forgotten
    page.get_by_label("Time", exact=True).fill("4:30pm")
    journey.submit("Save")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Date must include a month")
    expect(served.get_by_label("Month")).to_have_class(ERROR_BOX)
    expect(served.get_by_label("Day")).not_to_have_class(ERROR_BOX)
    journey.screenshot("a date missing its month, refused GOV.UK style")

    served.get_by_label("Month").fill(str(yesterday.month))
    until = page.get_by_role("group", name="Until (end date)")
    until.get_by_label("Day").fill(str(tomorrow.day))
    until.get_by_label("Month").fill(tomorrow.strftime("%b"))  # a month may be written as a name
    until.get_by_label("Year").fill(str(tomorrow.year))
    page.get_by_label("Until (time)").fill("4:30pm")
    page.get_by_label("Authorised by a superintendent or the council's chief executive (or designate)").check()
    journey.submit("Save")
    power = PowerRecord.objects.get(case=case)
    assert timezone.localtime(power.on).time() == dt.time(16, 30) and timezone.localtime(power.on).date() == yesterday
    assert power.until is not None and timezone.localtime(power.until).date() == tomorrow
    journey.visit("/")  # the home page's deadlines tell the notice's end GOV.UK style
    deadline = page.locator("#deadlines tr", has_text="Closure notice for 7 Crack House Lane, Kettering, NN16 8AA ends")
    expect(deadline).to_contain_text(f"4:30pm on {tomorrow.day} {tomorrow:%B %Y}")
    journey.screenshot("the closure notice deadline on the home page, in GOV.UK style")
