"""The map page and its GeoJSON: layers computed by the analytics engine, the controls, the exports."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import numpy as np
import pytest
from django.test import Client

from csphub.analytics.hotspots import HotspotSettings
from csphub.analytics.store import EventFilter, MonthRange, parse_month
from csphub.insights import maps
from csphub.maptiles import parse_map_tiles
from tests.factories import World, verified_client
from tests.insights.map_store import POLICE, fill_store

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("map_store")]


def _json(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


def test_it_draws_the_engines_gi_star_grid(world: World) -> None:
    client = verified_client(world["police_analyst"])
    layer = _json(client, "/insights/map/hotspots.geojson?first=2025-01&last=2025-03&cell=250&band=750")
    # The same numbers as the engine's own call: nothing is recomputed on the way.
    result = maps.analytics().hotspots(
        HotspotSettings(250, 750), EventFilter(months=MonthRange(parse_month("2025-01"), parse_month("2025-03")))
    )
    assert layer["events"] == result.n_events > 0
    assert layer["significant_cells"] == int(result.significant.sum()) > 0
    features = [f for f in layer["features"] if f["properties"]["layer"] == "hotspot_cell"]
    outlines = [f for f in layer["features"] if f["properties"]["layer"] == "crossing_hotspot"]
    assert len(outlines) == sum(h.cross_boundary for h in result.hotspots) > 0
    assert all(len(f["properties"]["districts"].split()) >= 2 for f in outlines)
    assert len(features) == int((result.grid.mask & ((result.counts > 0) | result.significant)).sum())
    assert sum(f["properties"]["count"] for f in features) == result.n_events
    hottest = max(features, key=lambda f: f["properties"]["gi_z"] or 0)["properties"]
    assert hottest["fdr_significant"] and hottest["class"] == "hot-3"
    assert hottest["gi_z"] == pytest.approx(float(np.nanmax(result.z)), abs=1e-3)
    ring = features[0]["geometry"]["coordinates"][0]
    assert len(ring) == 5 and -1.2 < ring[0][0] < -0.3 and 52.1 < ring[0][1] < 52.7  # WGS84, in the county
    assert "Open Government Licence" in layer["attribution"]


def test_it_changes_with_the_month_range(world: World) -> None:
    client = verified_client(world["police_analyst"])
    one = _json(client, "/insights/map/hotspots.geojson?first=2025-01&last=2025-01")
    six = _json(client, "/insights/map/hotspots.geojson?first=2025-01&last=2025-06")
    assert 0 < one["events"] < six["events"]


def test_it_filters_by_crime_type_or_series(world: World) -> None:
    client = verified_client(world["police_analyst"])
    burglary = _json(client, "/insights/map/hotspots.geojson?crime_type=Burglary")
    everything = _json(client, "/insights/map/hotspots.geojson")
    assert 0 < burglary["events"] < everything["events"]
    assert burglary["query"].startswith("Burglary")


def test_it_refuses_a_band_smaller_than_the_cell_and_reversed_months(world: World) -> None:
    client = verified_client(world["police_analyst"])
    response = client.get("/insights/map/hotspots.geojson?cell=1000&band=500")
    assert response.status_code == 400
    assert "band" in json.loads(response.content)["errors"]
    response = client.get("/insights/map/hotspots.geojson?first=2025-05&last=2025-01")
    assert response.status_code == 400
    page = client.get("/insights/map/?first=2025-05&last=2025-01")
    assert page.status_code == 200
    assert b"govuk-error-summary" in page.content


def test_it_says_why_a_layer_is_empty(world: World) -> None:
    client = verified_client(world["police_analyst"])
    partner = _json(client, "/insights/map/hotspots.geojson?source=partner&crime_type=Burglary")
    assert partner["features"] == [] and "no events match" in partner["message"]
    emerging = _json(client, "/insights/map/emerging.geojson?first=2025-01&last=2025-02")
    assert emerging["features"] == [] and "at least 3 months" in emerging["message"]


def test_it_gives_the_other_layers(world: World) -> None:
    client = verified_client(world["police_analyst"])
    emerging = _json(client, "/insights/map/emerging.geojson")
    assert emerging["months"] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert emerging["features"] and all(f["properties"]["category"] != "no pattern" for f in emerging["features"])
    kde = _json(client, "/insights/map/density.geojson")
    levels = {f["properties"]["level"] for f in kde["features"]}
    assert levels == {1, 2, 3, 4, 5} and kde["peak_per_km2"] > 0
    repeat = _json(client, "/insights/map/repeat-places.geojson")
    counts = [f["properties"]["count"] for f in repeat["features"]]
    assert len(counts) == maps.REPEAT_TOP and counts == sorted(counts, reverse=True)
    assert all(f["properties"]["district"] in maps.analytics().config.csp_districts for f in repeat["features"])


def test_a_clicked_cell_gives_its_figures_trend_and_district_line(world: World) -> None:
    client = verified_client(world["police_analyst"])
    layer = _json(client, "/insights/map/hotspots.geojson")
    crossing = next(f["properties"] for f in layer["features"] if f["properties"].get("crosses_district_line"))
    detail = _json(client, f"/insights/map/cell.json?x={crossing['x']}&y={crossing['y']}")
    assert detail["found"] and detail["crosses_district_line"] and len(detail["districts"]) >= 2
    assert detail["count"] == crossing["count"] and detail["gi_z"] == crossing["gi_z"]
    assert detail["trend"]["months"][0] == "2025-01" and len(detail["trend"]["monthly_z"]) == 6
    assert detail["trend"]["category"]
    outside = _json(client, "/insights/map/cell.json?x=400000&y=200000")
    assert not outside["found"]
    assert client.get("/insights/map/cell.json").status_code == 400


def test_the_page_lists_the_significant_cells_without_javascript(world: World) -> None:
    client = verified_client(world["council_officer"])
    response = client.get("/insights/map/?first=2025-01&last=2025-06&crime_type=Violence+and+sexual+offences")
    assert response.status_code == 200
    html = response.content.decode()
    table = maps.significant_table(
        maps.MapQuery(parse_month("2025-01"), parse_month("2025-06"), "Violence and sexual offences")
    )
    assert table and html.count('<tr class="govuk-table__row">') == len(table) + 1  # the header row too
    assert 'role="region" aria-label="Crime map of the partnership' in html
    assert "format=png" in html and "format=csv" in html
    assert 'value="Violence and sexual offences" selected' in html


def test_it_exports_the_selection(world: World) -> None:
    client = verified_client(world["police_analyst"])
    base = "/insights/map/export/?first=2025-02&last=2025-04&crime_type=Burglary"
    layer = _json(client, base.replace("/export/", "/hotspots.geojson"))
    response = client.get(base + "&format=csv")
    assert response["Content-Disposition"].startswith('attachment; filename="hotspots-burglary-2025-02-2025-04')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    cells = [f for f in layer["features"] if f["properties"]["layer"] == "hotspot_cell"]
    assert len(rows) == len(cells) and sum(int(r["count"]) for r in rows) == layer["events"]
    geojson = json.loads(client.get(base + "&format=geojson").content)
    layers = {f["properties"]["layer"] for f in geojson["features"]}
    assert layers == {"hotspot_cell", "district_boundary"}
    png = client.get(base + "&format=png")
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(base + "&format=pdf").status_code == 400


def test_it_remembers_a_selection_until_the_store_changes(world: World, tmp_path: Any, settings: Any) -> None:
    settings.DATA_DIR = tmp_path / "store"
    client = verified_client(world["police_analyst"])
    empty = _json(client, "/insights/map/hotspots.geojson")
    assert empty["features"] == []
    fill_store(settings.DATA_DIR)
    assert POLICE.is_dir()
    filled = _json(client, "/insights/map/hotspots.geojson")
    assert filled["events"] > 0  # the store's version changed: not the remembered empty layer


def test_it_names_a_tile_server_only_when_one_is_set(world: World, settings: Any) -> None:
    client = verified_client(world["police_analyst"])
    assert b"data-tiles=" not in client.get("/insights/map/").content
    settings.CSPHUB_MAP_TILES = parse_map_tiles("CSPHUB_MAP_TILES", "osm:https://tile.example.org/{z}/{x}/{y}.png")
    html = client.get("/insights/map/").content.decode()
    assert 'data-tiles="https://tile.example.org/{z}/{x}/{y}.png"' in html
    assert "OpenStreetMap" in html


def test_partner_data_shows_no_counts_no_quiet_cells_and_no_places(world: World) -> None:
    client = verified_client(world["police_analyst"])
    police = _json(client, "/insights/map/hotspots.geojson?first=2025-03&last=2025-04")
    both = _json(client, "/insights/map/hotspots.geojson?first=2025-03&last=2025-04&source=all")
    assert both["events"] == police["events"] + 8  # the partner incidents are counted in the analysis…
    cells = [f["properties"] for f in both["features"] if f["properties"]["layer"] == "hotspot_cell"]
    assert cells and all(c["count"] is None and c["fdr_significant"] for c in cells)  # …never shown per cell
    assert "could identify" in both["note"]
    detail = _json(
        client, f"/insights/map/cell.json?x={cells[0]['x']}&y={cells[0]['y']}&source=all&first=2025-03&last=2025-04"
    )
    assert detail["count"] is None and detail["gi_z"] == cells[0]["gi_z"]
    places = _json(client, "/insights/map/repeat-places.geojson?source=partner")
    assert places["features"] == [] and "could identify" in places["message"]
    rows = list(csv.DictReader(io.StringIO(client.get("/insights/map/export/?format=csv&source=all").content.decode())))
    assert rows and all(r["count"] == "" for r in rows)
    page = client.get("/insights/map/?source=partner").content.decode()
    assert "NN16 8BA" not in page and "NN16 0AP" not in page
