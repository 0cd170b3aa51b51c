"""NTE incident logs to the analytics store, through the partner ingest path (not a copy of it).

Each agency's month of incidents is written as a partner CSV file in the documented schema
(``csphub.analytics.partner``: occurred_at, category, source_agency, reference, location, postcode, latitude,
longitude) and ingested by the engine (``Analytics.ingest_partner``), which replaces that agency-month in the store.
It runs after every change to a shift or incident (once the transaction commits) and by ``csphub nte publish``.

What goes: the time, the category (as "Night-time economy: <label>", the partner series the night-time-economy
dashboard counts, ``csphub/insights/priorities.toml``), and the place — a venue's name and point, or the area's
name with the point or postcode the officer gave (for a register place only its postcode, a postcode centre: never
a home's own point; with none of these, the area's centre). What never goes: names, a shift's notes, an incident's
description or the place in the officer's words, the people helped or referred.

The store's agency is ``"<agency name> NTE log"`` (folder ``<slug>-nte-log``), apart from any partner file the same
agency uploads itself: publishing its NTE month never replaces its own ASB figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from csphub.analytics.partner import agency_slug
from csphub.insights.engine import analytics
from csphub.nte.models import Incident, IncidentCategory, NtePartner
from csphub.partnership.models import Agency

log = logging.getLogger(__name__)

CATEGORY_PREFIX = "Night-time economy: "
COLUMNS = ("occurred_at", "category", "source_agency", "reference", "location", "postcode", "latitude", "longitude")
_lock = threading.Lock()


def partner_category(category: str) -> str:
    """The analytics store's category of an NTE incident category, e.g. "Night-time economy: Violence or fighting"."""
    return f"{CATEGORY_PREFIX}{IncidentCategory(category).label}"


def partner_categories() -> tuple[str, ...]:
    """Every category NTE logs publish (the night-time-economy dashboard's partner series list them all)."""
    return tuple(partner_category(c) for c in IncidentCategory.values)


def source_agency(agency: Agency) -> str:
    return f"{agency.name} NTE log"


def store_agency(agency: Agency) -> str:
    """The agency's folder in the analytics store (``partner/<folder>/<YYYY-MM>.parquet``)."""
    return agency_slug(source_agency(agency))


def month_of(moment: dt.datetime) -> dt.date:
    local = timezone.localtime(moment)
    return dt.date(local.year, local.month, 1)


def _month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime(month.year, month.month, 1, tzinfo=tz)
    following = dt.datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=tz)
    return start, following


def row(incident: Incident, agency_name: str) -> dict[str, str]:
    """One incident as a partner CSV row: categories, times and places only."""
    when = timezone.localtime(incident.occurred_at)
    location, postcode, lat, lon = "", "", "", ""
    if incident.venue is not None:
        location = incident.venue.name
        postcode = incident.venue.postcode
        if incident.venue.latitude is not None and incident.venue.longitude is not None:
            lat, lon = f"{incident.venue.latitude:.6f}", f"{incident.venue.longitude:.6f}"
    if incident.latitude is not None and incident.longitude is not None:
        lat, lon = f"{incident.latitude:.6f}", f"{incident.longitude:.6f}"
    if incident.venue is None:
        # The officer's words ("the alley behind number 12") stay with the agency's log: the store gets the area.
        location = incident.shift.area.name
        postcode = incident.postcode
    if incident.place is not None and not (lat or postcode):
        # A register place: its postcode only (a postcode centre), never its address or its own point.
        postcode = incident.place.postcode
    area = incident.shift.area
    if not (lat or postcode) and area.latitude is not None and area.longitude is not None:
        # Only a street in words: located at the centre of the shift's area (e.g. Kettering town centre).
        lat, lon = f"{area.latitude:.6f}", f"{area.longitude:.6f}"
    return {
        "occurred_at": f"{when:%Y-%m-%d %H:%M}",
        "category": partner_category(incident.category),
        "source_agency": agency_name,
        "reference": incident.uuid.hex[:12],
        "location": location[:200],
        "postcode": postcode,
        "latitude": lat,
        "longitude": lon,
    }


@dataclass(frozen=True)
class PublishResult:
    agency: str  # the store's folder
    months: tuple[str, ...]  # YYYY-MM written
    removed: tuple[str, ...]  # YYYY-MM emptied and taken out of the store
    rows: int


def _incidents(agency: Agency, months: Sequence[dt.date] | None) -> list[Incident]:
    qs = Incident.objects.filter(shift__owning_agency=agency).select_related("venue", "place", "shift__area")
    if months is not None:
        from django.db.models import Q

        window = Q(pk__in=[])
        for month in months:
            start, end = _month_bounds(month)
            window |= Q(occurred_at__gte=start, occurred_at__lt=end)
        qs = qs.filter(window)
    return list(qs.order_by("occurred_at", "id"))


def publish_agency(agency: Agency, months: Sequence[dt.date] | None = None) -> PublishResult:
    """Write and ingest the agency's NTE incidents of ``months`` (every month it has logged, by default); a month
    that no longer has any incident is taken out of the store (a re-ingest would leave it there)."""
    name = source_agency(agency)
    folder = store_agency(agency)
    incidents = _incidents(agency, months)
    rows = [row(i, name) for i in incidents]
    written = sorted({r["occurred_at"][:7] for r in rows})
    app = analytics()
    with _lock:
        if rows:
            with tempfile.TemporaryDirectory(prefix="csphub-nte-") as tmp:
                path = Path(tmp) / f"{folder}.csv"
                with path.open("w", newline="", encoding="utf-8") as fh:
                    writer = csv.DictWriter(fh, fieldnames=COLUMNS)
                    writer.writeheader()
                    writer.writerows(rows)
                app.ingest_partner([path])
        stored = {p.stem for p in app.store.partner_path(folder, "x").parent.glob("*.parquet")}
        asked = {f"{m:%Y-%m}" for m in months} if months is not None else stored
        removed = sorted((asked & stored) - set(written))
        for month_key in removed:
            app.store.partner_path(folder, month_key).unlink(missing_ok=True)
    if rows or removed:
        log.info(
            "NTE log of %s: %d incidents in %d month(s) published, %d emptied",
            agency,
            len(rows),
            len(written),
            len(removed),
        )
    return PublishResult(folder, tuple(written), tuple(removed), len(rows))


def publish_quietly(agency_id: int, months: Sequence[dt.date]) -> None:
    """``publish_agency`` after a change (on commit): a failure is logged, never lost on the officer's form."""
    try:
        publish_agency(Agency.objects.get(pk=agency_id), months)
    except Exception:
        log.exception("publishing the NTE log of agency %s to the analytics store failed", agency_id)


def publish_all(
    agencies: Iterable[Agency] | None = None, months: Sequence[dt.date] | None = None
) -> list[PublishResult]:
    """Every NTE partner's incidents (``csphub nte publish``): safe to re-run, each agency-month replaced."""
    chosen = list(agencies) if agencies is not None else _logging_agencies()
    return [publish_agency(a, months) for a in chosen]


def _logging_agencies() -> list[Agency]:
    ids: set[int] = set(NtePartner.objects.values_list("agency_id", flat=True))
    ids |= set(Incident.objects.values_list("shift__owning_agency_id", flat=True).distinct())
    return list(Agency.objects.filter(pk__in=ids).order_by("name"))
