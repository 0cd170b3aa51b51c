"""Merge keeps every record with its provenance; unmerge restores the database exactly as it was."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from csphub.audit.models import AuditEntry, Operation
from csphub.cases import services as cases
from csphub.linkage.merging import merge, unmerge
from csphub.linkage.models import ImportBatch, SourceRecord
from csphub.registers import services as register
from csphub.registers.models import Person
from tests.cases.factories import make_case
from tests.factories import World, make_person


def _source_record(person: Person, source: str, record_id: str, **fields: Any) -> SourceRecord:
    batch, _ = ImportBatch.objects.get_or_create(
        source=source,
        file_sha256="0" * 64,
        defaults={"file_name": f"{source}.csv", "owning_agency": person.owning_agency},
    )
    return SourceRecord.objects.create(
        batch=batch, source=source, record_id=record_id, line=2, row_key=record_id, person=person, **fields
    )


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table a merge may touch (audit and merge bookkeeping excepted)."""
    from django.apps import apps

    skip = {"audit.auditentry", "audit.chainhead", "linkage.mergeevent", "sessions.session"}
    state: dict[str, list[tuple[Any, ...]]] = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in skip or not model._meta.managed:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        state[label] = [tuple(row) for row in model._base_manager.order_by("pk").values_list(*fields)]
    return state


@pytest.fixture
def pair(world: World) -> tuple[Person, Person]:
    police, council = world["police_officer"], world["council_officer"]
    a = make_person(police, given_name="John", family_name="Smith", dob_year=1990, dob_month=4, dob_day=3, sex="male")
    b = make_person(
        council,
        given_name="Jon",
        family_name="Smith",
        dob_year=1990,
        sex="male",
        parties=(world.agencies["fire"], world.agencies["police"]),
    )
    register.add_alias(b, council, given_name="Johnny", family_name="Smith", kind="nickname")
    register.add_identifier(a, police, scheme="police_niche", value="NN123456")
    register.add_identifier(b, council, scheme="council", value="KBC-ASB-1")
    register.link_place(
        b, register.record_place(council, address="3 Elm Close, Kettering"), council, relation="lives_at"
    )
    register.link_phone(b, council, number="07700 900123")
    register.add_flag(b, council, flag="mental_health")
    case = make_case(council)
    cases.add_person(case, b, council, role="perpetrator")
    _source_record(a, "corby", "C-1", given_name="John", family_name="Smith", dob_year=1990, dob_month=4, dob_day=3)
    _source_record(b, "kettering", "K-9", given_name="Jon", family_name="Smith", dob_year=1990)
    return a, b


def test_a_merge_keeps_every_record_with_its_provenance(world: World, pair: tuple[Person, Person]) -> None:
    a, b = pair
    event = merge(a, b, by=world["police_manager"], reason="Same person: NHS and police records agree")
    a.refresh_from_db()
    assert set(a.source_records.values_list("source", "record_id")) == {("corby", "C-1"), ("kettering", "K-9")}
    assert set(a.identifiers.values_list("value", "source_agency__short_name")) == {
        ("NN123456", "police"),
        ("KBC-ASB-1", "council"),
    }
    # The absorbed person's other name moves; their own name ("Jon") is kept as another name (survivorship).
    assert {str(x) for x in a.aliases.all()} == {"Johnny Smith", "Jon Smith"}
    assert a.place_links.count() == 1 and a.phone_links.count() == 1
    assert a.flags.count() == 1 and a.case_links.count() == 1
    # The most complete date of birth is shown; the council and fire service now see the merged person.
    assert (a.dob_year, a.dob_month, a.dob_day) == (1990, 4, 3)
    assert set(a.parties.values_list("short_name", flat=True)) == {"council", "fire"}
    assert not Person.objects.filter(pk=b.pk).exists() and Person.all_objects.get(pk=b.pk).merged_into == a
    entries = AuditEntry.objects.filter(action=Operation.COMBINATION, detail__merge=str(event.uuid))
    assert {e.record_id for e in entries} == {str(a.uuid), str(b.uuid)}


def test_a_merge_then_an_unmerge_leaves_the_database_as_it_was(world: World, pair: tuple[Person, Person]) -> None:
    a, b = pair
    before = _snapshot()
    event = merge(a, b, by=world["police_manager"], reason="Looks like the same man")
    assert _snapshot() != before
    unmerge(event, by=world["police_manager"], reason="Different men: the Corby John Smith is his father")
    after = _snapshot()
    assert {k: v for k, v in after.items()} == before
    assert AuditEntry.objects.filter(action=Operation.COMBINATION, summary__startswith="Unmerged").count() == 2


def test_a_merge_is_refused_without_the_right_or_twice(world: World, pair: tuple[Person, Person]) -> None:
    a, b = pair
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        merge(a, b, by=world["police_analyst"], reason="x")
    event = merge(a, b, by=world["police_manager"], reason="Same person")
    with pytest.raises(ValidationError):
        merge(a, b, by=world["police_manager"], reason="Again")
    unmerge(event, by=world["police_manager"], reason="Mistake")
    with pytest.raises(ValidationError, match="already been undone"):
        unmerge(event, by=world["police_manager"], reason="Mistake")


def test_a_merge_is_at_least_as_restricted_as_either_person(world: World) -> None:
    police = world["police_officer"]
    a = make_person(police)
    b = make_person(police, sensitivity="domestic_abuse", caveat="official_sensitive")
    merge(a, b, by=police, reason="Same person")
    a.refresh_from_db()
    assert (a.caveat, a.sensitivity) == ("official_sensitive", "domestic_abuse")


def test_unique_rows_that_would_duplicate_stay_with_the_merged_record(world: World) -> None:
    police = world["police_officer"]
    a, b = make_person(police), make_person(police)
    register.add_identifier(a, police, scheme="police_niche", value="NN1")
    register.add_identifier(b, police, scheme="police_niche", value="NN1")
    event = merge(a, b, by=police, reason="Same")
    assert a.identifiers.count() == 1 and Person.all_objects.get(pk=b.pk).identifiers.count() == 1
    unmerge(event, by=police, reason="Undo")


def test_finding_7_a_merge_keeps_the_absorbed_name_as_another_name(world: World) -> None:
    """The demo's pair: "ROBERST, Oliver" and "OLIVER, Roberts". Whichever name the merged person shows, the other
    one stays on the record as another name (an alias), with the agency it came from."""
    police, council = world["police_officer"], world["council_officer"]
    a = make_person(police, given_name="Oliver", family_name="Roberst", dob_year=1982)
    b = make_person(
        council, given_name="Roberts", family_name="Oliver", dob_year=1982, parties=(world.agencies["police"],)
    )
    _source_record(a, "kettering", "K0000206", given_name="Oliver", family_name="ROBERST", dob_year=1982)
    _source_record(b, "kettering", "K0000207", given_name="Roberts", family_name="OLIVER", dob_year=1982)
    before = _snapshot()
    event = merge(a, b, by=world["police_manager"], reason="Same man: names swapped and misspelt")
    a.refresh_from_db()
    shown = (a.given_name.casefold(), a.family_name.casefold())
    names = {(x.given_name.casefold(), x.family_name.casefold()) for x in a.aliases.all()}
    assert names | {shown} == {("oliver", "roberst"), ("roberts", "oliver")} and shown not in names
    assert a.aliases.get().kind == "alias"
    # Undoing the merge takes the added name away again: the database is exactly as it was.
    unmerge(event, by=world["police_manager"], reason="Two different men after all")
    assert _snapshot() == before
