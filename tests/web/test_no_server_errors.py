"""No input gives a server error: huge page numbers, bad hosts, junk query parameters and bad UUIDs on every URL."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.cases.factories import make_case
from tests.factories import World, make_person, verified_client

JUNK_QUERY = {
    "page": "99999999999999999999",
    "timeline_page": "-99999999999999999999",
    "year": "99999999999999999999",
    "sort": "'; DROP TABLE cases --",
    "q": "\x00%%' OR 1=1",
    "record": "not-a-uuid",
    "start": "0001-01-01",
    "end": "9999-12-31",
    "scope": "everything",
    "overdue": "\u202e",
    "next": "//evil.example/",
    "case_type": "nonsense",
    "district": "E0000000",
    "name": "x" * 500,
    "date_of_birth_2": "99999999999999999999",
    "postcode": "ZZ99 9ZZ",
}


def test_finding_9_a_huge_page_number_on_the_case_list_is_not_a_server_error(world: World) -> None:
    make_case(world["police_officer"])
    response = verified_client(world["police_officer"]).get("/cases/?page=99999999999999999999")
    assert response.status_code == 200


def test_finding_9_a_bad_host_header_gets_400(world: World, settings: Any) -> None:
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    signed_in = verified_client(world["police_officer"])
    signed_in.raise_request_exception = False
    assert signed_in.get("/cases/", HTTP_HOST="evil.example").status_code == 400


def _patterns(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            found += _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            found.append((prefix + str(pattern.pattern), pattern))
    return found


def _fill(route: str, values: dict[str, str]) -> str:
    for converter in ("uuid", "str", "slug", "int", "path"):
        for name, value in values.items():
            route = route.replace(f"<{converter}:{name}>", value)
    return route


@pytest.mark.parametrize("username", ["police_officer", "council_admin", "pastor"])
def test_it_gives_no_server_error_on_any_url_with_junk_input(world: World, username: str) -> None:
    officer = world["police_officer"]
    case = make_case(officer, parties=(world.agencies["fire"],))
    person = make_person(officer)
    fills = [
        {"uuid": str(uuid.uuid4()), "reference": "NO-SUCH-REF", "key": "no-such-key"},
        {"uuid": str(person.uuid), "reference": case.reference, "key": "dash"},
        {"uuid": "00000000-0000-0000-0000-000000000000", "reference": "%00'\"<>", "key": "x" * 300},
    ]
    client = verified_client(world[username])
    client.raise_request_exception = False
    failures = []
    for route, _pattern in _patterns(get_resolver().url_patterns):
        if route.startswith("^") or "(?P" in route or route == "accounts/sign-out/":
            continue  # (signing out would end the session the walk needs)
        for values in fills:
            url = "/" + _fill(route, values)
            for method in ("get", "post"):
                response = getattr(client, method)(url, JUNK_QUERY)
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {url}: {response.status_code}")
    assert not failures, failures
    assert client.get("/partnership/").status_code == 200, "still signed in at the end of the walk"


def test_it_answers_400_to_a_nul_character_in_the_path_query_or_form(world: World) -> None:
    client = verified_client(world["police_officer"])
    client.raise_request_exception = False
    assert client.get("/cases/%00/").status_code == 400
    assert client.get("/cases/", {"q": "a\x00b"}).status_code == 400
    assert client.post("/access/request/", {"record": "\x00", "justification": "x"}).status_code == 400
    assert client.get("/cases/").status_code == 200
