"""The canary harness: every page of every role, scanned for records the role may not see.

Canary records are planted as real users plant them (a council case shared with the police; a police-only person
and an intelligence person added to it by police officers; a restricted timeline entry naming a police-only
complainant and place; a domestic-abuse case with its victim's home address; a break-glass request; a transfer to
another council; a volunteer's referral to the Kettering ASB team). Then every URL pattern of the project is
requested (GET: pages, forms with their choices, CSV and JSON) by every user of the test partnership, with the
canaries' UUIDs and references filled in, and each answer is scanned for the names, addresses, UUIDs and
references of the canaries that user may not see.

The oracle is the record filter itself (``visible_to`` on the canary record, and the restricted-entry filter for
timeline entries): a record a user cannot open must not leak through any other page. New views are covered
automatically: the URL patterns are read from the resolver, and their parameters filled by name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from csphub.access import services as access_services
from csphub.access.grants import AccessGrant
from csphub.access.models import Governed
from csphub.access.policy import restricted_entries_filter
from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.assessments.engine import load_shipped
from csphub.assessments.services import complete
from csphub.audit.context import audit_context
from csphub.cases import services as case_services
from csphub.cases.models import Case, TimelineEntry
from csphub.cuckooing import services as cuckooing
from csphub.cuckooing.models import VulnerabilityRecord
from csphub.insights.charts import CHART_SLUGS
from csphub.insights.priorities import load as load_priorities
from csphub.intelligence import services as intelligence
from csphub.intelligence.models import CountyLine, OrganisedCrimeGroup
from csphub.meetings.models import Meeting
from csphub.nte.models import DesignatedArea, KnifeSweep, Shift
from csphub.partnership.models import Purpose
from csphub.pubwatch.models import Ban, Scheme
from csphub.purpleflag import services as purpleflag
from csphub.purpleflag.models import EvidencePack
from csphub.referrals import services as referral_services
from csphub.registers.models import Person, Place
from tests.conftest import built_once
from tests.cuckooing.factories import seat
from tests.factories import USER_SPECS, World, build_world, make_person, make_place, verified_client

# Patterns not requested: signing out ends the client's session; the admin is administrators' configuration.
SKIPPED = {"accounts:logout"}
SKIPPED_NAMESPACES = {"admin"}
# One query string for every list and search page, whatever its parameters are called.
SEARCH = "?q=Canary&name=Canary&family_name=Canary&given_name=Canary&address=Canary&person=Canary&place=Canary"


@dataclass
class Canary:
    """A planted record and the strings that must not reach a user who may not see it."""

    label: str
    record: models.Model
    strings: tuple[str, ...]


@dataclass
class CanaryWorld:
    world: World
    canaries: list[Canary] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # case references, for <reference>
    uuids: dict[str, list[str]] = field(default_factory=dict)  # by model label, for <uuid> of record views
    nested: dict[str, list[str]] = field(default_factory=dict)  # case reference -> uuids inside the case
    others: list[str] = field(default_factory=list)  # agencies, agreements, grants: <uuid> of other views


def _add(cw: CanaryWorld, label: str, record: Governed, *strings: str) -> None:
    cw.canaries.append(Canary(label, record, (str(record.uuid), *strings)))
    cw.uuids.setdefault(record._meta.label_lower, []).append(str(record.uuid))


def plant(world: World) -> CanaryWorld:
    cw = CanaryWorld(world)
    council, police, chair = world["council_officer"], world["police_officer"], world["police_chair"]
    with audit_context("test", actor=council, reason="canary planting"):
        shared = case_services.open_case(
            council, case_type="asb_personal", title="Canary shared noise case", summary="Shared with the police"
        )
        access_services.disclose(
            shared,
            to=world.agencies["police"],
            by=council,
            purpose=Purpose.ASB,
            justification="Joint problem-solving with the neighbourhood team",
        )
    with audit_context("test", actor=police, reason="canary planting"):
        police_only = make_person(police, family_name="Canarypoliceonly", given_name="Pauline")
        police_place = make_place(police, address="1 Canarypolice Lane, Kettering")
        case_services.add_person(shared, police_only, police, role="witness")
        entry = case_services.record_entry(
            shared,
            police,
            kind="note",
            title="Canaryrestricted statement taken",
            body="Canaryrestricted details of the statement",
            place=police_place,
            complainant=police_only,
            restricted_to=[world.agencies["police"]],
        )
        victim = make_person(
            police,
            family_name="Canaryvictim",
            given_name="Vera",
            sensitivity=Sensitivity.DOMESTIC_ABUSE,
            caveat=Caveat.OFFICIAL_SENSITIVE,
        )
        refuge = make_place(
            police,
            address="2 Canaryrefuge Close, Corby",
            sensitivity=Sensitivity.DOMESTIC_ABUSE,
            caveat=Caveat.OFFICIAL_SENSITIVE,
        )
        da_case = case_services.open_case(
            police,
            case_type="domestic_abuse",
            title="Canarydomestic case",
            sensitivity=Sensitivity.DOMESTIC_ABUSE,
            caveat=Caveat.OFFICIAL_SENSITIVE,
        )
        case_services.add_person(da_case, victim, police, role="victim")
        case_services.add_place(da_case, refuge, police, role="victim_home")
        case_services.record_entry(
            da_case,
            police,
            kind="incident",
            title="Canarydomestic incident at home",
            place=refuge,
            complainant=victim,
        )
    with audit_context("test", actor=chair, reason="canary planting"):
        intel = make_person(
            chair,
            family_name="Canaryintel",
            given_name="Ivan",
            sensitivity=Sensitivity.INTELLIGENCE,
            caveat=Caveat.OFFICIAL_SENSITIVE,
        )
        case_services.add_person(shared, intel, chair, role="perpetrator")
    for username in ("fire_officer", "fire_partner"):
        user = world[username]
        # Refused by the rules (then nothing is granted) or granted for review: either way a real request.
        with audit_context("test", actor=user, reason="canary planting"), contextlib.suppress(PermissionDenied):
            access_services.request_access(user, da_case, "Urgent fire safety visit to the address tonight")
    with audit_context("test", actor=police, reason="canary planting"):
        referred, lent = _plant_marac(world)
        cuckooed, cuckooed_victim = _plant_cuckooing(world, victim, refuge)
    with audit_context("test", actor=world["police_manager"], reason="canary planting"):
        line, ocg, member = _plant_intelligence(world)
    with audit_context("test", actor=police, reason="canary planting"):
        police_case, meeting = _plant_meeting(world, da_case)
        panel = _plant_cuckooing_meeting(world)
    with audit_context("test", actor=police, reason="canary planting"):
        pack = _plant_purple_flag(world)
    with audit_context("test", actor=council, reason="canary planting"):
        case_services.transfer(
            shared,
            council,
            to_agency=world.agencies["corby"],
            reason="The family moved to Corby: the Corby ASB team leads from now on",
        )
    pastor = world["pastor"]
    with audit_context("test", actor=pastor, reason="canary planting"):
        referral = referral_services.refer(
            pastor,
            concern="asb",
            what_happened="Canaryreferral: shouting and bottles thrown",
            where="3 Canaryreferral Row, Kettering",
            postcode="NN16 8AA",
            people="Rex Canaryvolunteered, about 20",
            consent="not_asked",
            urgency="routine",
        )
    police_shift, pastor_shift, sweep, designation = _plant_nte(world)
    with audit_context("test", actor=world["publican"], reason="canary planting"):
        scheme, ban = _plant_pubwatch(world)
    shared.refresh_from_db()
    _add(cw, "a Pubwatch scheme (members only)", scheme, "Canarywatch")
    _add(cw, "a Pubwatch ban with a photo", ban, ban.reference, ban.uuid.hex, "Canarybanned", "Canarydescribed")
    _add(cw, "a police-only person", police_only, "Canarypoliceonly")
    _add(cw, "a police-only place", police_place, "Canarypolice Lane")
    _add(cw, "an intelligence person", intel, "Canaryintel")
    _add(cw, "a domestic-abuse victim", victim, "Canaryvictim")
    _add(cw, "a domestic-abuse victim's home", refuge, "Canaryrefuge")
    _add(cw, "a shared case", shared, shared.reference, "Canary shared noise case")
    _add(cw, "a domestic-abuse case", da_case, da_case.reference, "Canarydomestic")
    _add(cw, "a volunteer's referral", referral, referral.reference, "Canaryreferral", "Canaryvolunteered")
    _add(cw, "a case referred to MARAC", referred, referred.reference, "Canaryreferred")
    _add(cw, "a place withheld from the MARAC", lent, "Canarylent")
    _add(cw, "a county line", line, "Canaryline")
    _add(cw, "an organised crime group", ocg, "Canarygroup")
    _add(cw, "an organised crime group's member", member, "Canarymember")
    _add(cw, "a police-only case on a meeting's agenda", police_case, police_case.reference, "Canarypanelcase")
    cw.uuids["meetings.meetingseries"] = [str(meeting.series.uuid), str(panel.series.uuid)]
    cw.uuids["meetings.meeting"] = [str(m.uuid) for s in (meeting.series, panel.series) for m in s.meetings.all()]
    cw.uuids["meetings.meetingaction"] = [str(a.uuid) for s in (meeting.series, panel.series) for a in s.actions.all()]
    _add(cw, "a Purple Flag evidence pack", pack, "Canarypack")
    _add(cw, "a premises brought to the cuckooing panel", cuckooed, cuckooed.reference, "Canarycuckoopanel")
    _add(
        cw,
        "a domestic-abuse victim on the cuckooing register",
        cuckooed_victim,
        cuckooed_victim.reference,
        "Canarycuckoovictim",
        "Canarycuckoosupport",
    )
    _add(cw, "a police NTE shift", police_shift, police_shift.reference, "Canarypoliceshift", "Canarynteplace")
    _add(cw, "a Street Pastors NTE shift", pastor_shift, pastor_shift.reference, "Canarypastorshift")
    _add(cw, "a police knife sweep", sweep, sweep.reference, "Canarysweep")
    cw.uuids["nte.designatedarea"] = [str(designation.uuid)]
    cw.canaries.append(Canary("a restricted timeline entry", entry, (str(entry.uuid), "Canaryrestricted")))
    cw.references = [shared.reference, da_case.reference, referred.reference]
    for case in (shared, da_case, referred):
        inside = [str(e.uuid) for e in TimelineEntry.objects.filter(case=case)]
        inside += [str(a.uuid) for a in case.actions.all()]
        inside += [str(r.uuid) for r in case.marac_referrals.all()]
        cw.nested[case.reference] = inside
    cw.others = [
        str(world.agencies["police"].uuid),
        str(world.agreements["ISA-2"].uuid),
        *(str(g.uuid) for g in AccessGrant.objects.all()),
        *(c for c in cw.uuids.get("registers.person", [])),
        *(c for c in cw.uuids.get("cases.case", [])),
        *(c for c in cw.uuids.get("intelligence.countyline", [])),
        *(c for c in cw.uuids.get("intelligence.organisedcrimegroup", [])),
    ]
    return cw


def _plant_purple_flag(world: World) -> EvidencePack:
    """A Purple Flag pack of the police, written with Corby Pubwatch (a business member), with its narrative."""
    police = world["police_officer"]
    pack = purpleflag.create_pack(
        police,
        title="Canarypack Kettering town centre",
        town_centre="Kettering town centre",
        district_code="E07000153",
        centre=(52.3985, -0.7262),
        first_month=dt.date(2025, 1, 1),
        last_month=dt.date(2025, 6, 1),
        town_centre_agency=world.agencies["pubwatch"],
    )
    purpleflag.write_narrative(pack, police, {"wellbeing": "Canarypack patrols on Friday nights"})
    return pack


def _plant_nte(world: World) -> tuple[Shift, Shift, KnifeSweep, DesignatedArea]:
    """Kettering town centre's night-time economy: a police shift with an incident and a weapon found in a place
    described in words, a Street Pastors shift, a police knife sweep (the council taking part) and a dispersal
    area. Each agency sees its own logs; the shared summary and the weapons' trend count them, never show them."""
    from csphub.nte import services as nte
    from tests.nte.factories import make_designation, make_night, make_shift

    night = make_night(world)
    police = world["police_officer"]
    with audit_context("test", actor=police, reason="canary planting"):
        police_shift = make_shift(world, night, "police_officer")
        nte.update_shift(police_shift, police, notes="Canarypoliceshift: a fight at the rank")
        incident = nte.log_incident(
            police_shift,
            police,
            occurred_at=police_shift.starts_at + dt.timedelta(hours=1),
            category="weapon_found",
            location="Canarynteplace alley behind number 12",
            description="Canarypoliceshift knife in the hedge",
        )
        nte.record_find(police, incident=incident, weapon_type="knife", location="Canarynteplace alley")
        sweep = nte.record_sweep(
            police,
            swept_on=timezone.localdate(),
            area=night.area,
            agencies=[world.agencies["council"]],
            searched="Canarysweep: the alleys",
        )
        nte.record_find(police, sweep=sweep, weapon_type="knife", location="Canarysweep garden")
        designation = make_designation(world, night)
    with audit_context("test", actor=world["pastor"], reason="canary planting"):
        pastor_shift = make_shift(world, night, "pastor")
        nte.log_incident(
            pastor_shift,
            world["pastor"],
            occurred_at=pastor_shift.starts_at + dt.timedelta(hours=1),
            category="vulnerable_person",
            location="Canarypastorshift doorway",
        )
    return police_shift, pastor_shift, sweep, designation


