from __future__ import annotations

import math
from dataclasses import replace

from csphub.common.dates import PartialDate
from csphub.linkage.engine.explaining import explain, explain_many
from csphub.linkage.engine.pipeline import DedupeResult
from csphub.linkage.engine.records import Record


def _record(record_id: str, **fields: object) -> Record:
    return Record(record_id=record_id, source="test", **fields)  # type: ignore[arg-type]


def test_explanations_add_up_field_by_field(legacy_dedupe: DedupeResult) -> None:
    model = legacy_dedupe.model
    a = _record(
        "a",
        given_name="William",
        family_name="Smith",
        date_of_birth=PartialDate(1980, 4, 3),
        sex="male",
        address="12 High Street, Kettering",
        postcode="NN16 0AB",
    )
    b = _record(
        "b",
        given_name="Bill",
        family_name="SMITH",
        date_of_birth=PartialDate(1980, 3, 4),
        sex="male",
        address="12 High St, Kettering",
        postcode="NN16 0AB",
    )
    why = explain(model, a, b)
    levels = {f.comparison: f.level for f in why.fields}
    assert levels["given_name"].startswith("Forms of the same name")
    assert levels["family_name"] == "Surnames the same"
    assert levels["date_of_birth"] == "Day and month swapped"
    assert levels["address"] == "Same address and postcode"
    total = why.prior_match_weight + sum(f.match_weight for f in why.fields)
    assert math.isclose(total, why.match_weight, abs_tol=1e-6)
    assert why.match_probability > 0.9
    assert "Given name" in why.as_text()
    c = replace(b, given_name="Mary", sex="female", date_of_birth=PartialDate(1951, 1, 1), address="", postcode="")
    assert explain(model, a, c).match_probability < 0.01


def test_it_explains_many_pairs_in_one_session_as_it_explains_each(legacy_dedupe: DedupeResult) -> None:
    model = legacy_dedupe.model
    a = _record("a", given_name="William", family_name="Smith", date_of_birth=PartialDate(1980, 4, 3))
    b = _record("b", given_name="Bill", family_name="Smith", date_of_birth=PartialDate(1980, 3, 4))
    c = _record("c", given_name="Mary", family_name="Jones", postcode="NN17 1AA")
    pairs = [(a, b), (a, c), (b, c), (a, a)]
    together = explain_many(model, pairs)
    assert [t.match_probability for t in together] == [explain(model, x, y).match_probability for x, y in pairs]
    assert together[0].match_probability > together[1].match_probability
    assert explain_many(model, []) == []
