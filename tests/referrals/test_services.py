"""The referral verbs: where a referral goes, the disclosure it is, and the triage that follows."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from csphub.access.services import DisclosureRefused
from csphub.audit.models import AuditEntry, Operation
from csphub.cases.models import Case
from csphub.referrals import services
from csphub.referrals.models import Referral, ReferralStatus
from tests.cases.factories import make_case
from tests.factories import World, make_person, verified_client
from tests.referrals.factories import make_referral


def test_it_routes_by_the_district_of_the_postcode(world: World) -> None:
    referral = make_referral(world["pastor"], postcode="NN17 1AB", where="Corporation Street, Corby")
    assert referral.owning_agency == world.agencies["corby"]
    assert referral.receiving_district == world.districts["E07000150"]
    assert referral.referred_by == world["pastor"] and referral.status == ReferralStatus.RECEIVED
    assert referral.reference.startswith("NN-REF-")


def test_it_routes_by_the_chosen_area_without_a_postcode(world: World) -> None:
    referral = make_referral(world["pastor"], postcode="", district=world.districts["E07000150"])
    assert referral.owning_agency == world.agencies["corby"]


def test_it_routes_by_the_referrers_own_district_when_nothing_else_is_known(world: World) -> None:
    referral = make_referral(world["pastor"], postcode="")  # Kettering Street Pastors serve Kettering only
    assert referral.owning_agency == world.agencies["council"]


def test_it_sends_a_crime_to_the_police(world: World) -> None:
    assert make_referral(world["pastor"], concern="crime").owning_agency == world.agencies["police"]


def test_it_logs_the_referral_as_a_disclosure_under_the_isa(world: World) -> None:
    referral = make_referral(world["pastor"])
    entry = AuditEntry.objects.get(record_id=str(referral.uuid), action=Operation.DISCLOSURE)
    assert entry.basis == "ISA-1"
    assert entry.recipients == [world.agencies["council"].name]


def test_it_refuses_a_referral_no_isa_covers_and_logs_the_refusal(world: World) -> None:
    # Corby Pubwatch is not a party to the test partnership's community-safety ISA.
    with pytest.raises(DisclosureRefused):
        make_referral(world["publican"], postcode="NN17 1AB")
    assert not Referral.objects.exists()
    assert AuditEntry.objects.filter(action=Operation.SECURITY, summary__startswith="Referral to").exists()


def test_only_community_members_refer(world: World) -> None:
    with pytest.raises(PermissionDenied):
        make_referral(world["police_officer"])


def test_it_shows_a_referral_to_its_referrer_and_the_receiving_team_only(world: World) -> None:
    referral = make_referral(world["pastor"])
    seen = {u for u in world.users if Referral.objects.visible_to(world[u]).filter(pk=referral.pk).exists()}
    assert "pastor" in seen and "council_officer" in seen
    # Not the other districts, the police, or a colleague in the same charity (data minimisation).
    assert not seen & {"corby_officer", "police_officer", "fire_officer", "pastor2", "publican"}


def test_a_declined_referral_shows_the_referrer_the_reason(world: World) -> None:
    referral = make_referral(world["pastor"])
    with pytest.raises(ValidationError):
        services.decline(referral, world["council_officer"], "no")
    services.decline(referral, world["council_officer"], "Already known: the neighbourhood team patrols there.")
    page = verified_client(world["pastor"]).get(referral.get_absolute_url()).content.decode()
    assert "Declined" in page and "Already known: the neighbourhood team patrols there." in page
    with pytest.raises(ValidationError, match="already been declined"):
        services.decline(referral, world["council_officer"], "Second thoughts, still no.")


def test_it_accepts_into_a_case_the_officer_may_change_without_showing_the_referrer_the_case(world: World) -> None:
    referral = make_referral(world["pastor"])
    officer = world["council_officer"]
    case = make_case(officer, title="Gold Street disorder")
    response = verified_client(officer).post(
        reverse("referrals:accept-existing", args=[referral.uuid]), {"reference": case.reference}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.case == case
    assert case.timeline.filter(title__startswith=f"Referral {referral.reference}").exists()
    page = verified_client(world["pastor"]).get(referral.get_absolute_url()).content.decode()
    assert "Accepted" in page and case.reference not in page and "Gold Street disorder" not in page
    assert not Case.objects.visible_to(world["pastor"]).filter(pk=case.pk).exists()


def test_it_refuses_a_case_the_officer_may_not_change(world: World) -> None:
    referral = make_referral(world["pastor"])
    police_case = make_case(world["police_officer"])
    response = verified_client(world["council_officer"]).post(
        reverse("referrals:accept-existing", args=[referral.uuid]), {"reference": police_case.reference}
    )
    assert response.status_code == 200
    assert "Enter the reference of a case you may change" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED


def test_it_offers_people_already_on_the_register_and_adds_the_one_chosen(world: World) -> None:
    officer = world["council_officer"]
    known = make_person(officer, given_name="Jay", family_name="Smith")
    referral = make_referral(world["pastor"])
    client = verified_client(officer)
    form = client.get(reverse("referrals:accept-new", args=[referral.uuid])).content.decode()
    assert str(known.uuid) in form and "Record a new person: Jay Smith" in form
    response = client.post(
        reverse("referrals:accept-new", args=[referral.uuid]),
        {
            "case_type": "asb_personal",
            "title": "Gold Street",
            "place": "",
            "person_0": str(known.uuid),
            "role_0": "perpetrator",
            "person_1": "",
            "role_1": "perpetrator",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Referral.objects.get(pk=referral.pk).case
    assert case is not None and list(case.case_people.values_list("person", flat=True)) == [known.pk]
    assert not case.case_places.exists()  # the place was left as text in the timeline entry
    assert case.timeline.get().body.count("A lad on a bike") == 1


def test_the_referrer_cannot_triage_their_own_referral(world: World) -> None:
    referral = make_referral(world["pastor"])
    client = verified_client(world["pastor"])
    assert client.get(reverse("referrals:decline", args=[referral.uuid])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.decline(referral, world["pastor"], "I changed my mind about it")


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Jay Smith, about 17, red coat", ("Jay", "Smith")),
        ("Mary Anne O'Neill", ("Mary Anne", "O'Neill")),
        ("a lad on a bike", ("", "")),
        ("Smith", ("", "Smith")),
    ],
)
def test_it_reads_a_name_from_a_who_line(line: str, names: tuple[str, str]) -> None:
    assert services.split_name(line) == names
