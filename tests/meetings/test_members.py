"""Who sits on a series: changed by its chair, its secretariat or a partnership manager, and who may see the series
follows the members (the access policy's own rules)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from csphub.meetings import services
from csphub.meetings.forms import MembersForm
from csphub.meetings.models import MeetingSeries, MemberRole
from tests.factories import World, verified_client
from tests.meetings.factories import make_series


def _post(world: World, series: MeetingSeries, roles: dict[str, str], **people: object) -> dict[str, object]:
    data: dict[str, object] = {MembersForm.field_name(a): "" for a in world.agencies.values()}
    for short, role in roles.items():
        data[MembersForm.field_name(world.agencies[short])] = role
    data.update({"chair": "", "secretariat": ""}, **{k: getattr(v, "pk", v) for k, v in people.items()})
    return data


def test_the_chair_changes_the_members_and_who_sees_the_series_follows(world: World) -> None:
    series = make_series(world)  # police (chair), council (secretariat), fire, Street Pastors
    url = reverse("meetings:members", args=[series.uuid])
    chair = verified_client(world["police_chair"])
    form = chair.get(url).content.decode()
    assert "Kettering Borough Council" in form and "Not a member" in form
    response = chair.post(
        url,
        _post(
            world,
            series,
            {"police": "chair", "corby": "secretariat", "pastors": "member"},
            chair=world["police_chair"],
            secretariat=world["corby_officer"],
        ),
    )
    assert response.status_code == 302 and response["Location"] == series.get_absolute_url()
    series.refresh_from_db()
    assert {m.agency.short_name: m.role for m in series.members.all()} == {
        "police": "chair",
        "corby": "secretariat",
        "pastors": "member",
    }
    assert series.secretariat == world["corby_officer"]
    # The fire service left: its partner no longer finds the series; Corby joined: its officer does.
    assert verified_client(world["fire_partner"]).get(series.get_absolute_url()).status_code == 404
    assert verified_client(world["corby_officer"]).get(series.get_absolute_url()).status_code == 200
    page = chair.get(series.get_absolute_url()).content.decode()
    assert "Corby Borough Council (secretariat)" in page and "Northamptonshire Fire" not in page


@pytest.mark.parametrize("username", ["police_officer", "fire_officer"])
def test_it_refuses_insiders_who_are_neither_chair_nor_secretariat_nor_a_manager(world: World, username: str) -> None:
    """A police case officer may run the police's series but not change who sits on it (403, with the reason)."""
    series = make_series(world)
    response = verified_client(world[username]).get(reverse("meetings:members", args=[series.uuid]))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied, match="chair, its secretariat or a partnership manager"):
        services.change_members(series, world["police_officer"], members=[], chair=None, secretariat=None)


def test_the_secretariat_and_a_party_agencys_manager_may_change_them(world: World) -> None:
    series = make_series(world)
    url = reverse("meetings:members", args=[series.uuid])
    assert verified_client(world["council_officer"]).get(url).status_code == 200  # the named secretariat
    assert verified_client(world["council_manager"]).get(url).status_code == 200  # a manager of a member agency
    assert verified_client(world["corby_officer"]).get(url).status_code == 404  # not a member: no such series


def test_it_keeps_the_holding_agency_one_chair_and_a_chair_of_the_chairs_agency(world: World) -> None:
    series = make_series(world)
    agencies, chair = world.agencies, world["police_chair"]
    with pytest.raises(ValidationError, match="holds the series"):
        services.change_members(
            series, chair, members=[(agencies["council"], MemberRole.CHAIR)], chair=None, secretariat=None
        )
    with pytest.raises(ValidationError, match="one agency as the chair"):
        services.change_members(
            series,
            chair,
            members=[(agencies["police"], MemberRole.CHAIR), (agencies["council"], MemberRole.CHAIR)],
            chair=None,
            secretariat=None,
        )
    with pytest.raises(ValidationError, match="the chair's agency"):
        services.change_members(
            series,
            chair,
            members=[(agencies["police"], MemberRole.MEMBER), (agencies["council"], MemberRole.CHAIR)],
            chair=chair,
            secretariat=None,
        )
    with pytest.raises(ValidationError, match="member agencies"):
        services.change_members(
            series,
            chair,
            members=[(agencies["police"], MemberRole.CHAIR)],
            chair=chair,
            secretariat=world["fire_officer"],
        )
    series.refresh_from_db()
    assert series.members.count() == 4  # nothing changed


def test_the_series_page_offers_the_change_only_to_those_who_may(world: World) -> None:
    series = make_series(world)
    url = reverse("meetings:members", args=[series.uuid])
    assert url in verified_client(world["police_chair"]).get(series.get_absolute_url()).content.decode()
    assert url not in verified_client(world["police_officer"]).get(series.get_absolute_url()).content.decode()
    assert url not in verified_client(world["pastor"]).get(series.get_absolute_url()).content.decode()


def test_it_names_as_chair_or_secretariat_only_officers_of_the_members(world: World) -> None:
    series = make_series(world)  # Corby is not a member
    form = verified_client(world["police_chair"]).get(reverse("meetings:members", args=[series.uuid]))
    chair = form.context["form"].fields["chair"]
    assert {u.agency.short_name for u in chair.queryset} == {"police", "council", "fire", "pastors"}
