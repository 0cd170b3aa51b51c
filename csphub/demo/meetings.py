"""The demo's meetings: a six-weekly faith and community action group in Kettering with its objectives and the
partners' progress, the monthly MARAC with a history, hearing the demo's high-risk domestic abuse case, and the
monthly cuckooing panel with the panel's ranked list on its next agenda.

Everything goes through the meeting and case services as the demo users who would do it; each series has a stable
UUID, so re-running adds nothing."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.utils import timezone

from csphub.cases.models import Case, MaracReferral
from csphub.demo.caseload import NAMESPACE as CASELOAD_NAMESPACE
from csphub.demo.scenario import _as
from csphub.demo.structure import Structure
from csphub.meetings import services
from csphub.meetings.models import (
    Meeting,
    MeetingAction,
    MeetingSeries,
    MemberRole,
    Rating,
    Recurrence,
    SeriesKind,
    Theme,
)
from csphub.partnership.models import Agency

logger = logging.getLogger(__name__)
NAMESPACE = uuid.UUID("5d0f3c1e-9a7b-4c2d-8e6f-2026120700a1")
FAITH_GROUP = uuid.uuid5(NAMESPACE, "series-faith-action-group")
MARAC = uuid.uuid5(NAMESPACE, "series-marac")
CUCKOOING_PANEL = uuid.uuid5(NAMESPACE, "series-cuckooing-panel")

# (theme, title, lead agency, the reporting partner's login)
OBJECTIVES = (
    (
        Theme.YOUTH,
        "Open-access youth provision on Friday and Saturday evenings in the town centre",
        "faith-youth",
        "faith.lead",
    ),
    (
        Theme.HOMELESSNESS,
        "Everyone sleeping rough in Kettering has an offer of accommodation within 72 hours",
        "outreach",
        "outreach.lead",
    ),
    (
        Theme.ISOLATION,
        "Reach isolated older residents through the churches' lunch clubs and home visits",
        "street-pastors",
        "sp.coordinator",
    ),
)
# Progress by meeting (oldest first): rating, what was done, people reached — one line per objective.
PROGRESS = (
    (
        (Rating.AT_RISK, "Looking for a hall: two churches asked", None),
        (Rating.ON_TRACK, "Street count with the council: 9 people sleeping rough", 9),
        (Rating.AT_RISK, "Volunteers recruited for visits; no referrals yet", 0),
    ),
    (
        (Rating.ON_TRACK, "St Andrew's hall agreed for Friday nights; DBS checks under way", None),
        (Rating.ON_TRACK, "Six of nine offered a bed; three declined", 6),
        (Rating.ON_TRACK, "Lunch club at Fuller Baptist restarted", 14),
    ),
    (
        (Rating.ON_TRACK, "Friday drop-in opened: football, food and a youth worker", 31),
        (Rating.AT_RISK, "Winter shelter full on cold nights", 11),
        (Rating.ON_TRACK, "GP practices now refer lonely patients", 22),
    ),
    (
        (Rating.ON_TRACK, "Saturday sessions added; police attend once a month", 44),
        (Rating.ON_TRACK, "Severe-weather beds added with Rockingham Forest Homes", 12),
        (Rating.ON_TRACK, "Home visits to 18 residents", 18),
    ),
    (
        (Rating.ACHIEVED, "Both evenings running; ASB calls near the bus station down", 52),
        (Rating.ON_TRACK, "Two rough sleepers left; both now offered accommodation", 2),
        (Rating.ON_TRACK, "Second lunch club opened in Rothwell", 27),
    ),
)
# Actions agreed at each meeting: (agency, title, due in days, done by the next meeting)
GROUP_ACTIONS = (
    (
        ("kettering-bc", "Find a hall for the youth drop-in with the churches", 28, True),
        ("outreach", "Join the council's street count and share the figures", 14, True),
    ),
    (
        ("faith-youth", "DBS checks for the eight new youth volunteers", 35, True),
        ("police", "Name a neighbourhood officer to visit the drop-in", 21, True),
    ),
    (
        ("street-pastors", "Leaflet the sheltered housing schemes about the lunch clubs", 30, True),
        ("kettering-bc", "Bid to the Community Safety Fund for the Saturday sessions", 40, False),
    ),
    (
        ("rockingham-homes", "Offer two severe-weather flats for the winter", 30, True),
        ("outreach", "Write the winter shelter's rota with the churches", 20, False),
    ),
    (
        ("faith-youth", "Count the young people at each session for the CSP's annual report", 60, False),
        ("street-pastors", "Tell the group how many people the patrols helped near the bus station", 45, False),
    ),
)


def build_meetings(structure: Structure) -> int:
    """The action group and the MARAC; returns how many series were added (0 when re-run)."""
    added = 0
    if not MeetingSeries.objects.filter(uuid=FAITH_GROUP).exists():
        _faith_group(structure)
        added += 1
    if not MeetingSeries.objects.filter(uuid=MARAC).exists() and _marac(structure):
        added += 1
    if not MeetingSeries.objects.filter(uuid=CUCKOOING_PANEL).exists() and _cuckooing_panel(structure):
        added += 1
    logger.info("demo meetings: %s series added", added)
    return added


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _faith_group(s: Structure) -> None:
    manager, secretary = s.users["kbc.manager"], s.users["kbc.asb"]
    agencies = s.agencies
    today = timezone.localdate()
    with _as(manager):
        series = services.create_series(
            manager,
            uuid=FAITH_GROUP,
            name="Kettering faith and community action group",
            kind=SeriesKind.ACTION_GROUP,
            purpose="Churches, mosques and voluntary groups with the council and the police: youth provision, "
            "homelessness and social isolation in Kettering.",
            recurrence_rule=Recurrence.SIX_WEEKLY,
            first_starts_at=_at(today - dt.timedelta(weeks=6 * len(PROGRESS) - 3), 18, 30),
            duration_minutes=90,
            location="St Andrew's Church Hall, Kettering",
            members=[
                (agencies["kettering-bc"], MemberRole.CHAIR),
                (agencies["faith-youth"], MemberRole.MEMBER),
                (agencies["street-pastors"], MemberRole.MEMBER),
                (agencies["outreach"], MemberRole.MEMBER),
                (agencies["police"], MemberRole.MEMBER),
                (agencies["rockingham-homes"], MemberRole.MEMBER),
            ],
            chair=manager,
            secretariat=secretary,
        )
        objectives = [
            services.add_objective(series, manager, theme=theme, title=title, lead_agency=agencies[lead])
            for theme, title, lead, _login in OBJECTIVES
        ]
    meeting = series.meetings.get()
    members = services.member_agencies(series)
    for n, (reports, actions) in enumerate(zip(PROGRESS, GROUP_ACTIONS, strict=True)):
        for objective, (_t, _title, _lead, login), (rating, text, reached) in zip(
            objectives, OBJECTIVES, reports, strict=True
        ):
            reporter = s.users[login]
            with _as(reporter):
                services.report_progress(
                    objective,
                    reporter,
                    rating=rating,
                    text=text,
                    people_reached=reached,
                    reported_on=meeting.local_date - dt.timedelta(days=2),
                )
        with _as(manager):
            services.add_business(meeting, manager, title="Partners' progress against the objectives", minutes=40)
            made: list[tuple[MeetingAction, bool]] = []
            for short, title, due_in, done in actions:
                action = services.add_action(
                    meeting,
                    manager,
                    title=title,
                    due_on=meeting.local_date + dt.timedelta(days=due_in),
                    assigned_agency=agencies[short],
                    objective=objectives[n % len(objectives)],
                )
                assert isinstance(action, MeetingAction)
                made.append((action, done))
        with _as(secretary):
            services.record_minutes(
                meeting,
                secretary,
                present=[a for a in members if a.short_name != "rockingham-homes" or n % 2],
                minutes=f"Meeting {n + 1} of the group. Partners reported progress against the three objectives "
                "(see the group's page). Actions agreed as listed; open actions carried over to the next meeting.",
            )
        with _as(manager):
            for action, done in made:
                if done:
                    services.update_action(action, manager, status="done", outcome="Done and reported to the group.")
            meeting = services.schedule_next(series, manager)


def _marac(s: Structure) -> bool:
    """The monthly MARAC, from the meeting that heard the high-risk case (``csphub.demo.caseload``): that meeting
    with its decision and the agencies' actions, last month's review, and the next meeting."""
    case = Case.objects.filter(uuid=uuid.uuid5(CASELOAD_NAMESPACE, "case-da-high")).first()
    referral: MaracReferral | None = case.marac_referrals.first() if case is not None else None
    if case is None or referral is None or referral.meeting_on is None:
        return False
    chair, coordinator = s.users["di.okafor"], s.users["idva.manager"]
    agencies = s.agencies
    names = (
        "police",
        "idva-service",
        "icb",
        "probation",
        "corby-bc",
        "kettering-bc",
        "wellingborough-bc",
        "nnc-social-care",
        "rockingham-homes",
        "womens-aid",
    )
    with _as(chair):
        series = services.create_series(
            chair,
            uuid=MARAC,
            name="North Northamptonshire MARAC",
            kind=SeriesKind.MARAC,
            purpose="The Multi-Agency Risk Assessment Conference: high-risk domestic abuse cases, a safety plan "
            "for each victim, and each agency's actions.",
            recurrence_rule=Recurrence.MONTHLY,
            first_starts_at=_at(referral.meeting_on, 9, 30),
            duration_minutes=180,
            location="Corby Cube, Corby (and online)",
            minutes_per_case=15,
            members=[(agencies[n], MemberRole.CHAIR if n == "police" else MemberRole.MEMBER) for n in names],
            chair=chair,
            secretariat=coordinator,
        )
        heard = series.meetings.get()
        services.add_business(heard, chair, title="Minutes and actions of the last meeting", minutes=10)
        services.record_decision(
            heard,
            chair,
            case=case,
            text="High risk confirmed (DASH 16 and the officer's judgement). Safety plan agreed with the IDVA; "
            "sanctuary scheme at the address; review at the next MARAC.",
        )
    present = [a for a in services.member_agencies(series) if a.short_name != "womens-aid"]
    with _as(coordinator):
        services.record_minutes(
            heard,
            coordinator,
            present=present,
            minutes="Quorate. One new case heard (details on the case, for the agencies that hold it). "
            "Women's Aid sent apologies.",
        )
    with _as(chair):
        review = services.schedule_next(series, chair)
        services.refer(review, chair, case)
        services.record_decision(
            review,
            chair,
            case=case,
            text="Reviewed: the perpetrator is on licence with an exclusion zone; risk remains high while the "
            "criminal case is pending. Open actions carried over.",
        )
        services.add_action(
            review,
            chair,
            title="Circulate the updated MARAC operating protocol to every agency",
            due_on=review.local_date + dt.timedelta(days=14),
            assigned_agency=agencies["idva-service"],
        )
    with _as(coordinator):
        services.record_minutes(review, coordinator, present=present, minutes="Quorate. One case reviewed.")
    with _as(chair):
        upcoming: Meeting = review
        while upcoming.starts_at < timezone.now():
            upcoming = services.schedule_next(series, chair)
    return True


def _cuckooing_panel(s: Structure) -> bool:
    """The monthly cuckooing panel, chaired by the police: last month's meeting held, and the next one with the
    panel's ranked list on its agenda (``csphub.demo.cuckooing`` built the register and seated the members)."""
    from csphub.demo.cuckooing import MEMBERS

    chair, keeper, secretary = s.users["di.okafor"], s.users["pc.hughes"], s.users["kbc.asb"]
    police, kettering = s.users["pc.hughes"].agency, s.users["kbc.asb"].agency
    if police is None or kettering is None:
        return False
    members: dict[int, tuple[Agency, str]] = {
        police.pk: (police, MemberRole.CHAIR),
        kettering.pk: (kettering, MemberRole.SECRETARIAT),
    }
    for login in MEMBERS:
        agency = s.users[login].agency
        if agency is not None:
            members.setdefault(agency.pk, (agency, MemberRole.MEMBER))
    today = timezone.localdate()
    with _as(keeper):
        series = services.create_series(
            keeper,
            uuid=CUCKOOING_PANEL,
            name="North Northamptonshire cuckooing panel",
            kind=SeriesKind.CUCKOOING,
            purpose="Vulnerable people whose homes could be taken over by drug dealers: the panel's ranked list, "
            "support offered and reviews.",
            recurrence_rule=Recurrence.MONTHLY,
            first_starts_at=_at(today - dt.timedelta(days=24), 14),
            duration_minutes=120,
            location="Kettering Police Station, London Road",
            minutes_per_case=8,
            members=list(members.values()),
            chair=chair,
            secretariat=secretary,
        )
    held = series.meetings.get()
    with _as(chair):
        services.add_business(held, chair, title="Terms of reference and the ranking's weights", minutes=15)
    with _as(secretary):
        services.record_minutes(
            held,
            secretary,
            present=services.member_agencies(series),
            minutes="The panel agreed its terms of reference and the ranking's weights (version 2026-1).",
        )
    with _as(chair):
        upcoming = services.schedule_next(series, chair)
        services.add_business(upcoming, chair, title="Apologies and the last meeting's minutes", minutes=5)
        services.bring_cuckooing_panel(upcoming, chair, limit=12)
    return True
