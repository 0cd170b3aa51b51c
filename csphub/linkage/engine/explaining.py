"""Why a pair scores as it does, field by field::

explain(model, record_a, record_b) -> PairExplanation  # the level each comparison reaches and the weight it adds
explain_many(model, pairs) -> list[PairExplanation]    # the same for many pairs, with one Splink linker
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pyarrow as pa
from splink import Linker

from . import comparisons as spec
from .backends import Backend
from .records import Record, RecordSet
from .session import _linker, _session
from .settings import LinkageSettings
from .trained import TrainedModel


@dataclass(frozen=True)
class FieldExplanation:
    comparison: str
    description: str
    level: str
    values_a: Mapping[str, Any]
    values_b: Mapping[str, Any]
    match_weight: float  # the level's weight plus its term-frequency adjustment
    term_frequency_adjustment: float


@dataclass(frozen=True)
class PairExplanation:
    """Why a pair scores as it does: the prior, then each comparison's level and weight, adding up to the total."""

    prior_match_weight: float
    fields: tuple[FieldExplanation, ...]
    match_weight: float
    match_probability: float
    model_version: str

    def as_text(self) -> str:
        lines = [f"{'prior (how rare a match is)':<58} {self.prior_match_weight:+7.2f}"]
        for f in self.fields:
            tf = (
                f" (of which {f.term_frequency_adjustment:+.2f} for how common the value is)"
                if f.term_frequency_adjustment
                else ""
            )
            lines.append(f"{f.description + ': ' + f.level:<58} {f.match_weight:+7.2f}{tf}")
        lines.append(f"{'total match weight':<58} {self.match_weight:+7.2f}")
        lines.append(f"{'match probability':<58} {self.match_probability:7.4f}")
        return "\n".join(lines)


_EXPLAIN_VALUES = {
    "given_name": ("given",),
    "middle_names": ("middle_tokens",),
    "family_name": ("family",),
    "date_of_birth": ("dob", "dob_y", "dob_m", "dob_d"),
    "address": ("addr", "postcode"),
    "locality": ("locality",),
    "town": ("town",),
    "county": ("county",),
    "sex": ("sex",),
}


def _register_tf(backend: Backend, linker: Linker, model: TrainedModel, values: Mapping[str, set[str]]) -> None:
    """Term-frequency lookups from the model for the values at hand (unseen values count as the rarest)."""
    for column in spec.TF_COLUMNS:
        freq = model.term_frequencies.get(column, {})
        rare = freq.get("", 1e-6)
        wanted_values = sorted(v for v in values.get(column, set()) if v)
        table = pa.table(
            {
                column: pa.array(wanted_values, pa.string()),
                f"tf_{column}": pa.array([freq.get(v, rare) for v in wanted_values], pa.float64()),
            }
        )
        sdf = backend.register_arrow(table, f"tf_{column}")
        linker.table_management.register_term_frequency_lookup(sdf, column)


def explain(
    model: TrainedModel, record_a: Record, record_b: Record, settings: LinkageSettings | None = None
) -> PairExplanation:
    """How ``model`` scores the pair, comparison by comparison: the level each reaches and the weight it adds."""
    return explain_many(model, [(record_a, record_b)], settings)[0]


def explain_many(
    model: TrainedModel, pairs: Sequence[tuple[Record, Record]], settings: LinkageSettings | None = None
) -> list[PairExplanation]:
    """``explain`` for many pairs in one session: one Splink linker for all of them (building one is most of the
    cost of explaining a single pair: about a second, mostly Splink's settings check)."""
    settings = replace(settings or model.settings, backend="duckdb")
    distinct: dict[tuple[str, str], int] = {}
    chosen: list[Record] = []
    positions: list[tuple[int, int]] = []
    for record_a, record_b in pairs:
        a = replace(record_a, source=record_a.source or "a", record_id=record_a.record_id or "a")
        b = replace(record_b, source=record_b.source or "b", record_id=record_b.record_id or "b")
        if a.key == b.key:
            b = replace(b, source=b.source + "·2")
        ends = []
        for record in (a, b):
            if record.key not in distinct:
                distinct[record.key] = len(chosen)
                chosen.append(record)
            ends.append(distinct[record.key])
        positions.append((ends[0], ends[1]))
    if not positions:
        return []
    records = RecordSet.from_records(chosen)
    with _session(settings) as backend:
        features = backend.register_features(records)
        linker = _linker(backend, features, settings, model)
        rows = backend.features_sql(f"SELECT * FROM {features.table} ORDER BY unique_id").to_pylist()
        _register_tf(
            backend,
            linker,
            model,
            {c: {str(r[c]) for r in rows if r.get(c) is not None} for c in spec.TF_COLUMNS},
        )
        schema = backend.features_sql(f"SELECT * FROM {features.table} LIMIT 0").schema
        scored_rows = []
        for i, j in positions:
            left = backend.register_arrow(pa.Table.from_pylist([rows[i]], schema=schema), "left")
            right = backend.register_arrow(pa.Table.from_pylist([rows[j]], schema=schema), "right")
            scored = linker.inference.score_pair(left, right)
            scored_rows.append((rows[i], rows[j], backend.fetch(scored, ["*"]).to_pylist()[0]))
    return [_explanation(model, row_a, row_b, result) for row_a, row_b, result in scored_rows]


def _explanation(
    model: TrainedModel, row_a: Mapping[str, Any], row_b: Mapping[str, Any], result: Mapping[str, Any]
) -> PairExplanation:
    fields = []
    for comparison in model.comparisons:
        name = comparison.name
        gamma = int(result[f"gamma_{name}"])
        tf_adj = float(result.get(f"mw_tf_adj_{name}") or 0.0)
        weight = float(result.get(f"mw_{name}") or 0.0) + tf_adj
        fields.append(
            FieldExplanation(
                comparison=name,
                description=comparison.description,
                level=comparison.label_for_gamma(gamma),
                values_a={c: row_a.get(c) for c in _EXPLAIN_VALUES.get(name, ())},
                values_b={c: row_b.get(c) for c in _EXPLAIN_VALUES.get(name, ())},
                match_weight=weight,
                term_frequency_adjustment=tf_adj,
            )
        )
    return PairExplanation(
        prior_match_weight=model.prior_match_weight,
        fields=tuple(fields),
        match_weight=float(result["match_weight"]),
        match_probability=float(result["match_probability"]),
        model_version=model.version,
    )
