"""Scoring pairs with a trained model, and linking new records to a register::

predict(model, records) -> Predictions               # scored pairs within the records
link(model, register, incoming) -> Predictions        # a later extract against an existing register
candidates(model, register, new_record, limit) -> list[ScoredPair]   # the duplicate check at the door
LinkIndex(model, register).candidates(record, limit)  # the same, with the register prepared once
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from splink.internals.splink_dataframe import SplinkDataFrame

from . import comparisons as spec
from .backends import Backend, open_backend
from .records import Record, RecordSet, RecordsLike, as_record_set
from .session import _check_records, _linker, _rules, _session
from .settings import LinkageSettings
from .trained import TrainedModel

PREDICTION_COLUMNS = ("unique_id_l", "unique_id_r", "match_weight", "match_probability")


@dataclass(frozen=True)
class ScoredPair:
    """Two records and how likely they are the same person."""

    record_a: tuple[str, str]  # (source, record_id)
    record_b: tuple[str, str]
    match_weight: float
    match_probability: float


@dataclass(frozen=True)
class Predictions:
    """Scored pairs: ``pairs`` has ``unique_id_l``, ``unique_id_r`` (positions in ``records``), ``match_weight``
    and ``match_probability``. :func:`explain` says why any one pair scores as it does."""

    pairs: pa.Table
    records: RecordSet
    model_version: str
    blocking_rules: tuple[str, ...] = ()

    def __len__(self) -> int:
        return int(self.pairs.num_rows)

    def scored_pairs(self, min_probability: float = 0.0) -> Iterator[ScoredPair]:
        keys = self.records.record_keys()
        table = self.pairs
        if min_probability > 0:
            table = table.filter(pc.greater_equal(table.column("match_probability"), min_probability))
        for batch in table.select(list(PREDICTION_COLUMNS)).to_batches(max_chunksize=50_000):
            for left, right, weight, probability in zip(*(c.to_pylist() for c in batch.columns), strict=True):
                yield ScoredPair(keys[left], keys[right], float(weight), float(probability))

    def between(self, lower: float, upper: float) -> Iterator[ScoredPair]:
        """Pairs with ``lower <= match_probability < upper`` (the clerical review band)."""
        for pair in self.scored_pairs(lower):
            if pair.match_probability < upper:
                yield pair


def _fetch_predictions(backend: Backend, predicted: SplinkDataFrame) -> pa.Table:
    table = backend.fetch(predicted, list(PREDICTION_COLUMNS))
    table = table.cast(
        pa.schema(
            [
                ("unique_id_l", pa.int64()),
                ("unique_id_r", pa.int64()),
                ("match_weight", pa.float64()),
                ("match_probability", pa.float64()),
            ]
        )
    )
    return table


def predict(model: TrainedModel, records: RecordsLike, settings: LinkageSettings | None = None) -> Predictions:
    """Score the pairs of ``records`` chosen by the blocking rules (pairs below ``keep_threshold`` dropped)."""
    settings = settings or model.settings
    record_set = as_record_set(records)
    _check_records(record_set)
    with _session(settings) as backend:
        features = backend.register_features(record_set)
        rules = _rules(backend, features, settings)
        linker = _linker(backend, features, settings, model, rules)
        predicted = linker.inference.predict(threshold_match_probability=settings.keep_threshold, warning_mode="never")
        pairs = _fetch_predictions(backend, predicted)
    return Predictions(
        pairs=pairs,
        records=record_set,
        model_version=model.version,
        blocking_rules=tuple(spec.rule_sql(r) for r in rules),
    )


# --- linking new records to a register -------------------------------------------------------------------------
def _door_rules() -> list[Any]:
    """For one person typed in at the door: the model's rules and two wider ones (one record costs little)."""
    from splink import block_on

    return [*spec.core_blocking_rules(), *(block_on(*cols) for cols in spec.wider_blocking_rules())]


class LinkIndex:
    """A register prepared once (comparison columns and term frequencies) to score new records against it, as
    the duplicate check does each time a person is entered. Close it (or use it as a context manager) when done."""

    def __init__(self, model: TrainedModel, register: RecordsLike, settings: LinkageSettings | None = None) -> None:
        self.model = model
        self.settings = replace(settings or model.settings, backend="duckdb")
        self.register = as_record_set(register)
        self.register.require_unique_keys()
        self._backend = open_backend(self.settings)
        self._features = self._backend.register_features(self.register, "register")
        self._rules = _rules(self._backend, self._features, self.settings)
        self._linker = _linker(self._backend, self._features, self.settings, model, self._rules)
        for column in spec.TF_COLUMNS:
            self._linker.table_management.compute_tf_table(column)
        self._keys = self.register.record_keys()

    def __enter__(self) -> LinkIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._backend.close()

    def _score(self, incoming: RecordSet, rules: list[Any] | None, threshold: float | None) -> pa.Table:
        new = self._backend.register_features(incoming, "incoming", offset=len(self.register))
        predicted = self._linker.inference.predict_between(
            new.sdf,
            self._features.sdf,
            blocking_rules_to_generate_predictions=rules,
            threshold_match_probability=threshold,
            warning_mode="never",
        )
        pairs = _fetch_predictions(self._backend, predicted)
        return pairs

    def candidates(self, record: Record, limit: int = 10, min_probability: float = 0.0) -> list[ScoredPair]:
        """The register's records most likely to be ``record``, best first (at most ``limit``)."""
        if limit < 1:
            return []
        incoming = RecordSet.from_records([replace(record, record_id=record.record_id or "new")])
        pairs = self._score(incoming, _door_rules(), min_probability or None)
        scored: dict[int, tuple[float, float]] = {}
        for left, right, weight, probability in zip(
            *(pairs.column(c).to_pylist() for c in PREDICTION_COLUMNS), strict=True
        ):
            existing = right if right < len(self.register) else left
            if existing not in scored or scored[existing][0] < weight:
                scored[existing] = (float(weight), float(probability))
        best = sorted(scored.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        new_key = incoming.record_keys()[0]
        return [ScoredPair(new_key, self._keys[i], w, p) for i, (w, p) in best]

    def link(self, incoming: RecordsLike) -> Predictions:
        """Scored pairs between ``incoming`` records and the register (not within either), kept from
        ``keep_threshold`` up. Positions in ``Predictions.records``: the register first, then ``incoming``."""
        incoming_set = as_record_set(incoming)
        _check_records(incoming_set, "incoming records")
        pairs = self._score(incoming_set, None, self.settings.keep_threshold)
        both = RecordSet.concat([self.register, incoming_set])
        return Predictions(pairs=pairs, records=both, model_version=self.model.version)


def candidates(model: TrainedModel, register: RecordsLike, new_record: Record, limit: int = 10) -> list[ScoredPair]:
    """The ``limit`` register records most likely to be ``new_record``, best first (prepares the register each
    call: keep a :class:`LinkIndex` to check many records)."""
    with LinkIndex(model, register) as index:
        return index.candidates(new_record, limit)


def link(model: TrainedModel, register: RecordsLike, incoming: RecordsLike) -> Predictions:
    """Score a later extract (``incoming``) against an existing register with the same model."""
    with LinkIndex(model, register) as index:
        return index.link(incoming)


def records_from(items: Sequence[Record] | RecordSet) -> RecordSet:
    """Convenience for callers holding Record objects."""
    return as_record_set(items)