def _plant_intelligence(world: World) -> tuple[CountyLine, OrganisedCrimeGroup, Person]:
    """A county line run by an organised crime group, and a member of the group, held by the police as intelligence."""
    manager = world["police_manager"]
    start = dt.date(2025, 1, 1)
    kettering = world.districts["E07000153"]
    ocg = intelligence.open_group(manager, name="Canarygroup", valid_from=start, areas=[kettering])
    line = intelligence.open_line(manager, name="Canaryline", districts=[kettering], group=ocg, valid_from=start)
    member = intelligence.intelligence_person(ocg, manager, given_name="Mick", family_name="Canarymember")
    intelligence.record_fact(ocg, manager, kind="group_member", obj=member, value="enforcer", valid_from=start)
    return line, ocg, member


def _plant_marac(world: World) -> tuple[Case, Place]:
    """A high-risk domestic abuse case referred to MARAC (shared with the MARAC agencies), with the meeting, who
    attended and an action each; a place the police officer may only read stays with the fire service."""
    police = world["police_officer"]
    da: dict[str, Any] = {"sensitivity": Sensitivity.DOMESTIC_ABUSE, "caveat": Caveat.OFFICIAL_SENSITIVE}
    case = case_services.open_case(police, case_type="domestic_abuse", title="Canaryreferred household", **da)
    victim = make_person(police, family_name="Canarymaracvictim", given_name="Mary", **da)
    # Located: the map's layer of cases' places draws it for those who may see it.
    lent = make_place(world["fire_officer"], address="4 Canarylent Road, Corby", latitude=52.4888, longitude=-0.7004)
    lent.shared_with_users.add(police)
    case_services.add_person(case, victim, police, role="victim")
    case_services.add_place(case, lent, police, role="incident_location")
    questions = load_shipped("dash").questions
    complete(case, police, key="dash", person=victim, answers={q.id: "yes" for q in questions})
    attending = [world.agencies[s] for s in ("police", "idva", "health")]
    today = timezone.localdate()
    referral = case_services.refer_to_marac(
        case, police, referred_on=today, person=victim, meeting_on=today, attending=attending
    ).referral
    for agency in attending:
        case_services.add_marac_action(
            referral, police, title=f"Canaryreferred action for {agency}", due_on=today, assigned_agency=agency
        )
    return case, lent


