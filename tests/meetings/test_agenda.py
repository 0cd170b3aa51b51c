"""One agenda, rendered for a police officer and for a Street Pastor: each sees only what they may see."""

from __future__ import annotations

from django.urls import reverse

from csphub.meetings.agenda import agenda_for
from tests.factories import World, verified_client
from tests.meetings.factories import make_panel


def test_it_shows_each_attendee_only_what_their_agency_may_see(world: World) -> None:
    panel = make_panel(world)

    police = agenda_for(panel.meeting, world["police_officer"])
    pastor = agenda_for(panel.meeting, world["pastor"])

    assert [r.record for r in police.rows] == [None, panel.police_only, panel.domestic]
    assert police.hidden == 0
    assert [r.label for r in pastor.rows] == ["Minutes of the last meeting"]
    assert pastor.hidden == 2
    # Same times for everyone: hidden items keep their slot.
    assert pastor.ends_at == police.ends_at


def test_it_renders_the_agenda_page_per_viewer_with_hidden_items_counted(world: World) -> None:
    panel = make_panel(world)
    url = reverse("meetings:meeting", args=[panel.meeting.uuid])

    police_page = verified_client(world["police_officer"]).get(url).content.decode()
    pastor_page = verified_client(world["pastor"]).get(url).content.decode()

    for text in (panel.police_only.reference, "Policeonly", panel.domestic.reference, "Domesticpanel"):
        assert text in police_page
        assert text not in pastor_page
    assert "2 items on this agenda" in pastor_page


def test_it_hides_decisions_about_cases_the_viewer_may_not_see(world: World) -> None:
    from csphub.meetings import services

    panel = make_panel(world)
    services.record_decision(panel.meeting, world["police_officer"], case=panel.domestic, text="Refer to MARAC now")
    assert agenda_for(panel.meeting, world["pastor"]).hidden_decisions == 1
    assert [d.case for d in agenda_for(panel.meeting, world["police_officer"]).decisions] == [panel.domestic]


def test_it_makes_a_papers_pack_pdf_for_the_viewer(world: World) -> None:
    panel = make_panel(world)
    url = reverse("meetings:papers", args=[panel.meeting.uuid])
    response = verified_client(world["pastor"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_it_makes_a_calendar_invitation(world: World) -> None:
    from icalendar import Calendar

    panel = make_panel(world)
    response = verified_client(world["pastor"]).get(reverse("meetings:invite", args=[panel.meeting.uuid]))
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["summary"]) == "Kettering ASB risk panel"
    assert event.decoded("dtstart") == panel.meeting.starts_at
    assert "Policeonly" not in response.content.decode()


def test_it_shows_register_entries_and_referrals_only_to_those_who_may_see_them(world: World) -> None:
    from csphub.meetings import services
    from csphub.referrals import services as referral_services
    from tests.factories import make_person

    panel = make_panel(world)
    person = make_person(world["police_officer"], family_name="Agendaperson")
    services.refer(panel.meeting, world["police_officer"], person)
    referral = referral_services.refer(
        world["pastor"],
        concern="asb",
        what_happened="Shouting at night",
        where="3 Gold Street, Kettering",
        postcode="NN16 8AA",
        people="",
        consent="not_asked",
        urgency="routine",
    )
    services.refer(panel.meeting, world["council_officer"], referral)  # the Kettering ASB team received it

    police = agenda_for(panel.meeting, world["police_officer"])
    pastor = agenda_for(panel.meeting, world["pastor"])
    assert person in police.shown_records and person not in pastor.shown_records
    # The Street Pastor made the referral: they see it on the agenda; the police (not its recipients) count it.
    assert referral in pastor.shown_records and referral not in police.shown_records
    assert pastor.hidden == 3 and police.hidden == 1
