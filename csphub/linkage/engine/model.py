"""The linkage model: train without labels, score pairs, cluster, explain, and link new records to a register.

Public functions (all take and return plain values; nothing here imports Django)::

    train(records, settings) -> TrainedModel             # u by random sampling, EM on blocked pairs, no labels
    predict(model, records) -> Predictions               # scored pairs within the records
    cluster(predictions, threshold) -> Clusters           # connected components of pairs at or above threshold
    explain(model, record_a, record_b) -> PairExplanation # why a pair scores as it does, field by field
    dedupe(records, settings) -> DedupeResult             # train, predict and cluster in one session
    link(model, register, incoming) -> Predictions        # a later extract against an existing register
    candidates(model, register, new_record, limit) -> list[ScoredPair]   # the duplicate check at the door
    LinkIndex(model, register).candidates(record, limit)  # the same, with the register prepared once

A :class:`TrainedModel` saves to JSON with its version: the comparison specification version and a content hash of
its parameters (``model.version``, e.g. ``"1-3f2a9c0d1e7b"``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import splink
from splink import Linker, SettingsCreator
from splink.internals.exceptions import SplinkException
from splink.internals.splink_dataframe import SplinkDataFrame

from csphub.common.progress import Steps, wanted

from . import comparisons as spec
from .backends import Backend, Features, open_backend
from .errors import InputError, ModelError
from .records import Record, RecordSet, RecordsLike, as_record_set
from .settings import LinkageSettings

MODEL_FORMAT = "csphub-linkage-model"
log = logging.getLogger("csphub.linkage")
MIN_EM_PAIRS = 50  # fewer pairs than this under a training rule: try the next one
PREDICTION_COLUMNS = ("unique_id_l", "unique_id_r", "match_weight", "match_probability")


# --- the model ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LevelParameters:
    """One comparison level: its label and the trained probabilities of a match (m) and non-match (u) in it."""

    label: str
    m: float | None
    u: float | None
    is_null: bool = False

    @property
    def match_weight(self) -> float | None:
        """log2(m / u): the evidence this level gives, before any term-frequency adjustment."""
        if self.is_null or not self.m or not self.u:
            return None
        return math.log2(self.m / self.u)


@dataclass(frozen=True)
class ComparisonParameters:
    name: str
    description: str
    levels: tuple[LevelParameters, ...]

    def label_for_gamma(self, gamma: int) -> str:
        """The label of the level Splink numbers ``gamma`` (-1 missing, 0 the last level, counting up)."""
        scored = [lv for lv in self.levels if not lv.is_null]
        if gamma < 0:
            nulls = [lv for lv in self.levels if lv.is_null]
            return nulls[0].label if nulls else "Missing"
        return scored[len(scored) - 1 - gamma].label


@dataclass(frozen=True)
class TrainedModel:
    """A trained model: comparison levels with their m and u, the prior, and term frequencies."""

    spec_version: int
    probability_two_random_records_match: float
    comparisons: tuple[ComparisonParameters, ...]
    term_frequencies: Mapping[str, Mapping[str, float]]
    settings: LinkageSettings
    trained_on: int
    created: str = ""
    splink_version: str = splink.__version__
    content_hash: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.content_hash:
            object.__setattr__(self, "content_hash", self._hash())

    @property
    def version(self) -> str:
        return f"{self.spec_version}-{self.content_hash[:12]}"

    @property
    def prior_match_weight(self) -> float:
        p = self.probability_two_random_records_match
        return math.log2(p / (1 - p))

    def _content(self) -> dict[str, Any]:
        return {
            "spec_version": self.spec_version,
            "probability_two_random_records_match": self.probability_two_random_records_match,
            "comparisons": [
                {
                    "name": c.name,
                    "description": c.description,
                    "levels": [{"label": lv.label, "m": lv.m, "u": lv.u, "is_null": lv.is_null} for lv in c.levels],
                }
                for c in self.comparisons
            ],
            "term_frequencies": {k: dict(sorted(v.items())) for k, v in sorted(self.term_frequencies.items())},
            "settings": self.settings.to_dict(),
            "trained_on": self.trained_on,
        }

    def _hash(self) -> str:
        text = json.dumps(self._content(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "version": self.version,
            "content_hash": self.content_hash,
            "created": self.created,
            "splink_version": self.splink_version,
            **self._content(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def save(self, path: str | Path) -> Path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_text(self.to_json(), encoding="utf-8")
        tmp.replace(target)
        return target

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrainedModel:
        if data.get("format") != MODEL_FORMAT:
            raise ModelError(f"not a csphub linkage model (format {data.get('format')!r})")
        if data.get("spec_version") != spec.SPEC_VERSION:
            raise ModelError(
                f"the model was trained with comparison specification {data.get('spec_version')}, this csphub uses "
                f"{spec.SPEC_VERSION}: train it again"
            )
        try:
            model = cls(
                spec_version=int(data["spec_version"]),
                probability_two_random_records_match=float(data["probability_two_random_records_match"]),
                comparisons=tuple(
                    ComparisonParameters(
                        name=c["name"],
                        description=c["description"],
                        levels=tuple(
                            LevelParameters(lv["label"], lv["m"], lv["u"], bool(lv["is_null"])) for lv in c["levels"]
                        ),
                    )
                    for c in data["comparisons"]
                ),
                term_frequencies={k: dict(v) for k, v in data["term_frequencies"].items()},
                settings=LinkageSettings.from_dict(dict(data["settings"])),
                trained_on=int(data["trained_on"]),
                created=str(data.get("created", "")),
                splink_version=str(data.get("splink_version", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"the model file is incomplete or damaged: {exc!r}") from None
        if data.get("content_hash") and data["content_hash"] != model.content_hash:
            raise ModelError("the model's content does not match its content hash: it was changed after training")
        return model

    @classmethod
    def load(cls, path: str | Path) -> TrainedModel:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ModelError(f"{path}: cannot be read as a model: {exc}") from None
        return cls.from_dict(data)

    def with_settings(self, **changes: Any) -> TrainedModel:
        """The same parameters with other run settings (backend, thresholds); the version changes with them."""
        return replace(self, settings=replace(self.settings, **changes), content_hash="")


# --- results ---------------------------------------------------------------------------------------------------
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


@dataclass(frozen=True)
class DedupeResult:
    model: TrainedModel
    predictions: Predictions
    clusters: Clusters
    timings: Mapping[str, float]


# --- Splink settings -------------------------------------------------------------------------------------------
def _settings_dict(
    dialect: str, settings: LinkageSettings, model: TrainedModel | None, rules: Sequence[Any] | None = None
) -> dict[str, Any]:
    creator = SettingsCreator(
        link_type="dedupe_only",
        comparisons=list(spec.comparisons(dialect, tf=settings.term_frequency_adjustments)),
        blocking_rules_to_generate_predictions=list(rules if rules is not None else spec.core_blocking_rules()),  # type: ignore[arg-type]
        probability_two_random_records_match=(model.probability_two_random_records_match if model else 1e-4),
        em_convergence=settings.em_convergence,
        max_iterations=settings.em_max_iterations,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        unique_id_column_name="unique_id",
    )
    data = creator.create_settings_dict(dialect)
    if model is not None:
        if len(model.comparisons) != len(data["comparisons"]):
            raise ModelError("the model's comparisons do not match this csphub's comparison specification")
        for trained, comparison in zip(model.comparisons, data["comparisons"], strict=True):
            levels = comparison["comparison_levels"]
            if len(levels) != len(trained.levels):
                raise ModelError(f"comparison {trained.name}: the model's levels do not match the specification")
            for level, params in zip(levels, trained.levels, strict=True):
                if not level.get("is_null_level"):
                    level["m_probability"] = params.m
                    level["u_probability"] = params.u
    return data


UNSEEN = 1e-6  # m and u of a level never seen in training: weight 0, it neither helps nor hurts


def _neutral(m: float | None, u: float | None, is_null: bool) -> tuple[float | None, float | None]:
    """A level training never saw (m or u missing) is given no weight rather than Splink's defaults."""
    if is_null:
        return None, None
    if m is None and u is None:
        return UNSEEN, UNSEEN
    if m is None:
        return u, u
    if u is None:
        return m, m
    return m, u