def _plant_meeting(world: World, da_case: Case) -> tuple[Case, Meeting]:
    """A six-weekly panel of the police, the council, the fire service and the Street Pastors whose agenda holds a
    police domestic-abuse case and a police-only case, with a decision and an action on each, and its next meeting
    (the open actions carried over): a Street Pastor attends and must see neither case."""
    from csphub.meetings import services as meeting_services
    from csphub.meetings.models import MemberRole

    police = world["police_officer"]
    agencies = world.agencies
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=20)
    series = meeting_services.create_series(
        world["police_manager"],
        name="Canary risk panel",
        kind="panel",
        recurrence_rule="six_weekly",
        first_starts_at=start,
        members=[
            (agencies["police"], MemberRole.CHAIR),
            (agencies["council"], MemberRole.SECRETARIAT),
            (agencies["fire"], MemberRole.MEMBER),
            (agencies["pastors"], MemberRole.MEMBER),
        ],
        chair=world["police_chair"],
    )
    meeting = series.meetings.get()
    police_case = case_services.open_case(police, case_type="asb_personal", title="Canarypanelcase precinct gang")
    meeting_services.add_business(meeting, police, title="Terms of reference")
    for case in (police_case, da_case):
        meeting_services.refer(meeting, police, case)
        meeting_services.record_decision(meeting, police, case=case, text=f"Canary decision on {case.reference}")
        meeting_services.add_action(
            meeting,
            police,
            title=f"Canary action on {case.reference}",
            due_on=timezone.localdate(),
            assigned_agency=agencies["police"],
            case=case,
        )
    meeting_services.add_action(
        meeting,
        police,
        title="Circulate the terms of reference",
        due_on=timezone.localdate(),
        assigned_agency=agencies["pastors"],
    )
    second = meeting_services.schedule_next(series, police)
    # The second meeting is cancelled: what was referred to it goes to the third.
    meeting_services.refer(second, police, police_case)
    meeting_services.refer(second, police, da_case)
    meeting_services.schedule_next(series, police)
    meeting_services.cancel(second, world["police_chair"], reason="Canary cancelled: the room was double-booked")
    return police_case, meeting


