"""CSPHUB_MAP_TILES: none (the shipped base map), an OpenStreetMap tile server or the OS Maps API, parsed strictly;
the tile host reaches the Content-Security-Policy's img-src only when tiles are set."""

from __future__ import annotations

import json

import pytest

from csphub.env import ImproperlyConfigured
from csphub.maptiles import OS_MAPS_URL, parse_map_tiles
from tests.environment import run_python

_PRINT = (
    "import json, csphub.settings as s; t = s.CSPHUB_MAP_TILES;"
    "print(json.dumps({'img': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], 'url': t.url if t else None}))"
)


@pytest.mark.parametrize("value", [None, "", "none", "NONE"])
def test_it_has_no_tiles_by_default(value: str | None) -> None:
    assert parse_map_tiles("CSPHUB_MAP_TILES", value) is None


def test_it_reads_an_openstreetmap_server_and_its_host() -> None:
    tiles = parse_map_tiles("CSPHUB_MAP_TILES", "osm:https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png")
    assert tiles is not None and tiles.kind == "osm"
    assert tiles.url == "https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png"
    assert tiles.csp_source == "https://*.tiles.example.org"
    assert "OpenStreetMap" in tiles.attribution


def test_it_reads_an_os_maps_api_key() -> None:
    tiles = parse_map_tiles("CSPHUB_MAP_TILES", "os:AbCdEf0123456789AbCd")
    assert tiles is not None and tiles.url == OS_MAPS_URL + "AbCdEf0123456789AbCd"
    assert tiles.csp_source == "https://api.os.uk" and "Crown copyright" in tiles.attribution


@pytest.mark.parametrize(
    "value",
    [
        "osm",
        "google:https://example.org/{z}/{x}/{y}",
        "osm:http://tile.example.org/{z}/{x}/{y}.png",  # not https
        "osm:https://tile.example.org/{z}/{x}.png",  # no {y}
        "osm:https://tile.example.org/{z}/{x}/{y}/{style}.png",  # an unknown placeholder
        'osm:https://tile.example.org/{z}/{x}/{y}.png?a="onerror',
        "osm:https://localhost/{z}/{x}/{y}.png",  # not a host name with a domain
        "osm:https://tile.example.org/{s}/{z}/{x}/{y}.png",  # {s} outside the host
        "os:short",
        "os:key-with-dashes-0123456789",
    ],
)
def test_it_refuses_a_bad_value(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="CSPHUB_MAP_TILES"):
        parse_map_tiles("CSPHUB_MAP_TILES", value)


def test_the_settings_add_the_tile_host_to_img_src_only_when_set() -> None:
    plain = run_python({}, "-c", _PRINT, timeout=60)
    assert plain.returncode == 0, plain.stderr
    assert json.loads(plain.stdout) == {"img": ["'self'", "data:"], "url": None}
    tiles = run_python({"CSPHUB_MAP_TILES": "osm:https://tile.example.org/{z}/{x}/{y}.png"}, "-c", _PRINT, timeout=60)
    assert json.loads(tiles.stdout)["img"] == ["'self'", "data:", "https://tile.example.org"]
    bad = run_python({"CSPHUB_MAP_TILES": "osm:ftp://x"}, "-c", _PRINT, timeout=60)
    assert bad.returncode != 0 and "CSPHUB_MAP_TILES" in bad.stderr
