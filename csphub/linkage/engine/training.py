"""Training without labels: u by random sampling, m by expectation maximisation on blocked pairs, then the prior
re-estimated and the household correction::

    train(records, settings) -> TrainedModel             # u by random sampling, EM on blocked pairs, no labels
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from splink import Linker
from splink.internals.exceptions import SplinkException

from . import comparisons as spec
from .backends import Backend, Features
from .records import RecordsLike, as_record_set
from .session import _check_records, _linker, _session
from .settings import LinkageSettings
from .trained import ComparisonParameters, LevelParameters, TrainedModel

log = logging.getLogger("csphub.linkage")
MIN_EM_PAIRS = 50  # fewer pairs than this under a training rule: try the next one


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