def _plant_cuckooing_meeting(world: World) -> Meeting:
    """A cuckooing panel of the police, the council, the fire service and the Street Pastors: the panel chair brings
    the panel's ranked list (the premises shared with the panel, and the domestic-abuse victim's record no agreement
    lets reach it) to its next meeting."""
    from csphub.meetings import services as meeting_services
    from csphub.meetings.models import MemberRole

    agencies = world.agencies
    series = meeting_services.create_series(
        world["police_manager"],
        name="Canary cuckooing panel",
        kind="cuckooing",
        recurrence_rule="monthly",
        first_starts_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=5),
        members=[
            (agencies["police"], MemberRole.CHAIR),
            (agencies["council"], MemberRole.SECRETARIAT),
            (agencies["fire"], MemberRole.MEMBER),
            (agencies["pastors"], MemberRole.MEMBER),
        ],
        chair=world["police_chair"],
    )
    meeting = series.meetings.get()
    chair = world["police_chair"]
    made, _left = meeting_services.bring_cuckooing_panel(meeting, chair)
    assert len(made) == 2
    # The chair's decision and action about each record: each shown only to those who may see the record (the
    # victim's to none of the panel's other agencies, though the action is the Street Pastors').
    for item in made:
        record = item.vulnerability_record
        assert record is not None
        word = "Canarycuckoovictim" if record.person_id else "Canarycuckoopanel"
        meeting_services.record_decision(meeting, chair, vulnerability_record=record, text=f"{word} decision: visit")
        meeting_services.add_action(
            meeting,
            chair,
            title=f"{word} action: joint visit",
            due_on=timezone.localdate() + dt.timedelta(days=14),
            assigned_agency=agencies["pastors"],
            vulnerability_record=record,
        )
    return meeting


