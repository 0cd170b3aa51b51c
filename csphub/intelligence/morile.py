"""MoRiLE-style assessments of organised crime groups as versioned configuration, and their scoring. No Django.

As the risk assessments' question sets (``csphub.assessments.engine``), the dimensions, weights, levels and
thresholds are data a partnership changes without a release (``definitions/morile.json``), and every assessment
records the definition's ``version`` and ``digest``. Schema (``load`` checks every field and reports all problems)::

    {"key": "morile", "version": "2026-1", "title": "…", "source": "…", "description": "…" (optional),
     "dimensions": [{"id": "harm", "label": "Harm", "weight": 3, "help": "…" (optional)}, …],   # weights >= 0
     "levels": [{"value": 0, "label": "None"}, …],          # the scale every dimension is scored on, ascending
     "confidence": [{"value": "low", "label": "…"}, …],    # qualifies the assessment; not scored
     "thresholds": [{"level": "high", "min": 16, "label": "…"}, …]}   # highest first, the last min 0

Scoring (MoRiLE's matrix reduced to a weighted sum): total = Σ weight(dimension) × level chosen; the priority is
the first threshold from the top whose ``min`` the total reaches. Confidence is reported beside the priority.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_REQUIRED = ("key", "version", "title", "source", "dimensions", "levels", "confidence", "thresholds")
_OPTIONAL = ("description",)


class DefinitionError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{len(problems)} problem(s) in the MoRiLE definition:\n- " + "\n- ".join(problems))


class ScoreError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    weight: int
    help: str = ""


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Threshold:
    level: str
    min: int
    label: str


@dataclass(frozen=True)
class Definition:
    key: str
    version: str
    title: str
    source: str
    dimensions: tuple[Dimension, ...]
    levels: tuple[tuple[int, str], ...]
    confidence: tuple[Option, ...]
    thresholds: tuple[Threshold, ...]
    description: str = ""
    digest: str = ""
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def max_total(self) -> int:
        top = max(v for v, _ in self.levels)
        return sum(d.weight for d in self.dimensions) * top

    def level_label(self, value: int) -> str:
        return dict(self.levels).get(value, str(value))

    def confidence_label(self, value: str) -> str:
        return next((o.label for o in self.confidence if o.value == value), value)


@dataclass(frozen=True)
class Result:
    version: str
    digest: str
    scores: Mapping[str, int]
    confidence: str
    total: int
    max_total: int
    level: str
    level_label: str
    reasons: tuple[str, ...]


def _problems(raw: object) -> list[str]:
    if not isinstance(raw, dict):
        return ["the definition must be a JSON object"]
    problems = [f"missing field {k!r}" for k in _REQUIRED if k not in raw]
    problems += [f"unknown field {k!r}" for k in raw if k not in _REQUIRED + _OPTIONAL]
    for k in ("key", "version", "title", "source"):
        if k in raw and not (isinstance(raw[k], str) and raw[k].strip()):
            problems.append(f"{k!r} must be non-empty text")
    dims = raw.get("dimensions")
    if not isinstance(dims, list) or not dims:
        problems.append("'dimensions' must be a non-empty list")
    else:
        seen: set[str] = set()
        for i, d in enumerate(dims, 1):
            if not isinstance(d, dict) or not isinstance(d.get("id"), str) or not _ID.match(d["id"]):
                problems.append(f"dimension {i}: needs an 'id' of lower-case letters, digits or '_'")
                continue
            if d["id"] in seen:
                problems.append(f"dimension {i}: the id {d['id']!r} is used twice")
            seen.add(d["id"])
            weight = d.get("weight")
            if not isinstance(weight, int) or isinstance(weight, bool) or weight < 0:
                problems.append(f"dimension {d['id']}: 'weight' must be a whole number of 0 or more")
            if not isinstance(d.get("label"), str) or not d["label"].strip():
                problems.append(f"dimension {d['id']}: 'label' must be non-empty text")
    levels = raw.get("levels")
    if not isinstance(levels, list) or not levels:
        problems.append("'levels' must be a non-empty list")
    else:
        values = [lv.get("value") if isinstance(lv, dict) else None for lv in levels]
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values):
            problems.append("levels: each 'value' must be a whole number of 0 or more")
        elif values != sorted(set(values)):  # type: ignore[type-var]
            problems.append("levels: values must be listed from the lowest up, each once")
    conf = raw.get("confidence")
    if not isinstance(conf, list) or not conf or not all(isinstance(c, dict) and c.get("value") for c in conf):
        problems.append("'confidence' must be a non-empty list of {value, label}")
    thresholds = raw.get("thresholds")
    if not isinstance(thresholds, list) or not thresholds:
        problems.append("'thresholds' must be a non-empty list")
    else:
        mins = [t.get("min") if isinstance(t, dict) else None for t in thresholds]
        if not all(isinstance(m, int) and not isinstance(m, bool) and m >= 0 for m in mins):
            problems.append("thresholds: each 'min' must be a whole number of 0 or more")
        else:
            if any(b >= a for a, b in itertools.pairwise(mins)):  # type: ignore[operator]
                problems.append("thresholds: must be listed from the highest 'min' down with no two the same")
            if mins[-1] != 0:
                problems.append("thresholds: the lowest must have min 0 so every total gets a level")
    return problems


def load(source: str | Path | Mapping[str, Any]) -> Definition:
    """Validate a definition (a JSON file's path or the data) and build it; ``DefinitionError`` lists problems."""
    if isinstance(source, Mapping):
        raw: Any = copy.deepcopy(dict(source))
    else:
        try:
            raw = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise DefinitionError([f"cannot read {source}: {exc}"]) from exc
    problems = _problems(raw)
    if problems:
        raise DefinitionError(problems)
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return Definition(
        key=raw["key"].strip(),
        version=raw["version"].strip(),
        title=raw["title"].strip(),
        source=raw["source"].strip(),
        dimensions=tuple(Dimension(d["id"], d["label"], d["weight"], d.get("help", "")) for d in raw["dimensions"]),
        levels=tuple((lv["value"], str(lv.get("label", lv["value"]))) for lv in raw["levels"]),
        confidence=tuple(Option(str(c["value"]), str(c.get("label", c["value"]))) for c in raw["confidence"]),
        thresholds=tuple(Threshold(t["level"], t["min"], str(t.get("label", t["level"]))) for t in raw["thresholds"]),
        description=str(raw.get("description", "")),
        digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        data=raw,
    )


def shipped() -> Definition:
    return load(DEFINITIONS_DIR / "morile.json")


def score(definition: Definition, scores: Mapping[str, int], confidence: str) -> Result:
    """Score an assessment: a level for every dimension, and a confidence."""
    problems: list[str] = []
    values = {v for v, _ in definition.levels}
    ids = {d.id for d in definition.dimensions}
    for d in definition.dimensions:
        if d.id not in scores:
            problems.append(f"{d.label}: choose a level")
        elif scores[d.id] not in values:
            problems.append(f"{d.label}: {scores[d.id]!r} is not a level of version {definition.version}")
    problems += [f"unknown dimension {k!r} in version {definition.version}" for k in scores if k not in ids]
    if confidence not in {o.value for o in definition.confidence}:
        problems.append("Choose how confident the assessment is")
    if problems:
        raise ScoreError(problems)
    total = sum(d.weight * scores[d.id] for d in definition.dimensions)
    threshold = next(t for t in definition.thresholds if total >= t.min)
    reasons = [
        f"{definition.title} (version {definition.version}): {total} out of a possible {definition.max_total}.",
        *(
            f"{d.label}: {definition.level_label(scores[d.id])} ({scores[d.id]}) × weight {d.weight}"
            f" = {d.weight * scores[d.id]}."
            for d in definition.dimensions
        ),
        f"{total} reaches {threshold.min}: {threshold.label}.",
        f"Confidence: {definition.confidence_label(confidence)}.",
    ]
    return Result(
        definition.version,
        definition.digest,
        dict(scores),
        confidence,
        total,
        definition.max_total,
        threshold.level,
        threshold.label,
        tuple(reasons),
    )
