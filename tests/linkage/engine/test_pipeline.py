from __future__ import annotations

import pytest

from csphub.linkage.engine.evaluate import score_clusters
from csphub.linkage.engine.pipeline import DedupeResult
from csphub.linkage.engine.records import RecordSet
from csphub.linkage.engine.settings import LinkageSettings
from csphub.linkage.synthetic.registers import Truth


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


@pytest.mark.parametrize("missing", [("postcode", "address"), ("date_of_birth",), ("postcode", "address", "sex")])
def test_registers_without_some_fields_still_link(
    legacy_records: RecordSet, legacy_truth: Truth, missing: tuple[str, ...]
) -> None:
    import pyarrow as pa

    from csphub.linkage.engine.pipeline import dedupe

    table = legacy_records.table
    columns = {c: pa.nulls(len(table), pa.string()) if c in missing else table.column(c) for c in table.column_names}
    result = dedupe(RecordSet(pa.table(columns)), LinkageSettings(u_max_pairs=2e5))
    # without dates of birth, family members who share a name and an address are hard to tell apart
    assert score_clusters(result.clusters, legacy_truth.identities).f1 > 0.75
