"""A case page's SQL: the case, its owner and its link counts in one query; a bounded number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from csphub.cases import services
from csphub.cases.models import Case
from csphub.partnership.models import User
from csphub.registers import services as register
from tests.cases.factories import make_case
from tests.factories import World, make_person, verified_client

# The signed-in user and their roles and agency, the case (with owner, partnership and link counts), people,
# places, a page of the timeline (count, entries, their restrictions), actions, status changes, transfers,
# parties, districts, the statutory panels' records (complaints, case review applications, MARAC referrals, powers,
# assessments) and the audit append (savepoint, chain head, insert, update, release).
CASE_PAGE_QUERIES = 26


def _queries(user: User, case: Case) -> list[str]:
    client = verified_client(user)
    assert client.get(case.get_absolute_url()).status_code == 200  # the session's first touch is saved here
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200 and case.reference in response.content.decode()
    return [q["sql"] for q in ctx.captured_queries]


def test_it_answers_a_case_page_within_the_query_bound(world: World) -> None:
    police = world["police_officer"]
    case = make_case(police, parties=(world.agencies["council"],))
    services.add_person(case, make_person(police, given_name="Ann", family_name="Lee"), police, role="victim")
    services.record_entry(case, police, kind="note", title="First visit")
    queries = _queries(police, case)
    assert len(queries) <= CASE_PAGE_QUERIES, "\n".join(q[:160] for q in queries)
    # The owner's agency, partnership, district team and officer come with the case, not one query each.
    assert not [q for q in queries if q.startswith('SELECT "partnership_partnership"')]
    assert not [q for q in queries if 'SELECT COUNT(*) AS "__count" FROM "cases_caseperson"' in q]


def test_its_queries_do_not_grow_with_the_case(world: World) -> None:
    police = world["police_officer"]
    small = make_case(police, title="Small case")
    big = make_case(police, title="Big case")
    for case, size in ((small, 1), (big, 5)):
        for n in range(size):
            person = make_person(police, given_name=f"P{n}", family_name=case.title.split()[0])
            services.add_person(case, person, police, role="victim")
            place = register.record_place(police, address=f"{n} {case.title.split()[0]} Street, Kettering")
            services.add_place(case, place, police, role="incident_location")
        for n in range(size * size * 2):
            services.record_entry(case, police, kind="note", title=f"Note {n}")
    assert len(_queries(police, big)) == len(_queries(police, small))


def test_it_still_counts_the_people_the_user_may_not_see(world: World) -> None:
    police, council = world["police_officer"], world["council_officer"]
    case = make_case(police, parties=(world.agencies["council"],))
    services.add_person(case, make_person(police, given_name="Hidden", family_name="Person"), police, role="victim")
    page = verified_client(council).get(case.get_absolute_url()).content.decode()
    assert "Hidden" not in page and "1 more person is recorded in this case" in page
