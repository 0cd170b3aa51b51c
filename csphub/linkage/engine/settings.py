"""The settings of a linkage run, validated as a whole before any work starts."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import Any

from .errors import SettingsError

BACKENDS = ("duckdb", "spark")
_MEMORY = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)


@dataclass(frozen=True)
class LinkageSettings:
    """How to train, score and cluster.

    Thresholds are match probabilities: pairs at or above ``match_threshold`` are joined into one person; pairs
    between ``review_threshold`` and ``match_threshold`` are for a person to decide (the clerical review queue);
    pairs below ``keep_threshold`` are not kept at all. ``blocking_budget`` is how many pairs the wider blocking
    rules may add to the core rules (a few thousand records get them all; a million get the cheap ones).
    """

    backend: str = "duckdb"
    seed: int = 20210401
    match_threshold: float = 0.7
    review_threshold: float = 0.3
    keep_threshold: float = 0.01
    term_frequency_adjustments: bool = True
    blocking_budget: float = 1e6
    u_max_pairs: float = 2e6
    em_max_pairs: float | None = 2e6
    em_max_iterations: int = 25
    em_convergence: float = 1e-4
    deterministic_recall: float = 0.8
    duckdb_memory_limit: str = "3GB"
    threads: int | None = None
    spark_master: str = "local[2]"
    spark_driver_memory: str = "2g"
    progress: bool | None = None

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise SettingsError(problems)

    def problems(self) -> list[str]:
        p: list[str] = []
        if self.backend not in BACKENDS:
            p.append(f"backend must be one of {', '.join(BACKENDS)}, not {self.backend!r}")
        for name in ("match_threshold", "review_threshold", "keep_threshold"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not 0 < value < 1:
                p.append(f"{name} must be a probability strictly between 0 and 1, not {value!r}")
        if not p and not self.keep_threshold <= self.review_threshold <= self.match_threshold:
            p.append("thresholds must satisfy keep_threshold <= review_threshold <= match_threshold")
        if not isinstance(self.seed, int) or self.seed < 0:
            p.append(f"seed must be a non-negative integer, not {self.seed!r}")
        if not isinstance(self.blocking_budget, int | float) or self.blocking_budget < 0:
            p.append(
                f"blocking_budget must be a number of pairs (0 for the core rules only), not {self.blocking_budget!r}"
            )
        if not isinstance(self.u_max_pairs, int | float) or self.u_max_pairs < 1e4:
            p.append(f"u_max_pairs must be at least 10,000, not {self.u_max_pairs!r}")
        if self.em_max_pairs is not None and (
            not isinstance(self.em_max_pairs, int | float) or self.em_max_pairs < 1e3
        ):
            p.append(f"em_max_pairs must be at least 1,000 or None (no cap), not {self.em_max_pairs!r}")
        if not isinstance(self.em_max_iterations, int) or not 1 <= self.em_max_iterations <= 1000:
            p.append(f"em_max_iterations must be an integer from 1 to 1000, not {self.em_max_iterations!r}")
        if not isinstance(self.em_convergence, int | float) or not 0 < self.em_convergence < 1:
            p.append(f"em_convergence must be between 0 and 1, not {self.em_convergence!r}")
        if not isinstance(self.deterministic_recall, int | float) or not 0 < self.deterministic_recall <= 1:
            p.append(f"deterministic_recall must be in (0, 1], not {self.deterministic_recall!r}")
        if not isinstance(self.duckdb_memory_limit, str) or not _MEMORY.match(self.duckdb_memory_limit.strip()):
            p.append(f"duckdb_memory_limit must look like '3GB' or '512MB', not {self.duckdb_memory_limit!r}")
        if self.threads is not None and (not isinstance(self.threads, int) or self.threads < 1):
            p.append(f"threads must be a positive integer or None (all cores), not {self.threads!r}")
        if not isinstance(self.spark_master, str) or not self.spark_master:
            p.append("spark_master must be a Spark master URL such as 'local[2]'")
        if not isinstance(self.spark_driver_memory, str) or not re.match(r"^\d+[kmgt]$", self.spark_driver_memory):
            p.append(f"spark_driver_memory must look like '2g', not {self.spark_driver_memory!r}")
        return p

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkageSettings:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SettingsError([f"unknown setting {k!r}" for k in unknown])
        return cls(**data)
