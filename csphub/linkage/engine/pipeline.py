"""Train, predict and cluster in one session (the comparison columns derived once)::

dedupe(records, settings) -> DedupeResult             # train, predict and cluster in one session
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from csphub.common.progress import Steps, wanted

from . import comparisons as spec
from .clustering import Clusters, cluster
from .records import RecordsLike, as_record_set
from .scoring import Predictions, _fetch_predictions
from .session import _check_records, _linker, _rules, _session
from .settings import LinkageSettings
from .trained import TrainedModel
from .training import _train


@dataclass(frozen=True)
class DedupeResult:
    model: TrainedModel
    predictions: Predictions
    clusters: Clusters
    timings: Mapping[str, float]


def dedupe(records: RecordsLike, settings: LinkageSettings | None = None) -> DedupeResult:
    """Train on ``records``, score their pairs and cluster them at ``settings.match_threshold``, in one session
    (the comparison columns are derived once). Timings per stage in seconds."""
    settings = settings or LinkageSettings()
    record_set = as_record_set(records)
    _check_records(record_set)
    timings: dict[str, float] = {}
    with Steps(4, "dedupe", enabled=wanted(settings.progress)) as steps, _session(settings) as backend:
        start = time.perf_counter()
        features = backend.register_features(record_set)
        rules = _rules(backend, features, settings)
        timings["features"] = time.perf_counter() - start
        steps.step("features")
        start = time.perf_counter()
        _, model = _train(backend, features, len(record_set), settings, rules)
        timings["train"] = time.perf_counter() - start
        steps.step("train")
        start = time.perf_counter()
        linker = _linker(backend, features, settings, model, rules)
        predicted = linker.inference.predict(threshold_match_probability=settings.keep_threshold, warning_mode="never")
        pairs = _fetch_predictions(backend, predicted)
        timings["predict"] = time.perf_counter() - start
        steps.step("predict")
    predictions = Predictions(
        pairs=pairs,
        records=record_set,
        model_version=model.version,
        blocking_rules=tuple(spec.rule_sql(r) for r in rules),
    )
    start = time.perf_counter()
    clusters = cluster(predictions, settings.match_threshold)
    timings["cluster"] = time.perf_counter() - start
    return DedupeResult(model=model, predictions=predictions, clusters=clusters, timings=timings)
