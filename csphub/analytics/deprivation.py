"""Deprivation context: crime rates per 1,000 residents by LSOA, beside the LSOA's IMD 2019 decile.

The unit is the LSOA 2021 (the geography of current police.uk files and of the Census 2021 population). IMD
2019 is published for LSOA 2011: each LSOA 2021 takes the IMD of its 2011 LSOA (the same code for most; for
the LSOAs created in 2021, the parent given by the shipped lookup). Events with an LSOA 2011 code (older
police.uk files) count towards the LSOA 2021 with the same code; those in 2011 LSOAs that were split or merged
in 2021 cannot be placed and are reported as unassigned. The area is the LSOAs whose old district is one of
the partnership's.

rate per 1,000 = 1000 x events / residents (for the months analysed); annualised = rate x 12 / months, where
months are those of the force that recorded most of the area's events (another force's few stray rows in the
area do not add months).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import SettingsError


@dataclass(frozen=True)
class Lsoa:
    lsoa21_code: str
    lsoa21_name: str
    lsoa11_code: str
    district: str  # the pre-2021 district (ONS code)
    residents: int  # Census 2021 usual residents
    imd_rank: int | None  # 1 = most deprived in England
    imd_decile: int | None  # 1 = most deprived 10 %


@dataclass(frozen=True)
class LsoaRate:
    lsoa: Lsoa
    events: int
    rate_per_1000: float
    annual_rate_per_1000: float


@dataclass(frozen=True)
class DecileRate:
    decile: int
    lsoas: int
    residents: int
    events: int
    rate_per_1000: float
    annual_rate_per_1000: float


@dataclass(frozen=True)
class DeprivationResult:
    lsoas: tuple[LsoaRate, ...]
    deciles: tuple[DecileRate, ...]
    months: int
    events_in_area: int
    unassigned: int  # events with a 2011 code of the area that no single LSOA 2021 matches


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc}") from exc


def _column(rows: list[dict[str, str]], path: Path, *names: str) -> str:
    header = rows[0].keys() if rows else ()
    for name in names:
        if name in header:
            return name
    raise SettingsError(f"{path} has none of the columns {', '.join(names)}")


def load_lsoas(lookup: Path, population: Path, imd: Path, districts: Iterable[str]) -> tuple[Lsoa, ...]:
    """The LSOAs 2021 of the partnership's districts, with residents and IMD 2019 (from the shipped files)."""
    wanted = set(districts)
    residents = {row["lsoa21_code"]: int(row["usual_residents"]) for row in _read_csv(population)}
    imd_rows = _read_csv(imd)
    code_col = _column(imd_rows, imd, "LSOA code (2011)", "lsoa11_code")
    rank_col = _column(imd_rows, imd, "Index of Multiple Deprivation (IMD) Rank", "imd_rank")
    decile_col = _column(imd_rows, imd, "Index of Multiple Deprivation (IMD) Decile", "imd_decile")
    ranks = {r[code_col]: (int(r[rank_col].replace(",", "")), int(r[decile_col])) for r in imd_rows}
    lsoas = []
    for row in _read_csv(lookup):
        if row["old_lad_code"] not in wanted:
            continue
        code11 = row["lsoa11_code_or_parent"]
        rank, decile = ranks.get(code11, (None, None))
        if row["lsoa21_code"] not in residents:
            raise SettingsError(f"{population} has no residents for LSOA {row['lsoa21_code']}")
        lsoas.append(
            Lsoa(
                lsoa21_code=row["lsoa21_code"],
                lsoa21_name=row["lsoa21_name"],
                lsoa11_code=code11,
                district=row["old_lad_code"],
                residents=residents[row["lsoa21_code"]],
                imd_rank=rank,
                imd_decile=decile,
            )
        )
    if not lsoas:
        raise SettingsError(f"{lookup} has no LSOA in the districts {', '.join(sorted(wanted))}")
    return tuple(sorted(lsoas, key=lambda lsoa: lsoa.lsoa21_code))


def _rate(events: int, residents: int) -> float:
    return 1000.0 * events / residents if residents else float("nan")


def deprivation_rates(lsoas: tuple[Lsoa, ...], events: Mapping[tuple[str, int], int], months: int) -> DeprivationResult:
    """Rates per 1,000 residents per LSOA and per IMD decile; ``events[(lsoa code, vintage)]`` is a count."""
    if months < 1:
        raise SettingsError("the rates need at least one month of data")
    by_2021 = {lsoa.lsoa21_code: lsoa for lsoa in lsoas}
    counts = dict.fromkeys(by_2021, 0)
    area_2011 = {lsoa.lsoa11_code for lsoa in lsoas}
    unassigned = 0
    for (code, vintage), n in events.items():
        if vintage == 2021 and code in by_2021:
            counts[code] += n
        elif vintage == 2011:
            lsoa = by_2021.get(code)
            if lsoa is not None and lsoa.lsoa11_code == code:  # unchanged between 2011 and 2021
                counts[code] += n
            elif code in area_2011:
                unassigned += n
    scale = 12.0 / months
    rows = tuple(
        LsoaRate(lsoa, counts[lsoa.lsoa21_code], r := _rate(counts[lsoa.lsoa21_code], lsoa.residents), r * scale)
        for lsoa in lsoas
    )
    deciles = []
    for decile in sorted({lsoa.imd_decile for lsoa in lsoas if lsoa.imd_decile is not None}):
        members = [row for row in rows if row.lsoa.imd_decile == decile]
        people = sum(row.lsoa.residents for row in members)
        n = sum(row.events for row in members)
        deciles.append(DecileRate(decile, len(members), people, n, r := _rate(n, people), r * scale))
    return DeprivationResult(rows, tuple(deciles), months, sum(counts.values()), unassigned)
