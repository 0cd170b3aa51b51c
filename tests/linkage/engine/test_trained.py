from __future__ import annotations

import json
from pathlib import Path

import pytest

from csphub.linkage.engine.clustering import cluster
from csphub.linkage.engine.comparisons import SPEC_VERSION
from csphub.linkage.engine.errors import ModelError
from csphub.linkage.engine.pipeline import DedupeResult
from csphub.linkage.engine.scoring import predict
from csphub.linkage.engine.trained import TrainedModel


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