@pytest.fixture(autouse=True)
def _crime_store(with_crime_store: Path) -> None:
    """The analytics area's pages read a crime store (police.uk and partner data) as they would in use."""


def _plant_cuckooing(world: World, victim: Person, refuge: Place) -> tuple[VulnerabilityRecord, VulnerabilityRecord]:
    """The police bring two records to the cuckooing panel (a Street Pastor and a Kettering council officer sit on
    it): a premises, shared with both under ISA-1; and the domestic-abuse victim of the canary DA case at her home,
    which no agreement lets reach the panel, with a support offer."""
    police = world["police_officer"]
    seat(world["pastor"], world["council_officer"])
    premises = make_place(police, address="6 Canarycuckoopanel Walk, Kettering")
    shared = cuckooing.add_to_register(police, premises=premises, summary="Canarycuckoopanel: short visits")
    withheld = cuckooing.add_to_register(police, person=victim, premises=refuge, summary="Canarycuckoovictim at home")
    cuckooing.offer_support(
        withheld, police, service="Canarycuckoosupport refuge move", offered_on=timezone.localdate()
    )
    return shared, withheld


def _plant_pubwatch(world: World) -> tuple[Scheme, Ban]:
    """A Pubwatch scheme (the publican a licensee, the police chair admitted as an adviser) and a ban in force with
    a photo: nobody outside the scheme may see either, the police officer and the Street Pastors included."""
    from tests.pubwatch.factories import in_force, make_scheme

    sw = make_scheme(world, name="Canarywatch Pubwatch")
    ban = in_force(sw, name="Canarybanned Bert", photo=True)
    ban.description = "Canarydescribed: tall, red jacket"
    ban.save()
    return sw.scheme, ban


