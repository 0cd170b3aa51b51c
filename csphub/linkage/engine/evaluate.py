"""Measuring linkage against known truth: pairwise precision, recall and F1, and the recall of the blocking rules.

A *pair* is two records taken to be the same person. Pairwise figures count pairs: predicted pairs (scored at or
above a threshold, or implied by clusters: every two records of one cluster) against true pairs (every two records
of one true identity). Blocking recall is the share of true pairs that the blocking rules put in front of the model
at all: no model can find the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import comparisons as spec
from .backends import Backend
from .clustering import Clusters
from .records import RecordSet, RecordsLike, as_record_set
from .scoring import Predictions
from .settings import LinkageSettings


@dataclass(frozen=True)
class PairwiseScores:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self) -> str:
        return (
            f"precision {self.precision:.4f}  recall {self.recall:.4f}  F1 {self.f1:.4f}  "
            f"(TP {self.true_positives:,}, FP {self.false_positives:,}, FN {self.false_negatives:,})"
        )


def _codes(left: np.ndarray, right: np.ndarray, n: int) -> np.ndarray:
    lo = np.minimum(left, right).astype(np.int64)
    hi = np.maximum(left, right).astype(np.int64)
    return np.unique(lo * n + hi)


def identity_array(records: RecordSet, identities: Mapping[tuple[str, str], Any]) -> np.ndarray:
    """Each record's true identity as a dense integer (records not in ``identities`` are singletons)."""
    labels: dict[Any, int] = {}
    out = np.empty(len(records), dtype=np.int64)
    for i, key in enumerate(records.record_keys()):
        ident = identities.get(key, ("__alone__", i))
        out[i] = labels.setdefault(ident, len(labels))
    return out


def true_pair_codes(identity: np.ndarray) -> np.ndarray:
    """Every pair of positions that share an identity, as codes ``lo * n + hi``."""
    n = len(identity)
    order = np.argsort(identity, kind="stable")
    sorted_ids = identity[order]
    boundaries = np.flatnonzero(np.diff(sorted_ids)) + 1
    groups = np.split(order, boundaries)
    lefts, rights = [], []
    for g in groups:
        if len(g) > 1:
            i, j = np.triu_indices(len(g), k=1)
            lefts.append(g[i])
            rights.append(g[j])
    if not lefts:
        return np.empty(0, dtype=np.int64)
    return _codes(np.concatenate(lefts), np.concatenate(rights), n)


def score_pair_codes(predicted: np.ndarray, truth: np.ndarray) -> PairwiseScores:
    tp = int(np.intersect1d(predicted, truth, assume_unique=True).size)
    return PairwiseScores(tp, int(predicted.size) - tp, int(truth.size) - tp)


def score_predictions(
    predictions: Predictions, identities: Mapping[tuple[str, str], Any], threshold: float
) -> PairwiseScores:
    """Pairs scored at or above ``threshold`` against the true pairs."""
    identity = identity_array(predictions.records, identities)
    n = len(identity)
    pairs = predictions.pairs
    keep = pc.greater_equal(pairs.column("match_probability"), threshold)
    left = pc.filter(pairs.column("unique_id_l"), keep).to_numpy()
    right = pc.filter(pairs.column("unique_id_r"), keep).to_numpy()
    return score_pair_codes(_codes(left, right, n), true_pair_codes(identity))


def score_clusters(clusters: Clusters, identities: Mapping[tuple[str, str], Any]) -> PairwiseScores:
    """Pairs implied by the clusters (every two records of a cluster) against the true pairs, by counting."""
    records = RecordSet(clusters.table.select(["source", "record_id"]))
    identity = identity_array(records, identities)
    cluster = clusters.table.column("cluster_id").to_numpy()

    def pairs_in(groups: np.ndarray) -> int:
        _, counts = np.unique(groups, return_counts=True, axis=0)
        counts = counts.astype(np.int64)
        return int((counts * (counts - 1) // 2).sum())

    both = np.stack([cluster, identity], axis=1)
    tp = pairs_in(both)
    predicted = pairs_in(cluster)
    actual = pairs_in(identity)
    return PairwiseScores(tp, predicted - tp, actual - tp)


@dataclass(frozen=True)
class BlockingReport:
    """How many pairs the blocking rules generate, and what share of the true pairs they contain."""

    comparisons: int
    true_pairs: int
    true_pairs_found: int
    true_pairs_reachable: int  # true pairs joined through a chain of true pairs that were found
    per_rule: tuple[tuple[str, int, int], ...]  # (rule, pairs, true pairs found by this rule)

    @property
    def recall(self) -> float:
        return self.true_pairs_found / self.true_pairs if self.true_pairs else 1.0

    @property
    def reachable(self) -> float:
        """The share of true pairs clustering can still join: the bound on recall after clustering."""
        return self.true_pairs_reachable / self.true_pairs if self.true_pairs else 1.0

    def __str__(self) -> str:
        lines = [
            f"blocking: {self.comparisons:,} pairs, recall {self.recall:.4f} "
            f"({self.true_pairs_found:,} of {self.true_pairs:,} true pairs); "
            f"reachable through found pairs {self.reachable:.4f}"
        ]
        lines += [f"  {pairs:>12,} pairs {found:>10,} true  {rule}" for rule, pairs, found in self.per_rule]
        return "\n".join(lines)


def blocking_recall(
    records: RecordsLike,
    identities: Mapping[tuple[str, str], Any],
    rules: Sequence[Any] | None = None,
    settings: LinkageSettings | None = None,
) -> BlockingReport:
    """The pairs ``rules`` (the model's blocking rules by default) generate, against the true pairs."""
    record_set = as_record_set(records)
    identity = identity_array(record_set, identities)
    truth = true_pair_codes(identity)
    n = len(record_set)
    backend = Backend(replace_backend(settings or LinkageSettings()))
    try:
        features = backend.register_features(record_set, "blocking")
        table = features.table
        chosen = (
            list(rules)
            if rules is not None
            else spec.blocking_rules(lambda cols: backend.count_pairs(features, cols), backend.settings.blocking_budget)
        )
        all_codes = []
        per_rule = []
        for rule in chosen:
            sql = spec.rule_sql(rule)
            pairs = backend.con.sql(
                f"""
                SELECT least(l.unique_id, r.unique_id) * {n} + greatest(l.unique_id, r.unique_id) AS code
                FROM {table} l JOIN {table} r ON ({sql}) AND l.unique_id <> r.unique_id
                WHERE l.unique_id < r.unique_id
                """
            ).to_arrow_table()
            codes = np.unique(pairs.column("code").to_numpy())
            per_rule.append((sql, int(codes.size), int(np.intersect1d(codes, truth, assume_unique=True).size)))
            all_codes.append(codes)
        union = np.unique(np.concatenate(all_codes)) if all_codes else np.empty(0, np.int64)
        found_codes = np.intersect1d(union, truth, assume_unique=True)
    finally:
        backend.close()
    return BlockingReport(
        int(union.size), int(truth.size), int(found_codes.size), _reachable(found_codes, truth, n), tuple(per_rule)
    )


def _reachable(found: np.ndarray, truth: np.ndarray, n: int) -> int:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(found.size, dtype=np.int8), (found // n, found % n)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return int(np.count_nonzero(labels[truth // n] == labels[truth % n]))


def replace_backend(settings: LinkageSettings) -> LinkageSettings:
    from dataclasses import replace

    return replace(settings, backend="duckdb")


def pairs_table(codes: np.ndarray, n: int) -> pa.Table:
    return pa.table({"unique_id_l": pa.array(codes // n), "unique_id_r": pa.array(codes % n)})
