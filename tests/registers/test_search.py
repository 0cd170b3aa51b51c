"""Search across the four districts: fuzzy names, partial dates of birth, postcodes, addresses — visible only."""

from __future__ import annotations

import re

import pytest

from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.audit.models import AuditEntry, Operation
from csphub.common.dates import PartialDate
from csphub.partnership.models import User
from csphub.registers import services
from csphub.registers.models import Person
from csphub.registers.search import PersonQuery, SearchError, search_people
from tests.factories import World, make_person, verified_client

WHY = "Child at risk reported out of hours; council duty team unreachable"


def _names(user: User, query: PersonQuery) -> list[str]:
    return [m.person.full_name for m in search_people(user, query)]


@pytest.fixture
def people(world: World) -> dict[str, Person]:
    officer = world["police_officer"]
    found = {
        "john": make_person(officer, given_name="John", family_name="Smith", dob_year=1990, dob_month=4, dob_day=3),
        "jane": make_person(officer, given_name="Jane", family_name="Smith", dob_year=1985),
        "jon_jones": make_person(officer, given_name="Jon", family_name="Jones", dob_year=1990, dob_month=4, dob_day=3),
        "mary": make_person(officer, given_name="Mary", family_name="O'Brien"),
    }
    services.add_alias(found["mary"], officer, given_name="Mary", family_name="Kowalski", kind="previous")
    return found


def test_it_finds_john_smith_when_searching_jon_smyth(world: World, people: dict[str, Person]) -> None:
    assert _names(world["police_officer"], PersonQuery(name="Jon Smyth"))[0] == "John Smith"


def test_it_finds_names_written_surname_first_or_swapped(world: World, people: dict[str, Person]) -> None:
    assert _names(world["police_officer"], PersonQuery(name="SMITH, John"))[0] == "John Smith"
    assert _names(world["police_officer"], PersonQuery(name="Smith John"))[0] == "John Smith"


def test_it_finds_people_by_an_alias(world: World, people: dict[str, Person]) -> None:
    results = search_people(world["police_officer"], PersonQuery(name="Mary Kowalski"))
    assert [m.person for m in results] == [people["mary"]]
    assert "alias" in results[0].reasons[0]


def test_it_matches_partial_dates_of_birth(world: World, people: dict[str, Person]) -> None:
    officer = world["police_officer"]
    assert set(_names(officer, PersonQuery(date_of_birth=PartialDate(1990)))) == {"John Smith", "Jon Jones"}
    assert set(_names(officer, PersonQuery(date_of_birth=PartialDate(1990, 4)))) == {
        "John Smith",
        "Jon Jones",
    }
    assert _names(officer, PersonQuery(date_of_birth=PartialDate(1990, 5))) == []
    # A person recorded with only a year matches a full date in that year.
    assert _names(officer, PersonQuery(name="Smith", date_of_birth=PartialDate(1985, 6, 1))) == ["Jane Smith"]


def test_it_combines_name_and_date_of_birth(world: World, people: dict[str, Person]) -> None:
    results = _names(world["police_officer"], PersonQuery(name="Jon Smith", date_of_birth=PartialDate(1990, 4, 3)))
    assert results == ["John Smith"]


def test_it_finds_people_by_postcode_and_address(world: World, people: dict[str, Person]) -> None:
    officer = world["police_officer"]
    home = services.record_place(officer, address="14 Rockingham Road, Kettering", postcode="nn16 8ja")
    services.link_place(people["jane"], home, officer, relation="lives_at")
    assert _names(officer, PersonQuery(postcode="NN16 8JA")) == ["Jane Smith"]
    assert _names(officer, PersonQuery(postcode="nn16")) == ["Jane Smith"]
    assert _names(officer, PersonQuery(postcode="NN17")) == []
    assert _names(officer, PersonQuery(address="rockingham rd")) == []
    assert _names(officer, PersonQuery(address="Rockingham Road")) == ["Jane Smith"]


def test_it_finds_people_by_a_partner_reference(world: World, people: dict[str, Person]) -> None:
    officer = world["police_officer"]
    services.add_identifier(people["john"], officer, scheme="nhs", value="9434765919")
    assert _names(officer, PersonQuery(identifier="943 476 5919")) == ["John Smith"]


def test_it_never_returns_a_person_the_user_may_not_see(world: World, people: dict[str, Person]) -> None:
    council_smith = make_person(world["council_officer"], given_name="John", family_name="Smith")
    da_smith = make_person(
        world["police_officer"],
        given_name="John",
        family_name="Smyth",
        sensitivity=Sensitivity.DOMESTIC_ABUSE,
        caveat=Caveat.OFFICIAL_SENSITIVE,
    )
    analyst_results = search_people(world["police_analyst"], PersonQuery(name="John Smith"))
    assert council_smith not in [m.person for m in analyst_results]
    assert da_smith not in [m.person for m in analyst_results]
    assert people["john"] in [m.person for m in analyst_results]
    council_results = search_people(world["council_officer"], PersonQuery(name="John Smith"))
    assert [m.person for m in council_results] == [council_smith]
    assert search_people(world["pastor"], PersonQuery(name="John Smith")) == []


