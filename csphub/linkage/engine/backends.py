"""Where Splink runs: DuckDB in this process (the default), or Spark (``backend="spark"``, extra ``csphub[spark]``).

The comparison columns are always derived in DuckDB (:mod:`.features`); on Spark they are handed over as an Arrow
table. Results come back as Arrow tables either way.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
from splink.internals.splink_dataframe import SplinkDataFrame

from .errors import LinkageError
from .features import build_features
from .records import RecordSet
from .settings import LinkageSettings

log = logging.getLogger("csphub.linkage")


@dataclass(frozen=True)
class Features:
    """Derived comparison columns registered with Splink (``sdf``), also held in DuckDB as ``table``."""

    sdf: SplinkDataFrame
    table: str
    n: int


class Backend:
    """A DuckDB connection (always: features are derived there) and the Splink database API to run on."""

    dialect = "duckdb"

    def __init__(self, settings: LinkageSettings) -> None:
        from splink import DuckDBAPI

        self.settings = settings
        self.con = duckdb.connect()
        self.con.execute(f"SET memory_limit = '{settings.duckdb_memory_limit}'")
        if settings.threads:
            self.con.execute(f"SET threads TO {int(settings.threads)}")
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute("SET enable_progress_bar = false")
        self.db_api: Any = DuckDBAPI(connection=self.con)
        self._count = 0

    def _name(self, stem: str) -> str:
        self._count += 1
        return f"csphub_{stem}_{self._count}"

    def register_features(self, records: RecordSet, stem: str = "features", offset: int = 0) -> Features:
        """Derive the features of ``records`` (``unique_id`` from ``offset``) and register them with Splink."""
        name = self._name(stem)
        build_features(self.con, records, name)
        if offset:
            self.con.execute(f"UPDATE {name} SET unique_id = unique_id + {int(offset)}")
        return Features(self.register_table(name), name, len(records))

    def count_pairs(self, features: Features, columns: tuple[str, ...]) -> int:
        """How many pairs an equality rule on ``columns`` generates (all values present)."""
        cols = ", ".join(columns)
        present = " AND ".join(f"{c} IS NOT NULL" for c in columns)
        rows = self.con.execute(
            f"SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM "
            f"(SELECT count(*)::BIGINT AS n FROM {features.table} WHERE {present} GROUP BY {cols})"
        ).fetchall()
        return int(rows[0][0])

    def rule_pairs(self, features: Features, rule_sql: str, at_most: int = 1000) -> int:
        """How many pairs a blocking rule (SQL over ``l`` and ``r``) generates, counting no further than
        ``at_most``."""
        t = features.table
        rows = self.con.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {t} l JOIN {t} r ON ({rule_sql}) "
            f"AND l.unique_id < r.unique_id LIMIT {int(at_most)})"
        ).fetchall()
        return int(rows[0][0])

    def register_table(self, name: str) -> SplinkDataFrame:
        sdf: SplinkDataFrame = self.db_api.register(name, table_name=self._name("input"))
        return sdf

    def register_arrow(self, table: pa.Table, stem: str) -> SplinkDataFrame:
        sdf: SplinkDataFrame = self.db_api.register(table, table_name=self._name(stem))
        return sdf

    def fetch(self, sdf: SplinkDataFrame, columns: list[str], where: str = "") -> pa.Table:
        cols = ", ".join(columns)
        sql = f"SELECT {cols} FROM {sdf.physical_name} {where}"
        return self.con.sql(sql).to_arrow_table()

    def features_sql(self, sql: str) -> pa.Table:
        """Run SQL against the DuckDB connection that holds the derived features."""
        return self.con.sql(sql).to_arrow_table()

    def close(self) -> None:
        self.con.close()


class SparkBackend(Backend):
    dialect = "spark"

    def __init__(self, settings: LinkageSettings) -> None:
        try:
            from pyspark.sql import SparkSession
            from splink import SparkAPI
            from splink.internals.spark.jar_location import similarity_jar_location
        except ImportError as exc:
            raise LinkageError(f"The Spark backend needs pyspark: pip install 'csphub[spark]' ({exc})") from None
        logging.getLogger("py4j").setLevel(logging.WARNING)  # not its chatter at interpreter exit
        self.settings = settings
        self.con = duckdb.connect()
        self.con.execute(f"SET memory_limit = '{settings.duckdb_memory_limit}'")
        self._count = 0
        self.con.execute("SET enable_progress_bar = false")
        self._checkpoints = tempfile.TemporaryDirectory(prefix="csphub-spark-")
        self.spark = (
            SparkSession.builder.master(settings.spark_master)
            .appName("csphub-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.driver.memory", settings.spark_driver_memory)
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.default.parallelism", "8")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("ERROR")
        self.spark.sparkContext.setCheckpointDir(self._checkpoints.name)
        self.db_api = SparkAPI(spark_session=self.spark, num_partitions_on_repartition=8)

    def register_features(self, records: RecordSet, stem: str = "features", offset: int = 0) -> Features:
        name = self._name(stem)
        build_features(self.con, records, name)
        if offset:
            self.con.execute(f"UPDATE {name} SET unique_id = unique_id + {int(offset)}")
        table = self.con.sql(f"SELECT * FROM {name} ORDER BY unique_id").to_arrow_table()
        return Features(self.register_arrow(table, stem), name, len(records))

    def register_table(self, name: str) -> SplinkDataFrame:
        return self.register_arrow(self.con.sql(f"SELECT * FROM {name}").to_arrow_table(), name)

    def register_arrow(self, table: pa.Table, stem: str) -> SplinkDataFrame:
        frame = self.spark.createDataFrame(table)
        sdf: SplinkDataFrame = self.db_api.register(frame, table_name=self._name(stem))
        return sdf

    def fetch(self, sdf: SplinkDataFrame, columns: list[str], where: str = "") -> pa.Table:
        cols = ", ".join(columns)
        frame = self.spark.sql(f"SELECT {cols} FROM {sdf.physical_name} {where}")
        table: pa.Table = frame.toArrow()
        return table

    def close(self) -> None:
        self.con.close()
        self._checkpoints.cleanup()


def open_backend(settings: LinkageSettings) -> Backend:
    return SparkBackend(settings) if settings.backend == "spark" else Backend(settings)