@pytest.fixture(scope="module")
def canary_world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[CanaryWorld]:
    with built_once(django_db_blocker), django_db_blocker.unblock():
        yield plant(build_world())


def _patterns(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            yield from _patterns(pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
        elif pattern.name and prefix + pattern.name not in SKIPPED:
            yield prefix + pattern.name, pattern


def _keys() -> list[str]:
    from csphub.assessments.engine import shipped

    return sorted(shipped())


def urls(cw: CanaryWorld) -> Iterator[str]:
    """Every URL pattern, with its parameters filled from the canary world."""
    for name, pattern in _patterns(get_resolver().url_patterns):
        params = set(pattern.pattern.regex.groupindex)
        view = getattr(pattern.callback, "view_class", None)
        model = getattr(view, "model", None)
        label = model._meta.label_lower if model is not None else ""
        if not params:
            yield reverse(name)
            yield reverse(name) + SEARCH
        elif params == {"reference"}:
            for reference in cw.references:
                yield reverse(name, kwargs={"reference": reference})
        elif params == {"reference", "uuid"}:
            for reference in cw.references:
                for uid in cw.nested[reference]:
                    yield reverse(name, kwargs={"reference": reference, "uuid": uid})
        elif params == {"reference", "key"}:
            for reference in cw.references:
                for key in _keys():
                    yield reverse(name, kwargs={"reference": reference, "key": key})
        elif params == {"uuid"}:
            for uid in cw.uuids.get(label) or cw.others:
                yield reverse(name, kwargs={"uuid": uid})
        elif params == {"priority"}:
            # The analytics area's dashboards: every priority, for the whole partnership (its case figures count
            # the canaries' cases, never name them).
            for priority in load_priorities().slugs:
                yield reverse(name, kwargs={"priority": priority})
        elif params == {"priority", "chart"}:
            # A chart's CSV, SVG and PNG: the rows of its dashboard, already scanned above (one chart is enough).
            yield reverse(name, kwargs={"priority": "all-crime", "chart": CHART_SLUGS[0]})
        elif params == {"uidb64", "token"}:
            # A password reset link (sent by e-mail, public): a stale one shows only that it no longer works.
            yield reverse(name, kwargs={"uidb64": "MQ", "token": "stale-token"})
        else:
            raise AssertionError(f"{name}: the canary harness does not know how to fill {sorted(params)}")


def _may_see(user: Any, canary: Canary) -> bool:
    record = canary.record
    if isinstance(record, TimelineEntry):
        return (
            Case.objects.visible_to(user).filter(pk=record.case_id).exists()
            and TimelineEntry.objects.filter(pk=record.pk)
            .filter(restricted_entries_filter(user, TimelineEntry))
            .exists()
        )
    assert isinstance(record, Governed)
    return type(record).objects.visible_to(user).filter(pk=record.pk).exists()


def page_text(response: Any) -> str:
    """What a response shows: its text, or for a PDF (meeting papers, a Purple Flag pack) the text of its pages. A
    PDF's bytes hold its text compressed and as glyph numbers of subset fonts, so a name in a PDF would never be
    found in them: the pages' text is extracted with pdfium (as a reader's copy and paste would)."""
    streaming = getattr(response, "streaming", False)
    data = b"".join(response.streaming_content) if streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
        try:
            return "\n".join(page.get_textpage().get_text_range() for page in document)
        finally:
            document.close()
    return str(data.decode("utf-8", "replace"))


USERNAMES = [username for username, _agency, _roles in USER_SPECS]
# One user of each distinct kind of access (an agency that sees much, a council, a community sector volunteer, a
# domestic-abuse specialist, a partner role, an intelligence reader) is scanned on PostgreSQL as well; every user is
# scanned on SQLite. The pages are the same on both: what differs is the database's answer to the record filters, and
# these users between them meet every kind of filter (tests/access/test_policy.py runs every rule on both).
ON_BOTH_DATABASES = {"police_officer", "council_officer", "pastor", "idva_officer", "fire_partner", "soc_analyst"}
SCANNED = [pytest.param(u, marks=() if u in ON_BOTH_DATABASES else (pytest.mark.sqlite_pass,), id=u) for u in USERNAMES]


@pytest.mark.slow
@pytest.mark.parametrize("username", SCANNED)
def test_no_page_shows_a_role_what_it_may_not_see(canary_world: CanaryWorld, db: None, username: str) -> None:
    cw = canary_world
    user = cw.world[username]
    hidden = [c for c in cw.canaries if not _may_see(user, c)]
    client = verified_client(user)
    hits: list[str] = []
    requested = 0
    for url in urls(cw):
        response = client.get(url)
        requested += 1
        assert response.status_code != 500, url
        body = page_text(response)
        # Case-insensitive: the body lowered once and each string looked for as text (faster than a regex per
        # string over every page, which was a tenth of the harness's time).
        lowered, typed = body.lower(), url.lower()
        for canary in hidden:
            for text in canary.strings:
                needle = text.lower()
                if needle in typed:
                    continue  # the user typed it: not a disclosure
                if needle in lowered:
                    hits.append(f"{url} ({response.status_code}) shows {canary.label}: {text!r}")
    assert requested > 50
    assert not hits, f"{username} was shown what they may not see:\n" + "\n".join(sorted(set(hits)))


def test_it_scans_users_of_every_kind_on_postgresql_too() -> None:
    """The PostgreSQL pass scans the users named here: a renamed user must not drop out of it unnoticed."""
    assert set(USERNAMES) >= ON_BOTH_DATABASES
    agencies = {agency for username, agency, _roles in USER_SPECS if username in ON_BOTH_DATABASES}
    assert agencies >= {"police", "council", "pastors", "idva"}


def test_the_canaries_are_hidden_from_someone_and_seen_by_someone(canary_world: CanaryWorld, db: None) -> None:
    """The harness proves something only if every canary is hidden from some user and seen by another."""
    for canary in canary_world.canaries:
        seen = {u for u in USERNAMES if _may_see(canary_world.world[u], canary)}
        assert seen, f"nobody may see {canary.label}"
        assert seen != set(USERNAMES), f"everybody may see {canary.label}"


def test_it_fills_every_url_pattern(canary_world: CanaryWorld, db: None) -> None:
    names = {name for name, _ in _patterns(get_resolver().url_patterns)}
    filled = {resolve(url.split("?")[0]).view_name for url in urls(canary_world)}
    assert filled == names


def test_the_map_of_cases_places_is_scanned_with_a_canary_on_it(canary_world: CanaryWorld, db: None) -> None:
    """The harness has teeth for the map: a located canary place is drawn for someone who may see it (so a leak to
    anyone else would be caught by the scan above), and not for someone who may not."""
    url = reverse("insights:map-case-places")
    shown = verified_client(canary_world.world["police_officer"]).get(url).content.decode()
    assert "Canarylent Road" in shown
    hidden = verified_client(canary_world.world["council_officer"]).get(url).content.decode()
    assert "Canarylent" not in hidden and '"hidden":' in hidden


def test_the_meeting_papers_are_scanned_as_text_with_a_canary_in_them(canary_world: CanaryWorld, db: None) -> None:
    """The harness has teeth for PDFs: the papers pack of the meeting with the police-only case on its agenda holds
    the case's canary title as text for the police (so a leak to anyone else would be caught above), and not for a
    Street Pastor."""
    meeting = canary_world.uuids["meetings.meeting"][0]
    url = reverse("meetings:papers", kwargs={"uuid": meeting})
    police = verified_client(canary_world.world["police_officer"]).get(url)
    assert police["Content-Type"].startswith("application/pdf")
    assert b"Canarypanelcase" not in police.content  # the raw bytes never show it ...
    assert "Canarypanelcase" in page_text(police)  # ... the pages' text does
    assert "Canarypanelcase" not in page_text(verified_client(canary_world.world["council_officer"]).get(url))