def _parameters(linker: Linker) -> tuple[float, tuple[ComparisonParameters, ...]]:
    trained = linker.misc.save_model_to_json()
    comparisons = []
    for comparison in trained["comparisons"]:
        levels = tuple(
            LevelParameters(
                str(level.get("label_for_charts", level["sql_condition"])),
                *_neutral(
                    level.get("m_probability"), level.get("u_probability"), bool(level.get("is_null_level", False))
                ),
                is_null=bool(level.get("is_null_level", False)),
            )
            for level in comparison["comparison_levels"]
        )
        comparisons.append(
            ComparisonParameters(
                name=comparison["output_column_name"],
                description=spec.DESCRIPTIONS.get(comparison["output_column_name"], comparison["output_column_name"]),
                levels=levels,
            )
        )
    return float(trained["probability_two_random_records_match"]), tuple(comparisons)


def _level_m(comparisons: Sequence[ComparisonParameters], name: str, index: int) -> float:
    comparison = next((c for c in comparisons if c.name == name), None)
    return float(comparison.levels[index].m or 0.0) if comparison is not None else 0.0


@dataclass(frozen=True)
class HouseholdCounts:
    """Pair counts behind the household correction (see :func:`household_weights`)."""

    pairs: int  # all pairs of records
    surname: int  # pairs with the same surname
    address: int  # pairs at the same postcode and house number
    dob: int  # pairs with the same full date of birth
    household_different_given: int  # same surname and address, given names plainly different
    twins_different_given: int  # … and the same date of birth
    different_given_share: float  # how often two random records' given names are plainly different


