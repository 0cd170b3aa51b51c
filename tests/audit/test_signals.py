"""The framework writes the log: collection, alteration (before/after), erasure, filed under the right record."""

from __future__ import annotations

from csphub.audit.models import AuditEntry, Operation
from csphub.registers import services
from csphub.registers.models import Alias
from tests.factories import World, make_person, make_place


def _since(seq: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(seq__gt=seq).order_by("seq"))


def _head() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_it_logs_collection_with_the_values_collected(world: World) -> None:
    start = _head()
    person = make_person(world["police_officer"], family_name="Okoro", given_name="Ada")
    [entry] = _since(start)
    assert entry.action == Operation.COLLECTION and entry.record_id == str(person.uuid)
    assert entry.after is not None
    assert entry.after["family_name"] == "Okoro" and entry.after["given_name"] == "Ada"
    assert "family_key" not in entry.after  # derived search keys are not personal data worth logging


def test_it_logs_alteration_with_before_and_after_of_changed_fields_only(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer, family_name="Okoro")
    start = _head()
    services.change_person(person, officer, family_name="Okoro-Smith", description="Tall")
    alterations = [e for e in _since(start) if e.action == Operation.ALTERATION]
    assert len(alterations) == 1
    entry = alterations[0]
    assert entry.before == {"description": "", "family_name": "Okoro"}
    assert entry.after == {"description": "Tall", "family_name": "Okoro-Smith"}


def test_it_writes_nothing_for_a_save_that_changes_nothing(world: World) -> None:
    person = make_person(world["police_officer"])
    start = _head()
    person.save()
    assert _since(start) == []


def test_it_files_an_alias_under_its_person(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer)
    start = _head()
    services.add_alias(person, officer, given_name="Jonny", family_name="Smyth")
    [entry] = _since(start)
    assert entry.record_id == str(person.uuid) and entry.summary == "Recorded alias"


def test_it_files_a_link_under_the_person_with_the_place_related(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer)
    place = make_place(officer)
    start = _head()
    services.link_place(person, place, officer, relation="lives_at")
    [entry] = _since(start)
    assert (entry.record_id, entry.related_id) == (str(person.uuid), str(place.uuid))


def test_it_logs_the_erasure_of_a_person_and_everything_filed_under_them(world: World) -> None:
    manager = world["police_manager"]
    person = make_person(manager)
    Alias.objects.create(person=person, given_name="Jonny", source_agency=world.agencies["police"])
    uid = str(person.uuid)
    start = _head()
    services.erase_person(person, manager)
    erasures = [e for e in _since(start) if e.action == Operation.ERASURE]
    assert {e.summary for e in erasures} == {"Erased alias", "Erased person"}
    assert all(e.record_id == uid for e in erasures)
    person_entry = next(e for e in erasures if e.summary == "Erased person")
    assert person_entry.before is not None and person_entry.before["family_name"] == "Smith"
