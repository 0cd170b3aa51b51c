"""Reading the audit log through the access policy (``csphub.access.auditlog``)."""

from __future__ import annotations

import io

from csphub.access.auditlog import AuditReader, export_csv, recent_entries
from csphub.access.services import note_unmatched_request
from csphub.audit.exports import ExportScope
from csphub.audit.models import AuditEntry
from csphub.cases import services as cases
from csphub.demo.structure import ensure_user
from csphub.partnership.models import Role, User
from tests.cases.factories import make_case
from tests.factories import PASSWORD, World, make_person


def _ig_lead(world: World) -> User:
    return ensure_user(
        "council_ig",
        world.agencies["council"],
        (Role.INFORMATION_GOVERNANCE,),
        first_name="Ida",
        last_name="Governance",
        job_title="Information governance lead",
        password=PASSWORD,
    )


def _visible(user: User) -> list[AuditEntry]:
    return AuditReader(user).visible(list(AuditEntry.objects.all()))


def test_it_hides_a_row_whose_related_record_the_reader_may_not_see(world: World) -> None:
    case = make_case(world["police_officer"], parties=(world.agencies["council"],))
    hidden = make_person(world["police_officer"], family_name="Policeonly")
    cases.add_person(case, hidden, world["police_officer"], role="witness")
    link_rows = AuditEntry.objects.filter(record_id=str(case.uuid), related_id=str(hidden.uuid))
    assert link_rows.exists()
    shown = _visible(world["council_manager"])
    assert not set(link_rows) & set(shown)
    assert any(e.record_id == str(case.uuid) and not e.related_id for e in shown)  # the case itself: yes
    assert set(link_rows) <= set(_visible(world["police_manager"]))


def test_it_hides_the_rows_of_a_restricted_entry_from_agencies_outside_it(world: World) -> None:
    case = make_case(world["police_officer"], parties=(world.agencies["council"],))
    entry = cases.record_entry(
        case, world["police_officer"], kind="note", title="Informant says", restricted_to=[world.agencies["police"]]
    )
    rows = [e for e in AuditEntry.objects.all() if (e.detail or {}).get("object_id") == str(entry.uuid)]
    assert rows
    assert not set(rows) & set(_visible(world["council_manager"]))
    assert set(rows) <= set(_visible(world["police_manager"]))


def test_it_shows_configuration_rows_to_every_reader_and_other_rows_to_the_auditor_only(world: World) -> None:
    note_unmatched_request("NOT-A-RECORD", "Looking for the man from the bus station")
    unknown = AuditEntry.objects.get(record_id="NOT-A-RECORD")
    agency_rows = AuditEntry.objects.filter(record_type="partnership.agency")
    for reader in (world["council_admin"], world["council_manager"]):
        shown = _visible(reader)
        assert set(agency_rows) <= set(shown) and unknown not in shown
    assert unknown in _visible(_ig_lead(world))


def test_recent_entries_counts_what_it_does_not_show(world: World) -> None:
    make_person(world["police_officer"])
    shown, withheld = recent_entries(world["council_admin"], limit=5)
    assert len(shown) == 5 and withheld >= 1
    assert all(e.record_type != "registers.person" for e in shown)


def test_an_export_counts_the_rows_it_withholds_in_its_disclosure(world: World) -> None:
    person = make_person(world["police_officer"])
    written, withheld = export_csv(
        world["council_manager"], ExportScope((str(person.uuid),)), io.StringIO(), recipient="ICO", reason="ICO 1"
    )
    assert written == 0 and withheld >= 1
    disclosure = AuditEntry.objects.latest("seq")
    assert disclosure.detail["withheld"] == withheld
