from __future__ import annotations

from csphub.linkage.engine.evaluate import blocking_recall, score_predictions
from csphub.linkage.engine.pipeline import DedupeResult
from csphub.linkage.engine.records import Record, RecordSet
from csphub.linkage.engine.scoring import LinkIndex, candidates, link
from csphub.linkage.synthetic.registers import Truth


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
