""" "Refer to a meeting" from a person's, a place's, a case's and a referral's page: offered to someone who may act on
the record, listing only the meetings coming up they may refer it to."""

from __future__ import annotations

from django.urls import reverse

from csphub.meetings import services
from csphub.meetings.models import MemberRole, Recurrence, SeriesKind
from tests.cases.factories import make_case
from tests.factories import World, make_person, make_place, verified_client
from tests.meetings.factories import first_start, make_series
from tests.referrals.factories import make_referral


def test_a_person_is_referred_from_their_page_to_a_meeting_coming_up(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer, given_name="Dean", family_name="Referrable", parties=(world.agencies["fire"],))
    series = make_series(world, starts=first_start(-5))
    coming = series.meetings.get()
    past = make_series(world, name="Last year's panel").meetings.get()  # 50 days ago
    cancelled = services.schedule_next(series, world["police_chair"])
    services.cancel(cancelled, world["police_chair"], reason="The room is flooded")
    council_only = services.create_series(
        world["council_manager"],
        name="Council housing panel",
        kind=SeriesKind.PANEL,
        recurrence_rule=Recurrence.AD_HOC,
        first_starts_at=first_start(-3),
        members=[(world.agencies["council"], MemberRole.CHAIR)],
    )
    client = verified_client(officer)
    url = reverse("meetings:refer-person", args=[person.uuid])

    page = client.get(person.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page and "Refer to a meeting" in page
    form = client.get(url).content.decode()
    assert "Kettering ASB risk panel" in form and str(coming.pk) in form
    for other in (past, cancelled, council_only.meetings.get()):
        assert f'value="{other.pk}"' not in form

    response = client.post(url, {"meeting": coming.pk})
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert coming.items.get().person == person
    # On the agenda already: that meeting is no longer offered, and with none left the link goes.
    assert f'value="{coming.pk}"' not in client.get(url).content.decode()
    assert url not in client.get(person.get_absolute_url()).content.decode()


def test_it_refuses_a_meeting_not_offered(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer, family_name="Offered")
    past = make_series(world).meetings.get()
    response = verified_client(officer).post(reverse("meetings:refer-person", args=[person.uuid]), {"meeting": past.pk})
    assert response.status_code == 200 and "Choose one of the meetings coming up" in response.content.decode()
    assert not past.items.exists()


def test_cases_places_and_referrals_are_referred_from_their_pages(world: World) -> None:
    officer = world["police_officer"]
    meeting = make_series(world, starts=first_start(-5)).meetings.get()
    case = make_case(officer, title="Bike thefts at the station")
    place = make_place(officer, address="9 Station Road, Kettering")
    referral = make_referral(world["pastor"], concern="crime")
    client = verified_client(officer)
    for record, url in (
        (case, reverse("meetings:refer-case", args=[case.reference])),
        (place, reverse("meetings:refer-place", args=[place.uuid])),
        (referral, reverse("meetings:refer-referral", args=[referral.uuid])),
    ):
        assert url in client.get(record.get_absolute_url()).content.decode(), record
        assert client.post(url, {"meeting": meeting.pk}).status_code == 302
    assert {i.kind for i in meeting.items.all()} == {"case", "place", "referral"}


def test_it_is_not_offered_to_those_who_may_only_read_the_record(world: World) -> None:
    person = make_person(world["police_officer"], family_name="Readonly", parties=(world.agencies["fire"],))
    make_series(world, starts=first_start(-5))
    url = reverse("meetings:refer-person", args=[person.uuid])
    partner = verified_client(world["fire_partner"])
    assert url not in partner.get(person.get_absolute_url()).content.decode()
    assert partner.get(url).status_code == 403
    assert verified_client(world["council_officer"]).get(url).status_code == 404


def test_with_no_meeting_coming_up_the_page_says_so(world: World) -> None:
    person = make_person(world["police_officer"], family_name="Nomeeting")
    page = verified_client(world["police_officer"]).get(reverse("meetings:refer-person", args=[person.uuid]))
    assert page.status_code == 200 and 'id="no-meetings"' in page.content.decode()
