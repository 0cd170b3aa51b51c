"""Everyday screens of cases (issue 19, finding 8): the actions page, the case list, officer pickers, a new case."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from csphub.cases import services
from tests.cases.factories import make_case
from tests.factories import World, verified_client


def _current_nav(html: str) -> list[str]:
    return re.findall(r'aria-current="page">([^<]+)</a>', html)


def test_finding_8_the_actions_page_highlights_one_navigation_item_and_shows_case_titles(world: World) -> None:
    officer = world["police_officer"]
    case = make_case(officer, title="Dealing from the flats at Fuller Court")
    services.add_action(
        case,
        officer,
        title="Visit the landlord",
        due_on=timezone.localdate() + dt.timedelta(days=3),
        assigned_agency=world.agencies["police"],
        assigned_officer=officer,
    )
    html = verified_client(officer).get("/cases/actions/").content.decode()
    assert _current_nav(html) == ["Actions"]
    assert "Dealing from the flats at Fuller Court" in html


def test_finding_8_the_case_list_is_full_width(world: World) -> None:
    html = verified_client(world["police_officer"]).get("/cases/").content.decode()
    assert _current_nav(html) == ["Cases"]
    assert "csphub-width-container--wide" in html


def _officer_values(form: object, name: str) -> set[str]:
    field = form.fields[name]  # type: ignore[attr-defined]
    return {str(v.value if hasattr(v, "value") else v) for v, _ in field.choices if v}


def test_finding_8_the_transfer_officer_picker_lists_the_chosen_agencys_officers(world: World) -> None:
    from csphub.cases.forms import TransferForm

    police, council = world.agencies["police"], world.agencies["council"]
    form = TransferForm(data={"to_agency": str(council.pk), "reason": "Theirs"})
    offered = set(form.fields["to_officer"].queryset)  # type: ignore[attr-defined]
    assert world["council_officer"] in offered
    assert all(u.agency_id == council.pk and u.is_active for u in offered)

    form = TransferForm(
        data={"to_agency": str(council.pk), "to_officer": str(world["police_officer"].pk), "reason": "Theirs"}
    )
    assert not form.is_valid()
    assert "to_officer" in form.errors
    assert police.pk != council.pk


def test_finding_8_an_officer_of_another_agency_is_refused_for_an_action(world: World) -> None:
    from csphub.cases.forms import ActionForm

    officer = world["police_officer"]
    case = make_case(officer, parties=(world.agencies["council"],))
    form = ActionForm(
        data={
            "title": "Visit",
            "assigned_agency": str(world.agencies["council"].pk),
            "assigned_officer": str(officer.pk),
            "due_on": str(timezone.localdate() + dt.timedelta(days=3)),
        },
        case=case,
    )
    assert not form.is_valid()
    assert "assigned_officer" in form.errors


def test_finding_8_an_unchosen_agency_groups_officers_by_agency_by_name(world: World) -> None:
    from csphub.cases.forms import TransferForm

    html = str(TransferForm()["to_officer"])
    assert "<optgroup" in html
    assert 'data-officers-of="id_to_agency"' in html
    assert world["council_officer"].get_full_name() in html


def test_finding_8_checking_for_existing_records_shows_no_errors_for_the_case_fields(world: World) -> None:
    client = verified_client(world["police_officer"])
    response = client.post(
        "/cases/new/", {"step": "check", "check-name": "Jordan Smith", "title": "Kept as typed", "hate_strands": []}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-message" not in html and "govuk-error-summary" not in html
    assert "Enter a title" not in html and "Choose the type of case" not in html
    assert 'value="Kept as typed"' in html


def test_finding_8_a_new_case_takes_the_district_of_its_district_team(world: World) -> None:
    district = world.districts["E07000153"]
    case = services.open_case(
        world["council_officer"], case_type="asb_personal", title="Noise", owning_district=district
    )
    assert list(case.districts.all()) == [district]
    assert not case.cross_boundary
    html = verified_client(world["council_officer"]).get(case.get_absolute_url()).content.decode()
    assert "None known" not in html