def household_weights(
    counts: HouseholdCounts,
    prior: float,
    m_surname: float,
    m_address: float,
    m_dob: float,
    m_given_different: float = 0.0,
    min_pairs: int = 5,
) -> tuple[float, float]:
    """The household corrections (both <= 0): how much less sharing a surname and an address (and then a date of
    birth) says than the separate comparisons add up to.

    Among non-matches, agreeing on both happens far more often than the product of agreeing on each (people live
    with their families), so the correction is log2(u_s * u_a / u_sa), and likewise log2(u_sa * u_d / u_sad) for
    a date of birth shared within a household (twins). u_s, u_a and u_d count the pairs that agree, less the
    matches expected among them; u_sa and u_sad count only pairs whose given names are plainly different (those
    are not the same person), less the matches expected among them too (``m_given_different``: some
    registers replace or garble given names), scaled by how often given names are plainly different at random.
    Data without households (no excess of such pairs over what the matches explain) gets no correction.
    """
    total = counts.pairs
    if total <= 0 or counts.different_given_share <= 0:
        return 0.0, 0.0
    matches = prior * total
    u_s = (counts.surname - matches * m_surname) / total
    u_a = (counts.address - matches * m_address) / total
    u_d = (counts.dob - matches * m_dob) / total
    household = twins = 0.0
    share = counts.different_given_share
    excess_sa = counts.household_different_given - matches * m_surname * m_address * m_given_different
    excess_sad = counts.twins_different_given - matches * m_surname * m_address * m_dob * m_given_different
    # Only an excess that the matches clearly do not explain (at least half of what is seen) counts.
    if excess_sa >= max(min_pairs, counts.household_different_given / 2) and min(u_s, u_a) > 0:
        u_sa = excess_sa / share / total
        household = math.log2(u_s * u_a / u_sa)
        # Twins are a few in a hundred pairs of siblings: a larger share means the pairs are the same people
        # with a garbled given name, not twins.
        plausible = excess_sad <= 0.1 * excess_sa
        if plausible and excess_sad >= max(min_pairs, counts.twins_different_given / 2) and u_d > 0:
            u_sad = excess_sad / share / total
            twins = math.log2(u_sa * u_d / u_sad)
    return min(household, 0.0), min(twins, 0.0)


