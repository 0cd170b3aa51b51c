from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from csphub.common.dates import PartialDate
from csphub.linkage.engine.comparisons import SPEC_VERSION
from csphub.linkage.engine.errors import InputError, ModelError, SettingsError
from csphub.linkage.engine.evaluate import blocking_recall, score_clusters, score_predictions
from csphub.linkage.engine.model import (
    DedupeResult,
    HouseholdCounts,
    LinkIndex,
    TrainedModel,
    candidates,
    cluster,
    explain,
    household_weights,
    link,
    predict,
)
from csphub.linkage.engine.records import Record, RecordSet
from csphub.linkage.engine.settings import LinkageSettings
from csphub.synthetic.registers import Truth


def test_the_demo_register_merges_to_about_the_true_number_of_people(
    legacy_dedupe: DedupeResult, legacy_truth: Truth
) -> None:
    clusters = legacy_dedupe.clusters
    scores = score_clusters(clusters, legacy_truth.identities)
    assert scores.f1 > 0.95, scores
    people = legacy_truth.people
    assert abs(clusters.n_clusters - people) / people < 0.03, (clusters.n_clusters, people)
    assert len(clusters) == len(legacy_dedupe.predictions.records)  # every record has a cluster
    assert set(legacy_dedupe.timings) == {"features", "train", "predict", "cluster"}


def test_blocking_finds_nearly_every_true_pair(legacy_records: RecordSet, legacy_truth: Truth) -> None:
    report = blocking_recall(legacy_records, legacy_truth.identities)
    assert report.recall > 0.99, report
    assert report.reachable >= report.recall
    assert report.comparisons < len(legacy_records) ** 2 / 20


def test_scores_rise_with_the_threshold_lowering(legacy_dedupe: DedupeResult, legacy_truth: Truth) -> None:
    strict = score_predictions(legacy_dedupe.predictions, legacy_truth.identities, 0.99)
    loose = score_predictions(legacy_dedupe.predictions, legacy_truth.identities, 0.3)
    assert strict.precision >= loose.precision
    assert loose.recall >= strict.recall


def test_the_model_saves_loads_and_predicts_the_same(tmp_path: Path, legacy_dedupe: DedupeResult) -> None:
    model = legacy_dedupe.model
    path = model.save(tmp_path / "model.json")
    again = TrainedModel.load(path)
    assert again == model
    assert again.version == model.version and again.version.startswith(f"{SPEC_VERSION}-")
    repredicted = predict(again, legacy_dedupe.predictions.records)
    assert cluster(repredicted, 0.7).partition() == cluster(legacy_dedupe.predictions, 0.7).partition()
    data = json.loads(path.read_text())
    data["probability_two_random_records_match"] *= 2
    path.write_text(json.dumps(data))
    with pytest.raises(ModelError, match="content hash"):
        TrainedModel.load(path)
    data["spec_version"] = 999
    path.write_text(json.dumps(data))
    with pytest.raises(ModelError, match="specification"):
        TrainedModel.load(path)


def test_the_model_is_versioned_by_its_content(legacy_dedupe: DedupeResult) -> None:
    model = legacy_dedupe.model
    other = model.with_settings(match_threshold=0.9)
    assert other.version != model.version
    assert TrainedModel.from_dict(model.to_dict()).version == model.version


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


def test_the_check_at_the_door_finds_the_person(legacy_records: RecordSet, legacy_dedupe: DedupeResult) -> None:
    target = next(r for r in legacy_records if r.date_of_birth and r.date_of_birth.day and r.postcode and r.given_name)
    typed = Record(
        record_id="",
        given_name=target.given_name.lower(),
        family_name=target.family_name.upper(),
        date_of_birth=target.date_of_birth,
        postcode=target.postcode.replace(" ", ""),
    )
    found = candidates(legacy_dedupe.model, legacy_records, typed, limit=5)
    assert found and found[0].record_b == target.key
    assert found[0].match_probability > 0.5
    assert len(found) <= 5
    assert found == sorted(found, key=lambda p: -p.match_weight)


def test_a_later_extract_links_to_the_register(
    legacy_parsed: list, legacy_dedupe: DedupeResult, legacy_truth: Truth
) -> None:
    register = RecordSet.concat(p.records for p in legacy_parsed[:3])
    incoming = legacy_parsed[3].records
    predictions = link(legacy_dedupe.model, register, incoming)
    n = len(register)
    for left, right in zip(
        predictions.pairs.column("unique_id_l").to_pylist(),
        predictions.pairs.column("unique_id_r").to_pylist(),
        strict=True,
    ):
        assert (left < n) != (right < n)  # always one of each
    keys = predictions.records.record_keys()
    good = [p for p in predictions.scored_pairs(0.7)]
    right = sum(legacy_truth.identities[p.record_a] == legacy_truth.identities[p.record_b] for p in good)
    assert good and right / len(good) > 0.95
    with LinkIndex(legacy_dedupe.model, register) as index:
        assert len(index.link(incoming)) == len(predictions)
    assert keys[:n] == register.record_keys()


def test_bad_input_is_refused_before_work_starts() -> None:
    with pytest.raises(SettingsError) as caught:
        LinkageSettings(backend="oracle", match_threshold=1.5, u_max_pairs=5)
    assert len(caught.value.problems) == 3
    with pytest.raises(InputError, match="repeated: s:1"):
        predict_records = RecordSet.from_records([Record("1", "s"), Record("1", "s")])
        from csphub.linkage.engine.model import train

        train(predict_records)
    with pytest.raises(InputError, match="no records"):
        from csphub.linkage.engine.model import train

        train(RecordSet.from_records([]))


def test_household_corrections_are_never_positive() -> None:
    counts = HouseholdCounts(
        pairs=10**10,
        surname=5 * 10**7,
        address=10**6,
        dob=2 * 10**6,
        household_different_given=5 * 10**5,
        twins_different_given=3000,
        different_given_share=0.93,
    )
    household, twins = household_weights(counts, 1e-5, 0.9, 0.7, 0.9)
    assert household < -3 and twins < -3
    none = replace(counts, household_different_given=0, twins_different_given=0)
    assert household_weights(none, 1e-5, 0.9, 0.7, 0.9) == (0.0, 0.0)


@pytest.mark.parametrize("missing", [("postcode", "address"), ("date_of_birth",), ("postcode", "address", "sex")])
def test_registers_without_some_fields_still_link(
    legacy_records: RecordSet, legacy_truth: Truth, missing: tuple[str, ...]
) -> None:
    import pyarrow as pa

    from csphub.linkage.engine.model import dedupe

    table = legacy_records.table
    columns = {c: pa.nulls(len(table), pa.string()) if c in missing else table.column(c) for c in table.column_names}
    result = dedupe(RecordSet(pa.table(columns)), LinkageSettings(u_max_pairs=2e5))
    # without dates of birth, family members who share a name and an address are hard to tell apart
    assert score_clusters(result.clusters, legacy_truth.identities).f1 > 0.75
