"""A case page's SQL: the case, its owner and its link counts in one query; a bounded number of queries."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from csphub.cases import services
from csphub.cases.models import Case
from csphub.partnership.models import User
from csphub.registers import services as register
from tests.cases.factories import make_case
from tests.factories import World, make_person, verified_client

# The session, the signed-in user (their second factor, agency and roles), the case (with owner, partnership, link
# counts and which of its lists have anything), people, places, a page of the timeline (count, entries, their
# restrictions), parties, districts, the navigation's three memberships (a night-time economy partner, a Pubwatch
# member, a Purple Flag pack's writer), the "Refer to a meeting" link (may the user act on the case, and the meetings
# on offer) and the audit append (savepoint, chain head, insert, update, release). Actions, status changes, transfers
# and the statutory panels' records cost a query only when the case has some.
CASE_PAGE_QUERIES = 22
LISTS = (
    "cases_action",
    "cases_statuschange",
    "cases_casetransfer",
    "cases_casereviewapplication",
    "cases_maracreferral",
    "cases_powerrecord",
    "assessments_completedassessment",
)


def _tables(queries: list[str]) -> set[str]:
    return {t for t in LISTS if any(q.startswith(f'SELECT "{t}".') for q in queries)}


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
    assert _tables(queries) == set()  # a case with no actions, transfers or statutory records asks for none


def test_it_lists_what_a_case_has_at_one_query_a_list(world: World) -> None:
    police = world["police_officer"]
    case = make_case(police)
    services.add_action(
        case,
        police,
        title="Visit the complainant",
        due_on=dt.date(2026, 1, 5),
        assigned_agency=world.agencies["police"],
    )
    services.change_status(case, police, to="under_review", reason="Threshold review requested")
    services.apply_for_case_review(case, police, received_on=timezone.localdate(), applicant_description="Neighbour")
    queries = _queries(police, case)
    assert _tables(queries) == {"cases_action", "cases_statuschange", "cases_casereviewapplication"}
    page = verified_client(police).get(case.get_absolute_url()).content.decode()
    assert "Visit the complainant" in page and "Threshold review requested" in page


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