def _household_counts(backend: Backend, features: Features) -> HouseholdCounts:
    t = features.table

    def grouped(columns: str) -> int:
        present = " AND ".join(f"{c.strip()} IS NOT NULL" for c in columns.split(","))
        rows = backend.con.execute(
            f"SELECT coalesce(sum(c * (c - 1) // 2), 0) FROM "
            f"(SELECT count(*)::BIGINT AS c FROM {t} WHERE {present} GROUP BY {columns})"
        ).fetchall()
        return int(rows[0][0])

    differs = (
        "l.given IS NOT NULL AND r.given IS NOT NULL AND l.given_init <> r.given_init "
        "AND l.given_mp <> r.given_mp AND len(list_intersect(l.given_nick, r.given_nick)) = 0"
    )
    household, twins = backend.con.execute(
        f"""
        SELECT count(*) FILTER (WHERE {differs}), count(*) FILTER (WHERE {differs} AND l.dob = r.dob)
        FROM {t} l JOIN {t} r
          ON l.family = r.family AND l.postcode = r.postcode AND l.house_number = r.house_number
         AND l.unique_id < r.unique_id
        """
    ).fetchall()[0]
    shares = backend.con.execute(
        f"SELECT coalesce(sum(p * p), 1) FROM (SELECT count(*) / sum(count(*)) OVER () AS p FROM {t} "
        f"WHERE given_init IS NOT NULL GROUP BY given_init)"
    ).fetchall()[0][0]
    n = features.n
    return HouseholdCounts(
        pairs=n * (n - 1) // 2,
        surname=grouped("family"),
        address=grouped("postcode, house_number"),
        dob=grouped("dob"),
        household_different_given=int(household),
        twins_different_given=int(twins),
        different_given_share=1.0 - float(shares),
    )


def _prior_from_exact_agreement(
    backend: Backend, features: Features, comparisons: Sequence[ComparisonParameters], fallback: float
) -> float:
    """How likely two random records are the same person, re-estimated once m is known.

    Pairs agreeing exactly on given name, surname and date of birth are almost all matches; the share of matches
    that agree so is (assuming errors strike fields independently) the product of the three exact levels' m. The
    first estimate (before training) had to assume that share (``deterministic_recall``)."""
    recall = (
        _level_m(comparisons, "given_name", 1)
        * _level_m(comparisons, "family_name", 1)
        * _level_m(comparisons, "date_of_birth", 1)
    )
    n = features.n
    total = n * (n - 1) / 2
    if recall <= 0.05 or total <= 0:
        return fallback
    agreeing = backend.con.execute(
        f"SELECT coalesce(sum(c * (c - 1) // 2), 0) FROM (SELECT count(*)::BIGINT AS c FROM {features.table} "
        "WHERE given IS NOT NULL AND family IS NOT NULL AND dob IS NOT NULL GROUP BY given, family, dob)"
    ).fetchall()[0][0]
    prior = float(agreeing) / recall / total
    return prior if 0 < prior < 0.5 else fallback


def _with_household_correction(
    backend: Backend, features: Features, prior: float, comparisons: tuple[ComparisonParameters, ...]
) -> tuple[ComparisonParameters, ...]:
    counts = _household_counts(backend, features)
    household, twins = household_weights(
        counts,
        prior,
        _level_m(comparisons, "family_name", 1),
        _level_m(comparisons, "address", 1),
        _level_m(comparisons, "date_of_birth", 1),
        _level_m(comparisons, "given_name", -1),
    )
    log.info("household counts %s: corrections %.2f, %.2f", counts, household, twins)
    out = []
    for c in comparisons:
        if c.name != "household":
            out.append(c)
            continue
        weights = (household + twins, household, 0.0)
        levels = tuple(
            replace(level, m=spec.NEUTRAL * 2**w, u=spec.NEUTRAL) for level, w in zip(c.levels, weights, strict=True)
        )
        out.append(replace(c, levels=levels))
    return tuple(out)


def _term_frequencies(backend: Backend, features: Features, min_count: int = 2) -> dict[str, dict[str, float]]:
    """Relative frequency of each value of the term-frequency columns (values seen fewer than ``min_count``
    times are left out and count as the rarest, ``"": 1/n``)."""
    out: dict[str, dict[str, float]] = {}
    for column in spec.TF_COLUMNS:
        table = backend.con.sql(
            f"SELECT CAST({column} AS VARCHAR) AS v, count(*) AS n FROM {features.table} "
            f"WHERE {column} IS NOT NULL GROUP BY {column}"
        ).to_arrow_table()
        values = table.column("v").to_pylist()
        counts = table.column("n").to_pylist()
        total = sum(counts) or 1
        freq = {v: round(n / total, 9) for v, n in zip(values, counts, strict=True) if n >= min_count}
        freq[""] = round(1 / total, 12)
        out[column] = freq
    return out


def _linker(
    backend: Backend,
    inputs: Features,
    settings: LinkageSettings,
    model: TrainedModel | None,
    rules: Sequence[Any] | None = None,
) -> Linker:
    return Linker(inputs.sdf, _settings_dict(backend.dialect, settings, model, rules), log_level=None)


