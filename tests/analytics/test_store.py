"""The store's months, filters and layout."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from csphub.analytics.api import Analytics
from csphub.analytics.errors import EmptyStoreError, SettingsError
from csphub.analytics.store import Circle, EventFilter, MonthRange

from .conftest import NORTHANTS_MONTHS


def test_it_reads_month_ranges_with_open_ends() -> None:
    assert MonthRange.parse("2025-01:2025-06") == MonthRange(date(2025, 1, 1), date(2025, 6, 1))
    assert MonthRange.parse("2025-03") == MonthRange(date(2025, 3, 1), date(2025, 3, 1))
    assert MonthRange.parse(":2025-06") == MonthRange(None, date(2025, 6, 1))
    assert str(MonthRange.parse("2025-01:")) == "2025-01:"
    for bad in ("2025-13", "2025-1", "25-01:25-02", "2025-06:2025-01"):
        with pytest.raises(SettingsError):
            MonthRange.parse(bad)


def test_it_keeps_one_file_per_force_and_month(empty: Analytics) -> None:
    empty.ingest(NORTHANTS_MONTHS[:2])
    assert [(p.table, p.owner, p.month) for p in empty.store.partitions()] == [
        ("street", "northamptonshire", "2025-01"),
        ("street", "northamptonshire", "2025-02"),
    ]
    assert all(p.path.suffix == ".parquet" for p in empty.store.partitions())


def test_it_filters_by_crime_type_or_series_district_and_months(shipped: Analytics) -> None:
    con = shipped.store.connect()

    def count(events: EventFilter) -> int:
        where, params = events.where()
        return int(con.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchall()[0][0])

    everything = count(EventFilter())
    series = count(EventFilter(crime_types=("Public order and weapons",)))
    assert series == count(EventFilter(crime_types=("Public order", "Possession of weapons"))) > 0
    january = count(EventFilter(months=MonthRange.parse("2025-01")))
    assert january == 5773 < everything
    assert count(EventFilter(districts=("E07000153",))) + count(EventFilter(districts=("E07000150",))) == count(
        EventFilter(districts=("E07000150", "E07000153"))
    )
    assert count(EventFilter(source="partner")) == 0


def test_it_keeps_to_the_events_located_within_a_circle(shipped: Analytics) -> None:
    kettering = EventFilter(districts=("E07000153",))
    con = shipped.store.connect()
    points = con.execute(
        f"SELECT x, y FROM events WHERE {kettering.where()[0]} AND x IS NOT NULL", kettering.where()[1]
    ).fetchall()
    x, y = 486_700.0, 278_600.0  # Kettering town centre, British National Grid metres
    inside = sum(1 for px, py in points if (px - x) ** 2 + (py - y) ** 2 <= 700.0**2)

    assert shipped.counts((), replace(kettering, within=Circle(x, y, 700.0))).total == inside > 0
    assert inside < shipped.counts((), kettering).total
    with pytest.raises(SettingsError):
        Circle(x, y, 0)


def test_it_says_the_store_is_empty_before_anything_is_ingested(empty: Analytics) -> None:
    with pytest.raises(EmptyStoreError, match="csphub crime ingest"):
        empty.repeat_places(EventFilter())
    assert empty.counts(["month"], EventFilter()).rows == []


def test_the_signature_changes_when_a_month_is_added_or_replaced(empty: Analytics) -> None:
    assert empty.store.signature() == ()
    empty.ingest([NORTHANTS_MONTHS[0]])
    first = empty.store.signature()
    empty.ingest([NORTHANTS_MONTHS[0]])  # the same month again: replaced
    second = empty.store.signature()
    empty.ingest([NORTHANTS_MONTHS[1]])
    assert first != second != empty.store.signature()


def test_a_cached_connection_sees_a_month_ingested_after_it(empty: Analytics) -> None:
    from csphub.analytics.config import NORTH_NORTHAMPTONSHIRE_DISTRICTS

    area = EventFilter(districts=NORTH_NORTHAMPTONSHIRE_DISTRICTS)
    empty.ingest([NORTHANTS_MONTHS[0]])
    one = empty.counts(["month"], area)
    empty.ingest([NORTHANTS_MONTHS[1]])
    two = empty.counts(["month"], area)
    assert len(one.keys) == 1 and len(two.keys) == 2
    # The partnership's table answers a district's query as the files do.
    kettering = EventFilter(districts=("E07000153",))
    everywhere = empty.counts(["month", "district"], EventFilter()).as_dict()
    assert empty.counts(["month"], kettering).as_dict() == {
        (month,): n for (month, district), n in everywhere.items() if district == "E07000153"
    }
