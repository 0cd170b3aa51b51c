"""A trained linkage model: comparison levels with their m and u, the prior, and term frequencies.

A :class:`TrainedModel` saves to JSON with its version: the comparison specification version and a content hash of
its parameters (``model.version``, e.g. ``"1-3f2a9c0d1e7b"``). Training builds one (:mod:`.training`); scoring and
explaining read it (:mod:`.scoring`, :mod:`.explaining`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import splink

from . import comparisons as spec
from .errors import ModelError
from .settings import LinkageSettings

MODEL_FORMAT = "csphub-linkage-model"


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