def _rules(backend: Backend, features: Features, settings: LinkageSettings) -> list[Any]:
    """The core blocking rules and the wider ones that fit the budget for these records."""
    return spec.blocking_rules(lambda cols: backend.count_pairs(features, cols), settings.blocking_budget)


# --- sessions: one backend, features derived once --------------------------------------------------------------
@contextmanager
def _session(settings: LinkageSettings) -> Iterator[Backend]:
    backend = open_backend(settings)
    with quiet_splink():
        try:
            yield backend
        finally:
            backend.close()


@contextmanager
def quiet_splink() -> Iterator[None]:
    """Keep Splink's own chatter (levels not seen in training, the household correction having no null level by
    design, sampling notes) out of the output unless csphub's linkage log is at DEBUG; its errors still show."""
    splink_log = logging.getLogger("splink")
    before = splink_log.level
    if not log.isEnabledFor(logging.DEBUG):
        splink_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        splink_log.setLevel(before)


def _check_records(records: RecordSet, what: str = "records") -> None:
    if len(records) == 0:
        raise InputError(f"There are no {what} to link")
    records.require_unique_keys()


def _train(
    backend: Backend, features: Features, n: int, settings: LinkageSettings, rules: Sequence[Any] | None = None
) -> tuple[Linker, TrainedModel]:
    linker = _linker(backend, features, settings, None, rules)
    training = linker.training
    try:
        training.estimate_probability_two_random_records_match(
            list(spec.deterministic_rules()), recall=settings.deterministic_recall
        )
    except SplinkException:
        log.info("no pair agrees on the deterministic rules: the prior stays at its default")
    training.estimate_u_using_random_sampling(
        max_pairs=settings.u_max_pairs, seed=settings.seed, min_count_per_level=None, num_chunks=1
    )
    for alternatives in spec.training_rules():
        # The first alternative with enough pairs (Splink leaves its settings changed when a rule has none).
        usable = next((r for r in alternatives if backend.rule_pairs(features, spec.rule_sql(r)) >= MIN_EM_PAIRS), None)
        if usable is None:
            log.info("no training rule of %s has pairs: skipped", [spec.rule_sql(r) for r in alternatives])
            continue
        training.estimate_parameters_using_expectation_maximisation(
            usable,
            estimate_without_term_frequencies=True,
            max_pairs=min(settings.em_max_pairs, n * n) if settings.em_max_pairs else None,
        )
    prior, comparisons = _parameters(linker)
    prior = _prior_from_exact_agreement(backend, features, comparisons, prior)
    comparisons = _with_household_correction(backend, features, prior, comparisons)
    model = TrainedModel(
        spec_version=spec.SPEC_VERSION,
        probability_two_random_records_match=prior,
        comparisons=comparisons,
        term_frequencies=_term_frequencies(backend, features),
        settings=settings,
        trained_on=n,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    return linker, model


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


def train(records: RecordsLike, settings: LinkageSettings | None = None) -> TrainedModel:
    """Train a model on ``records`` without labels: the prior from near-certain pairs, u from random pairs, m by
    expectation maximisation on blocked pairs (capped at ``settings.em_max_pairs``)."""
    settings = settings or LinkageSettings()
    record_set = as_record_set(records)
    _check_records(record_set)
    with _session(settings) as backend:
        features = backend.register_features(record_set)
        _, model = _train(backend, features, len(record_set), settings)
    return model


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


# --- explanations ----------------------------------------------------------------------------------------------
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
    settings = replace(settings or model.settings, backend="duckdb")
    a = replace(record_a, source=record_a.source or "a", record_id=record_a.record_id or "a")
    b = replace(record_b, source=record_b.source or "b", record_id=record_b.record_id or "b")
    if a.key == b.key:
        b = replace(b, source=b.source + "·2")
    records = RecordSet.from_records([a, b])
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
        left = backend.register_arrow(pa.Table.from_pylist([rows[0]], schema=schema), "left")
        right = backend.register_arrow(pa.Table.from_pylist([rows[1]], schema=schema), "right")
        scored = linker.inference.score_pair(left, right)
        result = backend.fetch(scored, ["*"]).to_pylist()[0]
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
                values_a={c: rows[0].get(c) for c in _EXPLAIN_VALUES.get(name, ())},
                values_b={c: rows[1].get(c) for c in _EXPLAIN_VALUES.get(name, ())},
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
