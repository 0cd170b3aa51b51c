"""The night-time economy's pages: what each user is shown, and the forms' verbs."""

import datetime as dt
import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from csphub.nte.models import DesignatedArea, Shift, WeaponFind
from tests.factories import verified_client
from tests.nte.factories import SQUARE, make_designation, make_night, make_shift, make_sweep


def test_it_shows_an_agency_its_own_shifts_and_everyone_the_summary(world):
    night = make_night(world)
    mine = make_shift(world, night, "pastor")
    theirs = make_shift(world, night, "police_officer")
    page = verified_client(world["pastor2"]).get(reverse("nte:index")).content.decode()
    assert mine.reference in page and theirs.reference not in page and "CANARY" not in page
    assert "Shared NTE summary" in page and "fewer than 5" in page  # a Street Pastor sees small counts hidden
    manager = verified_client(world["council_manager"]).get(reverse("nte:summary")).content.decode()
    assert "fewer than" not in manager and mine.reference not in manager  # counts, unsuppressed; never a record


def test_it_logs_a_shift_across_midnight_and_a_weapon_find_from_the_incident_form(world):
    night = make_night(world)
    client = verified_client(world["police_officer"])
    day = timezone.localdate() - dt.timedelta(days=2)
    response = client.post(
        reverse("nte:shift-new"),
        {
            "service": "police",
            "area": night.area.pk,
            "night_0": day.day,
            "night_1": day.month,
            "night_2": day.year,
            "starts": "9pm",
            "ends": "5am",
            "team": "Bravo",
            "officers": "4",
            "notes": "",
        },
    )
    shift = Shift.objects.get(team="Bravo")
    assert response.status_code == 302 and shift.night == day and shift.hours == 8
    response = client.post(
        reverse("nte:incident-new", args=[shift.uuid]),
        {
            "time": "1:30am",
            "category": "weapon_found",
            "venue": night.chicken.pk,
            "people_helped": "0",
            "weapon_type": "knife",
            "hidden": "bin",
        },
    )
    assert response.status_code == 302
    find = WeaponFind.objects.get()
    assert find.venue == night.chicken and find.incident is not None
    assert timezone.localtime(find.incident.occurred_at).date() == day + dt.timedelta(days=1)
    refused = client.post(
        reverse("nte:incident-new", args=[shift.uuid]),
        {"time": "11pm", "category": "first_aid", "people_helped": "1", "weapon_type": "knife"},
    )
    assert "A weapon goes with the category Weapon found" in refused.content.decode()


def test_it_draws_the_finds_trend_and_lists_only_the_sweeps_one_may_see(world):
    night = make_night(world)
    sweep = make_sweep(world, night)
    page = verified_client(world["pastor"]).get(reverse("nte:weapons")).content.decode()
    assert 'data-chart="finds-by-month"' in page and "Dixy Chicken, Gold Street" in page
    assert sweep.reference not in page and sweep.get_absolute_url() not in page
    assert (
        sweep.get_absolute_url()
        in verified_client(world["council_officer"]).get(reverse("nte:weapons")).content.decode()
    )


def test_it_records_an_uploaded_pspo_area_and_serves_it_to_the_map(world):
    night = make_night(world)
    start = timezone.localdate()
    upload = SimpleUploadedFile("pspo.geojson", json.dumps({"type": "Feature", "geometry": SQUARE}).encode())
    response = verified_client(world["council_officer"]).post(
        reverse("nte:designation-new"),
        {
            "kind": "pspo",
            "name": "Town centre PSPO",
            "area": night.area.pk,
            "starts_on_0": start.day,
            "starts_on_1": start.month,
            "starts_on_2": start.year,
            "starts": "midday",
            "ends_on_0": start.day,
            "ends_on_1": start.month,
            "ends_on_2": start.year + 2,
            "ends": "midday",
            "authorised_by": "Council executive",
            "geometry_file": upload,
        },
    )
    assert response.status_code == 302, re.findall(r"govuk-error-message\">(.*?)</p>", response.content.decode(), re.S)
    assert DesignatedArea.objects.get(name="Town centre PSPO").geometry == SQUARE
    make_designation(world, night)
    layer = verified_client(world["fire_officer"]).get(reverse("nte:designations-geojson")).json()
    assert {f["properties"]["kind"] for f in layer["features"]} == {"pspo", "dispersal"}
    assert all(f["properties"]["status"] == "In force" for f in layer["features"])
    insights_map = verified_client(world["fire_officer"]).get(reverse("insights:map")).content.decode()
    assert reverse("nte:designations-geojson") in insights_map  # the map's overlay


def test_it_refuses_a_dispersal_drawn_as_a_point(world):
    night = make_night(world)
    start = timezone.localdate()
    response = verified_client(world["police_officer"]).post(
        reverse("nte:designation-new"),
        {
            "kind": "dispersal",
            "name": "A point",
            "area": night.area.pk,
            "starts_on_0": start.day,
            "starts_on_1": start.month,
            "starts_on_2": start.year,
            "starts": "6pm",
            "ends_on_0": start.day,
            "ends_on_1": start.month,
            "ends_on_2": start.year,
            "ends": "11pm",
            "authorised_by": "Inspector",
            "geometry_text": json.dumps({"type": "Point", "coordinates": [-0.72, 52.4]}),
        },
    )
    assert response.status_code == 200 and "The area must be a polygon" in response.content.decode()
    assert not DesignatedArea.objects.exists()
