"""The demo partnership: every sector and role, two ISAs, a register over four districts, a caseload; re-runnable."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from pytest_django import DjangoDbBlocker

from csphub.access.policy import is_community_user
from csphub.access.vocabulary import Verb
from csphub.audit.verification import verify_log
from csphub.cases.models import Case
from csphub.demo.scenario import NAMESPACE
from csphub.partnership.models import Agency, InformationSharingAgreement, Role, Sector, User
from csphub.registers.models import Person, Place
from tests.conftest import built_once
from tests.factories import verified_client

ARGS = ("--people", "60", "--dwellings", "40", "--cases", "12")


@pytest.fixture(scope="module")
def _module_demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo, built once for the module (in a transaction rolled back at its end, as ``tests.conftest.world``)."""
    with built_once(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("demo", *ARGS, stdout=io.StringIO(), stderr=io.StringIO())
        yield


@pytest.fixture
def demo(db: None, _module_demo: None) -> None:
    """The demo partnership; what a test changes is rolled back after it."""


def test_it_builds_the_partnership_register_and_caseload(demo: None) -> None:
    # The partnership: every sector and role, 2-3 users per agency, two ISAs.
    assert Agency.objects.count() == 17
    assert set(Agency.objects.values_list("sector", flat=True)) == set(Sector.values)
    assert set(User.objects.values_list("role_assignments__role", flat=True)) == set(Role.values)
    counts = [a.users.count() for a in Agency.objects.all()]
    # (Kettering council also has its town-centre warden and CCTV operator: the night-time economy.)
    assert min(counts) >= 2 and max(counts) <= 5
    assert InformationSharingAgreement.objects.count() == 2
    # The register: the seeded people, places over all four districts, some places with no location.
    assert all(Person.objects.filter(uuid=uuid.uuid5(NAMESPACE, f"person-{i}")).exists() for i in range(60))
    districts = set(Place.objects.exclude(district=None).values_list("district__name", flat=True))
    assert districts == {"Corby", "East Northamptonshire", "Kettering", "Wellingborough"}
    assert Place.objects.filter(district=None, latitude=None).exists()
    # The caseload tells the partnership's stories over two years.
    titles = set(Case.objects.values_list("title", flat=True))
    assert "Knives hidden at the Chicken Shack, Gold Street, Kettering" in titles
    assert any("bingo hall" in t for t in titles)
    assert Case.objects.filter(case_type="domestic_abuse").count() == 3
    assert Case.objects.filter(case_type__in=["hate_crime", "hate_incident"]).exists()
    assert Case.objects.filter(case_type="cuckooing").exists()
    assert Case.objects.filter(cross_boundary=True).exists()
    moved = Case.objects.get(title__startswith="Neighbour harassment: victim rehoused")
    assert moved.owning_agency.short_name == "corby-bc" and moved.transfers.count() == 1
    opened = sorted(Case.objects.values_list("opened_on", flat=True))
    assert (opened[-1] - opened[0]).days > 365


def test_re_running_adds_nothing_and_keeps_the_log_intact(demo: None) -> None:
    before = (Person.objects.count(), Place.objects.count(), User.objects.count(), Case.objects.count())
    call_command("demo", *ARGS, stdout=io.StringIO(), stderr=io.StringIO())
    assert (Person.objects.count(), Place.objects.count(), User.objects.count(), Case.objects.count()) == before
    assert verify_log().ok
    out = io.StringIO()
    call_command("demo", "--logins", stdout=out)
    assert "pc.hughes" in out.getvalue() and "sp.volunteer" in out.getvalue() and "password for all" in out.getvalue()


def test_a_police_officer_and_a_street_pastor_see_different_things(demo: None) -> None:
    officer = User.objects.get(username="pc.hughes")
    pastor = User.objects.get(username="sp.volunteer")
    police_sees = set(Person.objects.visible_to(officer).values_list("pk", flat=True))
    pastor_sees = set(Person.objects.visible_to(pastor).values_list("pk", flat=True))
    assert police_sees and pastor_sees and police_sees != pastor_sees
    assert is_community_user(pastor)
    for person in Person.objects.filter(pk__in=pastor_sees):
        assert person.referred_by == pastor or person.shared_with_users.filter(pk=pastor.pk).exists()
    police_only = Person.objects.visible_to(officer).exclude(pk__in=pastor_sees).first()
    assert police_only is not None
    # Volunteers have no register pages at all (issue 19, finding 4): 403 for every person, seen or not.
    response = verified_client(pastor).get(police_only.get_absolute_url())
    assert response.status_code == 403 and police_only.family_name not in response.content.decode()
    assert Person.objects.fetch(officer, Verb.VIEW, uuid=police_only.uuid) == police_only
    assert Person.objects.visible_to(pastor, Verb.CHANGE).exclude(referred_by=pastor).count() == 0
    assert Case.objects.visible_to(officer).exists() and not Case.objects.visible_to(pastor).exists()


def test_it_has_referrals_in_every_state_for_the_triage_journey(demo: None) -> None:
    from csphub.referrals.models import Referral, ReferralStatus

    volunteer, coordinator = User.objects.get(username="sp.volunteer"), User.objects.get(username="sp.coordinator")
    waiting = Referral.objects.get(referred_by=volunteer, status=ReferralStatus.RECEIVED)
    assert waiting.owning_agency.short_name == "kettering-bc"
    accepted = Referral.objects.get(referred_by=coordinator)
    assert accepted.status == ReferralStatus.ACCEPTED and accepted.case is not None
    assert accepted.case.owning_agency.short_name == "kettering-bc"
    declined = Referral.objects.get(status=ReferralStatus.DECLINED)
    assert declined.owning_agency.short_name == "police" and declined.decline_reason
    assert declined.referred_by is not None and declined.referred_by.username == "pubwatch.chair"
    inbox = verified_client(User.objects.get(username="kbc.asb")).get("/referrals/triage/").content.decode()
    assert waiting.reference in inbox


MARAC_PARTNERS = ("idva.adviser", "icb.safeguarding", "probation.om")


def test_finding_3_the_idva_health_and_probation_see_the_case_referred_to_marac(demo: None) -> None:
    referred = Case.objects.get(case_type="domestic_abuse", marac_referrals__isnull=False)
    for username in MARAC_PARTNERS:
        user = User.objects.get(username=username)
        assert Case.objects.visible_to(user).filter(case_type="domestic_abuse").count() >= 1, username
        assert verified_client(user).get(referred.get_absolute_url()).status_code != 404, username
    # The IDVA is a case officer of a specialist (not a community-sector) service.
    idva = User.objects.get(username="idva.adviser")
    assert idva.agency is not None and idva.agency.sector == Sector.SPECIALIST and not is_community_user(idva)
    # The referral records the meeting, who attended and each agency's actions; each disclosure names the MARAC ISA.
    referral = referred.marac_referrals.get()
    assert referral.meeting_on is not None and len(referral.attending_agencies()) >= 6
    assert {a.assigned_agency.short_name for a in referral.actions.all()} >= {"police", "idva-service", "icb"}
    assert referred.parties.filter(short_name="idva-service").exists()
    assert not referred.parties.filter(sector__in=[Sector.VOLUNTARY, Sector.BUSINESS]).exists()
    assert not referred.parties.filter(short_name="kettering-bc").exists()  # a Corby case: not Kettering's MARAC


def test_it_builds_the_faith_action_group_and_the_monthly_marac_with_a_history(demo: None) -> None:
    from django.utils import timezone

    from csphub.demo.meetings import FAITH_GROUP, MARAC
    from csphub.meetings.agenda import agenda_for
    from csphub.meetings.models import ItemKind, MeetingSeries

    group = MeetingSeries.objects.get(uuid=FAITH_GROUP)
    assert group.recurrence == "six_weekly" and group.objectives.count() == 3
    assert group.meetings.filter(status="held").count() == 5
    assert group.meetings.filter(starts_at__gt=timezone.now()).count() == 1
    assert {p.agency.short_name for o in group.objectives.all() for p in o.progress.all()} == {
        "faith-youth",
        "outreach",
        "street-pastors",
    }
    # The open actions of the group are on its next meeting's agenda.
    upcoming = group.meetings.get(starts_at__gt=timezone.now())
    assert upcoming.items.filter(kind=ItemKind.CARRIED_ACTION).count() == 4
    # The Street Pastor's open action is on sp.volunteer's home page.
    home = verified_client(User.objects.get(username="sp.volunteer")).get("/").content.decode()
    assert "Tell the group how many people the patrols helped" in home

    marac = MeetingSeries.objects.get(uuid=MARAC)
    heard = marac.meetings.order_by("starts_at").first()
    assert heard is not None and heard.decisions.count() == 1 and heard.minutes
    idva = agenda_for(heard, User.objects.get(username="idva.adviser"))
    (row,) = [r for r in idva.rows if r.item.kind == ItemKind.MARAC]
    assert row.agency_actions and row.item.minutes_allotted == 15
    womens_aid = agenda_for(heard, User.objects.get(username="wa.idva"))  # a member, not a holder of the case
    assert [r.item.kind for r in womens_aid.rows] == [ItemKind.BUSINESS] and womens_aid.hidden == 1
    assert marac.meetings.filter(starts_at__gt=timezone.now()).count() == 1


def test_the_cuckooing_panels_next_meeting_takes_the_ranked_list(demo: None) -> None:
    from django.utils import timezone

    from csphub.demo.meetings import CUCKOOING_PANEL
    from csphub.meetings.agenda import agenda_for
    from csphub.meetings.models import ItemKind, MeetingSeries

    panel = MeetingSeries.objects.get(uuid=CUCKOOING_PANEL)
    upcoming = panel.meetings.get(starts_at__gt=timezone.now())
    items = list(upcoming.items.filter(kind=ItemKind.CUCKOOING).order_by("position"))
    assert 3 <= len(items) <= 12
    keys = [(i.panel_group, -(i.panel_score or 0)) for i in items]
    assert keys == sorted(keys)  # reviews due, new, then the rest, each by score
    volunteer = agenda_for(upcoming, User.objects.get(username="sp.volunteer"))
    shown = [r for r in volunteer.rows if r.item.kind == ItemKind.CUCKOOING]
    assert shown and all("county" not in " ".join(r.panel.reasons).lower() for r in shown if r.panel)


def test_it_has_a_cuckooing_panel_with_vulnerable_people_premises_and_support(demo: None) -> None:
    from csphub.cuckooing.models import PanelMember, SupportOffer, SupportResponse, VulnerabilityRecord
    from csphub.cuckooing.queries import panel_list

    records = VulnerabilityRecord.objects.all()
    assert 10 <= records.count() <= 40
    assert records.filter(person__isnull=False).exists() and records.filter(person__isnull=True).exists()
    assert all(r.premises_id is not None for r in records)
    assert {SupportResponse.ACCEPTED, SupportResponse.DECLINED} <= set(
        SupportOffer.objects.values_list("response", flat=True)
    )
    assert PanelMember.objects.filter(user__username="sp.volunteer").exists()
    volunteer = User.objects.get(username="sp.volunteer")
    listed = panel_list(volunteer)
    assert listed.rows and all("county" not in " ".join(r.reasons).lower() for r in listed.rows)
    assert any(r.person is not None for r in listed.rows)


def test_it_has_corby_pubwatch_with_bans_under_review(demo: None) -> None:
    from django.utils import timezone

    from csphub.pubwatch.models import Ban, BanStatus, Scheme
    from csphub.pubwatch.services import stored_photos

    scheme = Scheme.objects.get(name="Corby Pubwatch")
    today = timezone.localdate()
    bans = list(Ban.objects.filter(scheme=scheme))
    statuses = {b.status for b in bans}
    assert {BanStatus.PROPOSED, BanStatus.DECIDED, BanStatus.IN_FORCE, BanStatus.UNDER_REVIEW} <= statuses
    assert {BanStatus.UPHELD, BanStatus.LAPSED} <= statuses
    assert any(b.review_due(today) for b in bans)
    # Photos only for bans not ended, in private storage; the lapsed ban's was deleted.
    assert all(not b.photo for b in bans if b.ended)
    kept = [b.photo.name for b in bans if b.photo]
    assert kept and set(kept) <= set(stored_photos())
    # Members only: the licensee sees the register; the police officer and the Street Pastor get 404.
    member = verified_client(User.objects.get(username="pubwatch.member"))
    member.post(f"/access/records/{scheme.uuid}/justify/", {"justification": "Briefing door staff tonight"})
    assert "Kyle Dawson" in member.get(scheme.get_absolute_url()).content.decode()
    for outsider in ("pc.hughes", "sp.volunteer"):
        client = verified_client(User.objects.get(username=outsider))
        assert client.get(scheme.get_absolute_url()).status_code == 404
        assert client.get("/pubwatch/").status_code == 404


def test_it_has_a_kettering_purple_flag_pack_with_a_draft_narrative(demo: None) -> None:
    from csphub.purpleflag import services as purpleflag
    from csphub.purpleflag.models import EvidencePack
    from csphub.purpleflag.standards import SLUGS

    pack = EvidencePack.objects.get(town_centre="Kettering town centre")
    assert pack.months == 12 and pack.nte_area is not None
    assert {n.standard for n in pack.narratives.all() if n.text} == set(SLUGS)
    coordinator = User.objects.get(username="pf.coordinator")
    assert purpleflag.may_edit_narrative(pack, coordinator)
    assert not purpleflag.may_edit_narrative(pack, User.objects.get(username="sp.volunteer"))
