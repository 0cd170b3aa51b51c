"""Duplicate prevention at the door: the people already on the register who may be the one being recorded.

One function, used wherever a person is entered (the register, opening a case), limited to what the user may see.
When the register merger has trained a linkage model, the same model scores the person typed in against the
register (``csphub.linkage.engine.LinkIndex``): one matcher everywhere. Before any model exists, the register
search (fuzzy names, date of birth) answers instead.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Max

from csphub.common.dates import PartialDate
from csphub.registers.search import PersonMatch, PersonQuery, SearchError, search_people

if TYPE_CHECKING:
    from csphub.partnership.models import User

LIMIT = 10
_lock = threading.Lock()
_index: dict[str, Any] = {}


def _register_index() -> tuple[Any, Any] | None:
    """The linkage index over the current register, rebuilt when the model or the register changes."""
    from csphub.linkage.engine import LinkIndex, Record, RecordSet
    from csphub.linkage.models import LinkageModelVersion
    from csphub.registers.models import Person

    row = LinkageModelVersion.objects.filter(active=True).only("version").first()
    if row is None:
        return None
    state = Person.objects.aggregate(n=Max("pk"), changed=Max("updated_at"))
    key = f"{row.version}:{Person.objects.count()}:{state['n']}:{state['changed']}"
    with _lock:
        if _index.get("key") != key:
            from csphub.linkage.engine import TrainedModel

            model = TrainedModel.from_dict(LinkageModelVersion.objects.get(pk=row.pk).definition)
            records = []
            for p in Person.objects.prefetch_related("place_links__place"):
                home = next(iter(p.place_links.all()), None)
                records.append(
                    Record(
                        record_id=str(p.uuid),
                        source="register",
                        given_name=p.given_name,
                        middle_names=p.middle_names,
                        family_name=p.family_name,
                        date_of_birth=p.date_of_birth,
                        sex=p.sex if p.sex != "not_known" else "",
                        address=home.place.address if home else "",
                        postcode=home.place.postcode if home else "",
                    )
                )
            if "index" in _index:
                _index["index"].close()
            _index.update(key=key, index=LinkIndex(model, RecordSet.from_records(records)), model=model)
        return _index["index"], _index["model"]


def _by_model(
    user: User, given_name: str, family_name: str, date_of_birth: PartialDate | None, postcode: str
) -> list[PersonMatch] | None:
    from csphub.access.policy import Action
    from csphub.linkage.engine import Record
    from csphub.registers.models import Person

    prepared = _register_index()
    if prepared is None:
        return None
    index, _model = prepared
    with _lock:
        scored = index.candidates(
            Record(
                record_id="new",
                source="door",
                given_name=given_name,
                family_name=family_name,
                date_of_birth=date_of_birth,
                postcode=postcode,
            ),
            limit=LIMIT * 5,
            min_probability=settings.CSPHUB_LINKAGE_LOWER,
        )
    uuids = [pair.record_b[1] for pair in scored]
    visible = Person.objects.visible_to(user, Action.VIEW).select_related("owning_agency").filter(uuid__in=uuids)
    people = {str(p.uuid): p for p in visible}
    matches = []
    for pair in scored:
        person = people.get(pair.record_b[1])
        if person is not None:
            reason = f"linkage model: match probability {pair.match_probability:.2f}"
            matches.append(PersonMatch(person, round(pair.match_probability, 3), (reason,)))
    return matches[:LIMIT]


def likely_matches(
    user: User, *, given_name: str, family_name: str, date_of_birth: PartialDate | None = None, postcode: str = ""
) -> list[PersonMatch]:
    """Visible people who may be this person, most likely first."""
    if not family_name.strip():
        return []
    found = _by_model(user, given_name, family_name, date_of_birth, postcode)
    if found is not None:
        from csphub.access import consultation

        consultation.record_results([m.person for m in found], "a duplicate check", {"check": "linkage model"})
        return found
    name = f"{given_name} {family_name}".strip()
    try:
        by_name = search_people(user, PersonQuery(name=name), limit=LIMIT * 3)
    except SearchError:
        return []
    matches = [
        m
        for m in by_name
        if date_of_birth is None
        or m.person.date_of_birth is None
        or date_of_birth.matches(m.person.date_of_birth)
        or m.person.date_of_birth.matches(date_of_birth)
    ]
    if postcode.strip():
        try:
            nearby = {m.person.pk for m in search_people(user, PersonQuery(name=name, postcode=postcode))}
        except SearchError:
            nearby = set()
        matches.sort(key=lambda m: m.person.pk not in nearby)
    return matches[:LIMIT]
