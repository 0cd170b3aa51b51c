"""The linkage engine: plain Python (no Django), usable as a library, by ``csphub link …`` and by the benchmarks.

Importing legacy registers::

    parsed = parse_source("data/legacy/kettering.toml")       # -> ParsedSource: records, quarantined rows
    parsed.records, parsed.quarantined, parsed.file_sha256, parsed.row_keys()

Linking people::

    model = train(records, LinkageSettings())                   # -> TrainedModel (save/load as JSON, versioned)
    predictions = predict(model, records)                       # -> Predictions (scored pairs)
    clusters = cluster(predictions, threshold=0.7)              # -> Clusters (one cluster id per record)
    explain(model, record_a, record_b)                          # -> PairExplanation, field by field
    explain_many(model, pairs)                                  # -> [PairExplanation], one linker for all
    dedupe(records, settings)                                   # -> DedupeResult (all of the above, timed)
    link(model, register, incoming)                             # -> Predictions between a new extract and a register
    candidates(model, register, new_record, limit=10)           # -> list[ScoredPair], the check at the door

See ``docs/linkage.md``.
"""

from .clustering import Clusters, cluster
from .errors import InputError, LinkageError, MappingError, ModelError, SettingsError, SourceFileError
from .explaining import FieldExplanation, PairExplanation, explain, explain_many
from .mapping import SourceMapping, load_mapping, mapping_from_dict, mapping_to_toml
from .parse import ParsedSource, QuarantinedRow, RowWarning, file_sha256, parse_source, row_key
from .pipeline import DedupeResult, dedupe
from .records import Record, RecordSet
from .scoring import LinkIndex, Predictions, ScoredPair, candidates, link, predict
from .settings import LinkageSettings
from .trained import TrainedModel
from .training import train

__all__ = [
    "Clusters",
    "DedupeResult",
    "FieldExplanation",
    "InputError",
    "LinkIndex",
    "LinkageError",
    "LinkageSettings",
    "MappingError",
    "ModelError",
    "PairExplanation",
    "ParsedSource",
    "Predictions",
    "QuarantinedRow",
    "Record",
    "RecordSet",
    "RowWarning",
    "ScoredPair",
    "SettingsError",
    "SourceFileError",
    "SourceMapping",
    "TrainedModel",
    "candidates",
    "cluster",
    "dedupe",
    "explain",
    "explain_many",
    "file_sha256",
    "link",
    "load_mapping",
    "mapping_from_dict",
    "mapping_to_toml",
    "parse_source",
    "predict",
    "row_key",
    "train",
]
