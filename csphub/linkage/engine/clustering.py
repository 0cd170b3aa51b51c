"""Clustering scored pairs: connected components of the pairs at or above a threshold::

cluster(predictions, threshold) -> Clusters           # connected components of pairs at or above threshold
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .errors import InputError
from .scoring import Predictions


@dataclass(frozen=True)
class Clusters:
    """One cluster id per record: records in one cluster are taken to be one person."""

    table: pa.Table  # source, record_id, cluster_id (0, 1, … in order of each cluster's first record)
    threshold: float

    @property
    def n_clusters(self) -> int:
        ids = self.table.column("cluster_id")
        return int(pc.max(ids).as_py()) + 1 if len(ids) else 0

    def __len__(self) -> int:
        return int(self.table.num_rows)

    def cluster_ids(self) -> dict[tuple[str, str], int]:
        return dict(
            zip(
                zip(self.table.column("source").to_pylist(), self.table.column("record_id").to_pylist(), strict=True),
                self.table.column("cluster_id").to_pylist(),
                strict=True,
            )
        )

    def members(self) -> dict[int, list[tuple[str, str]]]:
        out: dict[int, list[tuple[str, str]]] = {}
        for key, cid in self.cluster_ids().items():
            out.setdefault(cid, []).append(key)
        return out

    def partition(self) -> frozenset[frozenset[tuple[str, str]]]:
        """The clusters as a set of sets of record keys: equal for two runs that group records the same way."""
        return frozenset(frozenset(m) for m in self.members().values())


def cluster(predictions: Predictions, threshold: float | None = None) -> Clusters:
    """Connected components of the pairs at or above ``threshold`` (a match probability): every record gets a
    cluster, alone if nothing links it. Cluster ids count from 0 in the order of each cluster's first record."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if threshold is None:
        threshold = 0.95
    if not 0 < threshold < 1:
        raise InputError(f"The clustering threshold must be a probability between 0 and 1, not {threshold!r}")
    n = len(predictions.records)
    pairs = predictions.pairs
    keep = pc.greater_equal(pairs.column("match_probability"), threshold)
    left = pc.filter(pairs.column("unique_id_l"), keep).to_numpy()
    right = pc.filter(pairs.column("unique_id_r"), keep).to_numpy()
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    first = np.full(labels.max() + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(n, dtype=np.int64))
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    table = pa.table(
        {
            "source": predictions.records.table.column("source"),
            "record_id": predictions.records.table.column("record_id"),
            "cluster_id": pa.array(rank[labels], pa.int64()),
        }
    )
    return Clusters(table=table, threshold=threshold)
