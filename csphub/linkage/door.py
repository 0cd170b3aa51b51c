"""The register merger's model at the door: scores a person being recorded against the register.

Plugged into ``csphub.registers.duplicates`` when the app starts (``LinkageConfig.ready``), so that the duplicate check
everywhere uses the trained linkage model once one exists (``csphub.linkage.engine.LinkIndex``).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Max

from csphub.access.vocabulary import Verb
from csphub.linkage.models import LinkageModelVersion
from csphub.registers.duplicates import LIMIT
from csphub.registers.models import Person
from csphub.registers.search import PersonMatch

if TYPE_CHECKING:
    from csphub.common.dates import PartialDate
    from csphub.partnership.models import User

_lock = threading.Lock()
_index: dict[str, Any] = {}


def _register_index() -> tuple[Any, Any] | None:
    """The linkage index over the current register, rebuilt when the model or the register changes."""
    # The engine (Splink, DuckDB) is loaded on the first check, not when the web app starts.
    from csphub.linkage.engine import LinkIndex, Record, RecordSet, TrainedModel

    row = LinkageModelVersion.objects.filter(active=True).only("version").first()
    if row is None:
        return None
    state = Person.objects.aggregate(n=Max("pk"), changed=Max("updated_at"))
    key = f"{row.version}:{Person.objects.count()}:{state['n']}:{state['changed']}"
    with _lock:
        if _index.get("key") != key:
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


def by_model(
    user: User, given_name: str, family_name: str, date_of_birth: PartialDate | None, postcode: str
) -> list[PersonMatch] | None:
    from csphub.linkage.engine import Record

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
    visible = Person.objects.visible_to(user, Verb.VIEW).select_related("owning_agency").filter(uuid__in=uuids)
    people = {str(p.uuid): p for p in visible}
    matches = []
    for pair in scored:
        person = people.get(pair.record_b[1])
        if person is not None:
            reason = f"linkage model: match probability {pair.match_probability:.2f}"
            matches.append(PersonMatch(person, round(pair.match_probability, 3), (reason,)))
    return matches[:LIMIT]
