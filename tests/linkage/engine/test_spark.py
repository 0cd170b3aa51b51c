"""The same small dedupe on Splink's Spark backend (local mode) gives the same clusters as on DuckDB.

Runs when pyspark is installed (``pip install 'csphub[spark]'``) and Java is on the PATH; skipped otherwise.
u is estimated from every pair of this small register (no sampling), so both backends train the same model (up to
the small differences between the two engines' Jaro-Winkler functions).
"""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from csphub.linkage.engine.pipeline import dedupe
from csphub.linkage.engine.records import RecordSet
from csphub.linkage.engine.settings import LinkageSettings

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None, reason="pyspark is not installed (csphub[spark])"),
    pytest.mark.skipif(shutil.which("java") is None, reason="Java is not installed (Spark needs Java 17)"),
]


def test_spark_and_duckdb_give_the_same_clusters(legacy_records: RecordSet) -> None:
    records = RecordSet(legacy_records.table.slice(0, 400))
    settings = LinkageSettings(u_max_pairs=1e6, threads=2)
    duck = dedupe(records, settings)
    spark = dedupe(records, LinkageSettings(u_max_pairs=1e6, backend="spark", spark_driver_memory="1g"))
    assert spark.clusters.n_clusters == duck.clusters.n_clusters
    assert spark.clusters.partition() == duck.clusters.partition()
    assert spark.clusters.n_clusters < len(records)  # some records were joined
    for a, b in zip(duck.model.comparisons, spark.model.comparisons, strict=True):
        for la, lb in zip(a.levels, b.levels, strict=True):
            if la.u is not None and lb.u is not None:
                # Spark's Jaro-Winkler (Splink's Scala UDF) rounds a little differently from DuckDB's
                assert la.u == pytest.approx(lb.u, rel=0.05, abs=1e-9), (a.name, la.label)
