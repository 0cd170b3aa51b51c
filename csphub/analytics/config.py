"""Where the analytics package finds its store and its reference data, read from the environment.

- ``CSPHUB_DATA_DIR``: the store (Parquet files read by DuckDB), default ``$CSPHUB_VAR_DIR/data``, where
  ``CSPHUB_VAR_DIR`` defaults to ``<checkout>/var`` when csphub runs from its source checkout and to ``./var`` (under
  the current directory) when it is installed from a wheel;
- ``CSPHUB_REFERENCE_DATA_DIR``: the small open data the analytics read (district boundaries, postcodes, IMD,
  population), default the copies shipped inside the package (``csphub/analytics/reference/``, the same files as
  the checkout's ``data/``), so an installed wheel needs no checkout;
- ``CSPHUB_CSP_DISTRICTS``: the ONS codes of the districts that make the partnership's area (comma separated),
  default the four pre-2021 districts of North Northamptonshire.

The same variable names as the Django settings, read through the same typed helpers, without importing Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from csphub.env import Env

from .errors import SettingsError

# The source checkout holding this package, or None when it is installed (from a wheel, in site-packages).
_ABOVE = Path(__file__).resolve().parents[2]
CHECKOUT_DIR: Path | None = _ABOVE if (_ABOVE / "pyproject.toml").is_file() else None
# The reference files shipped as package data (a wheel installs unzipped, so this is a real directory).
PACKAGED_REFERENCE_DIR = Path(str(resources.files("csphub.analytics.reference")))

# Corby, East Northamptonshire, Kettering, Wellingborough: North Northamptonshire (E06000061) since
# 2021-04-01.
NORTH_NORTHAMPTONSHIRE_DISTRICTS: tuple[str, ...] = ("E07000150", "E07000152", "E07000153", "E07000156")


@dataclass(frozen=True)
class AnalyticsConfig:
    data_dir: Path
    reference_dir: Path
    csp_districts: tuple[str, ...] = NORTH_NORTHAMPTONSHIRE_DISTRICTS
    # District polygons (GeoJSON, WGS84) and the property names of their code and name.
    district_boundaries_file: str = "boundaries/lad2013_northamptonshire.geojson"
    district_code_field: str = "LAD13CD"
    district_name_field: str = "LAD13NM"
    postcodes_file: str = "postcodes/northamptonshire_postcodes_with_latlon_DERIVED.csv"
    imd_file: str = "imd2019/IMD2019_File1_northamptonshire_lsoa.csv"
    population_file: str = "population/census2021_usual_residents_total_lsoa21_northamptonshire.csv"
    lsoa_lookup_file: str = "boundaries/lsoa21_to_lsoa11_and_old_district_northamptonshire_DERIVED.csv"

    def __post_init__(self) -> None:
        if not self.csp_districts:
            raise SettingsError("the partnership needs at least one district code (CSPHUB_CSP_DISTRICTS)")

    @classmethod
    def from_env(cls, env: Env | None = None) -> AnalyticsConfig:
        env = env or Env()
        default_var = CHECKOUT_DIR / "var" if CHECKOUT_DIR is not None else Path.cwd() / "var"
        var_dir = env.path("CSPHUB_VAR_DIR", default_var)
        return cls(
            data_dir=env.path("CSPHUB_DATA_DIR", var_dir / "data"),
            reference_dir=env.path("CSPHUB_REFERENCE_DATA_DIR", PACKAGED_REFERENCE_DIR),
            csp_districts=tuple(env.list("CSPHUB_CSP_DISTRICTS", list(NORTH_NORTHAMPTONSHIRE_DISTRICTS))),
        )

    def reference(self, relative: str) -> Path:
        return self.reference_dir / relative

    @property
    def district_boundaries(self) -> Path:
        return self.reference(self.district_boundaries_file)
