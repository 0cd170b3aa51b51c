"""What training, scoring and explaining share: one backend per session (the comparison columns derived once),
Splink's settings built from csphub's comparison specification and a trained model, and the record checks."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from splink import Linker, SettingsCreator

from . import comparisons as spec
from .backends import Backend, Features, open_backend
from .errors import InputError, ModelError
from .records import RecordSet
from .settings import LinkageSettings
from .trained import TrainedModel

log = logging.getLogger("csphub.linkage")


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