def test_it_logs_each_person_shown_as_a_consultation(world: World, people: dict[str, Person]) -> None:
    search_people(world["police_officer"], PersonQuery(name="Smith"))
    logged = AuditEntry.objects.filter(action=Operation.CONSULTATION, summary="Shown person in search results")
    assert {e.record_id for e in logged} == {str(people["john"].uuid), str(people["jane"].uuid)}
    assert all(e.detail["search"] == {"name": "Smith"} for e in logged)


def test_it_rejects_an_empty_or_unusable_query(world: World) -> None:
    with pytest.raises(SearchError):
        search_people(world["police_officer"], PersonQuery())
    with pytest.raises(SearchError, match="not a postcode"):
        search_people(world["police_officer"], PersonQuery(postcode="Kettering"))


def test_the_search_page_shows_results_and_errors(world: World, people: dict[str, Person]) -> None:
    from tests.factories import verified_client

    client = verified_client(world["police_officer"])
    page = client.get("/register/people/", {"name": "Jon Smyth"})
    assert page.status_code == 200 and "SMITH, John" in page.content.decode()
    empty = client.get("/register/people/", {"name": ""})
    assert "There is a problem" in empty.content.decode()
    partial = client.get("/register/people/", {"date_of_birth_0": "", "date_of_birth_1": "4", "date_of_birth_2": ""})
    assert "Date of birth must include a year" in partial.content.decode()


def test_it_keeps_the_closest_names_when_more_match_than_it_fetches(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A family-only search for a common name: the loose filter ("wil…") matches more people than are fetched,
    # and the alphabetically first of them (Wilkins, Wilkinson) are not the people searched for.
    officer = world["police_officer"]
    for i, family in enumerate(["Wilkins", "Wilkinson", "Wilby", "Wilcox", "Wilde"] * 2):
        make_person(officer, given_name=f"Person{i}", family_name=family)
    williams = make_person(officer, given_name="Ann", family_name="Williams")
    williamson = make_person(officer, given_name="Bob", family_name="Williamson")
    monkeypatch.setattr("csphub.registers.search.CANDIDATE_LIMIT", 3)
    found = [m.person for m in search_people(officer, PersonQuery(name="Williams"))]
    assert found[:2] == [williams, williamson]
    assert search_people(officer, PersonQuery(name="Ann Williams"))[0].person == williams


def test_finding_6_a_search_tells_of_general_records_you_may_not_see_and_who_holds_them(world: World) -> None:
    hidden = make_person(world["police_officer"], family_name="Glasshidden", given_name="Gail")
    client = verified_client(world["council_officer"])
    page = client.get("/register/people/?name=Gail+Glasshidden").content.decode()
    assert "1 record you may not see" in page and "Northamptonshire Police" in page
    assert str(hidden.uuid) not in page and hidden.uuid.hex[:8] not in page.lower()
    link = re.search(r'href="(/access/request/\?lead=[^"]+)"', page)
    assert link is not None
    form = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "Northamptonshire Police" in form and str(hidden.uuid) not in form
    lead = link.group(1).split("lead=", 1)[1]
    response = client.post("/access/request/", {"lead": lead, "justification": WHY})
    assert response.status_code == 302 and response["Location"] == hidden.get_absolute_url()
    assert client.get(hidden.get_absolute_url()).status_code == 200


def test_finding_6_a_search_says_nothing_of_domestic_abuse_or_intelligence_records(world: World) -> None:
    police = world["police_officer"]
    make_person(police, family_name="Glassvictim", given_name="Vera", sensitivity=Sensitivity.DOMESTIC_ABUSE)
    make_person(police, family_name="Glassintel", given_name="Ivan", sensitivity=Sensitivity.INTELLIGENCE)
    client = verified_client(world["council_officer"])
    for name in ("Vera+Glassvictim", "Ivan+Glassintel"):
        page = client.get(f"/register/people/?name={name}").content.decode()
        assert "may not see" not in page and "Northamptonshire Police" not in page and "lead=" not in page


def test_finding_6_a_search_lead_works_only_in_the_session_that_found_it(world: World) -> None:
    hidden = make_person(world["police_officer"], family_name="Glasslead", given_name="Len")
    page = verified_client(world["council_officer"]).get("/register/people/?name=Len+Glasslead").content.decode()
    found = re.search(r"lead=([^\"&]+)", page)
    assert found is not None
    other = verified_client(world["corby_officer"])
    response = other.post("/access/request/", {"lead": found.group(1), "justification": WHY})
    assert response.status_code == 200 and "search again" in response.content.decode()
    assert not Person.objects.visible_to(world["corby_officer"]).filter(pk=hidden.pk).exists()
