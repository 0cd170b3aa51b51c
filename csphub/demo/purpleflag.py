"""The demo's Purple Flag evidence pack: Kettering town centre over the last twelve months of night-time economy
data, with a draft narrative for each standard written by the town centre manager (pf.coordinator), and the monthly
town-centre night-time economy group whose actions the pack counts.

Through the services as the demo users who would do it; stable UUIDs, so re-running adds nothing."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.db.models import Max
from django.utils import timezone

from csphub.demo.scenario import _as
from csphub.demo.structure import Structure
from csphub.meetings import services as meetings
from csphub.meetings.models import MeetingAction, MeetingSeries, MemberRole, Rating, Recurrence, SeriesKind, Theme
from csphub.nte.models import NteArea, Shift
from csphub.purpleflag import services
from csphub.purpleflag.models import EvidencePack

logger = logging.getLogger(__name__)
NAMESPACE = uuid.UUID("7a1c0f52-3e4b-4d8a-9c6e-2026120700f1")
PACK = uuid.uuid5(NAMESPACE, "pack-kettering")
NTE_GROUP = uuid.uuid5(NAMESPACE, "series-kettering-nte-group")
KETTERING = "E07000153"
# Kettering's Market Place, when the NTE demo has no town-centre area with a centre.
MARKET_PLACE = (52.3985, -0.7262)

DRAFT = {
    "policy-envelope": "The Kettering town centre partnership brings the council, the police, Kettering Street "
    "Pastors, the wardens and CCTV, licensees and the taxi trade together under the community safety partnership's "
    "plan. The night-time economy group meets monthly; its actions and the partners' progress are below. Draft: "
    "add the licensing policy's cumulative impact assessment and the town centre strategy.",
    "wellbeing": "Street Pastors, wardens and police patrol the centre on Friday and Saturday nights and help people "
    "who are vulnerable, hurt or separated from friends, referring them on where they need more. Knife sweeps by "
    "the partnership find weapons hidden outside venues, which the police take away. Draft: add the Ask for Angela "
    "and Safe Space figures from the venues.",
    "movement": "Most incidents happen between 11pm and 2am, as people leave the venues; the taxi marshals at the "
    "Gold Street rank and the patrols are out through those hours. Draft: add the late bus and the rail station's "
    "opening hours.",
    "appeal": "The centre offers pubs, bars, restaurants, a nightclub, the bingo hall and takeaways. Draft: add the "
    "theatre's programme and the evening markets, and the footfall counts.",
    "place": "Trouble concentrates round a few streets near the late-opening venues; the map shows where, with the "
    "dispersal and PSPO areas. Draft: add the lighting and CCTV improvements made this year.",
}


def build_purple_flag(structure: Structure) -> bool:
    """The NTE group and the pack (once each)."""
    _nte_group(structure)
    if EvidencePack.objects.filter(uuid=PACK).exists():
        return False
    _pack(structure)
    return True


def _area() -> NteArea | None:
    return NteArea.objects.filter(name__icontains="Kettering").order_by("id").first()


def _last_month(area: NteArea | None) -> dt.date:
    """The last whole month of data: the month of the latest shift logged in the area, or last month when the logs
    run into this one (a month still going is not assessed)."""
    last_whole = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    latest = Shift.objects.filter(area=area).aggregate(m=Max("starts_at"))["m"] if area else None
    if latest is not None:
        return min(timezone.localtime(latest).date().replace(day=1), last_whole)
    return last_whole


def _pack(s: Structure) -> EvidencePack:
    manager, coordinator = s.users["kbc.manager"], s.users["pf.coordinator"]
    area = _area()
    last = _last_month(area)
    first = dt.date(last.year - 1, last.month, 1) + dt.timedelta(days=32)
    first = first.replace(day=1)  # twelve months ending with ``last``
    centre = (area.latitude, area.longitude) if area and area.latitude and area.longitude else MARKET_PLACE
    with _as(manager):
        pack = services.create_pack(
            manager,
            uuid=PACK,
            title=f"Kettering town centre: Purple Flag evidence, {first:%B %Y} to {last:%B %Y}",
            town_centre="Kettering town centre",
            district_code=KETTERING,
            centre=(float(centre[0]), float(centre[1])),
            radius_m=600,
            first_month=first,
            last_month=last,
            nte_area=area,
            town_centre_agency=s.agencies["purple-flag"],
            parties=[s.agencies["police"]],
        )
    with _as(coordinator):
        services.write_narrative(pack, coordinator, DRAFT)
    logger.info("demo Purple Flag pack %s added", pack.uuid)
    return pack


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


ACTIONS = (
    ("street-pastors", "Extend the Saturday patrol to 3am over the Christmas weekends", True),
    ("kettering-bc", "Ask the licensees to join the Ask for Angela refresher", True),
    ("police", "Run a knife sweep of the Gold Street and High Street alleys before the bank holiday", True),
    ("purple-flag", "Agree the taxi marshals' rota at the Gold Street rank with the taxi trade", False),
    ("kettering-bc", "Report on the lighting in the Market Place and Sheep Street", False),
)


def _nte_group(s: Structure) -> None:
    """The monthly Kettering town centre night-time economy group: its objectives and a year of actions."""
    if MeetingSeries.objects.filter(uuid=NTE_GROUP).exists():
        return
    manager, coordinator = s.users["kbc.manager"], s.users["pf.coordinator"]
    a = s.agencies
    today = timezone.localdate()
    with _as(manager):
        series = meetings.create_series(
            manager,
            uuid=NTE_GROUP,
            name="Kettering town centre night-time economy group",
            kind=SeriesKind.ACTION_GROUP,
            purpose="The council, the police, Street Pastors, licensees and the Purple Flag partnership: a safe and "
            "welcoming town centre at night.",
            recurrence_rule=Recurrence.MONTHLY,
            first_starts_at=_at(today - dt.timedelta(days=330), 14),
            duration_minutes=90,
            location="Kettering Council Offices, Bowling Green Road",
            members=[
                (a["kettering-bc"], MemberRole.CHAIR),
                (a["police"], MemberRole.MEMBER),
                (a["street-pastors"], MemberRole.MEMBER),
                (a["purple-flag"], MemberRole.MEMBER),
            ],
            chair=manager,
        )
        objective = meetings.add_objective(
            series,
            manager,
            theme=Theme.NTE,
            title="A safe and welcoming town centre at night (Purple Flag)",
            lead_agency=a["kettering-bc"],
        )
    meeting = series.meetings.get()
    for n in range(len(ACTIONS)):
        made = []
        with _as(manager):
            short, title, done = ACTIONS[n]
            action = meetings.add_action(
                meeting,
                manager,
                title=title,
                due_on=meeting.local_date + dt.timedelta(days=42),
                assigned_agency=a[short],
                objective=objective,
            )
            assert isinstance(action, MeetingAction)
            made.append((action, done))
        with _as(coordinator):
            if meetings.may_report_progress(series, coordinator):
                meetings.report_progress(
                    objective,
                    coordinator,
                    rating=Rating.ON_TRACK if n % 3 else Rating.AT_RISK,
                    text="Patrols, marshals and venues reported; see the minutes.",
                    reported_on=meeting.local_date,
                )
        with _as(manager):
            for action, is_done in made:
                if is_done:
                    meetings.update_action(action, manager, status="done", outcome="Done and reported to the group.")
            meeting = meetings.schedule_next(series, manager, starts_at=meeting.starts_at + dt.timedelta(days=63))
