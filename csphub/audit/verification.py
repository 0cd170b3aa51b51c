"""Verify the stored audit log against its keyed hash chain and the signed checkpoints kept outside the database,
and write those checkpoints."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from csphub.audit import checkpoints
from csphub.audit.chain import GENESIS_HASH, HASHED_FIELDS, LEGACY_VERSION, VerifyResult, verify
from csphub.audit.keys import chain_key, checkpoint_key, key_id
from csphub.audit.log import head
from csphub.audit.models import AuditEntry

_FIELDS = (*HASHED_FIELDS, "hash", "hash_version")


def checkpoint_dir(directory: Path | None = None) -> Path:
    return Path(directory) if directory is not None else Path(settings.CSPHUB_AUDIT_CHECKPOINT_DIR)


def _rows(progress: Callable[[int], None] | None, after: int = 0, upto: int | None = None) -> Iterator[dict[str, Any]]:
    rows = AuditEntry.objects.order_by("seq").filter(seq__gt=after)
    if upto is not None:
        rows = rows.filter(seq__lte=upto)
    for n, row in enumerate(rows.values(*_FIELDS).iterator(chunk_size=5000), 1):
        if progress is not None and n % 50_000 == 0:
            progress(n)
        yield row


@dataclass(frozen=True)
class CheckpointProblem:
    path: Path
    seq: int | None  # the first entry it shows bad, if it shows one
    reason: str

    def __str__(self) -> str:
        return f"checkpoint {self.path.name}: {self.reason}"


def _keyed_from(loaded: Sequence[checkpoints.Loaded]) -> int | None:
    """The first entry that must be keyed, by the signed checkpoints (the strictest if they differ)."""
    return min((item.checkpoint.keyed_from for item in loaded if item.checkpoint is not None), default=None)


def check_checkpoints(loaded: Sequence[checkpoints.Loaded], head_seq: int) -> list[CheckpointProblem]:
    """Each checkpoint's signature, and its entry: still there, with the hash it recorded."""
    problems = [CheckpointProblem(item.path, None, item.problem) for item in loaded if item.checkpoint is None]
    good = [item for item in loaded if item.checkpoint is not None and item.checkpoint.head_seq > 0]
    wanted = sorted({item.checkpoint.head_seq for item in good if item.checkpoint is not None})
    stored: dict[int, str] = {}
    for i in range(0, len(wanted), 500):
        stored.update(AuditEntry.objects.filter(seq__in=wanted[i : i + 500]).values_list("seq", "hash"))
    for item in good:
        point = item.checkpoint
        assert point is not None
        if point.head_seq not in stored:
            first = min(head_seq, point.head_seq - 1) + 1
            problems.append(
                CheckpointProblem(
                    item.path,
                    first,
                    f"it records entry #{point.head_seq} (checkpointed {point.at}), which is no longer in the log: "
                    f"entries #{first}–#{point.head_seq} were removed (the log's head is now at #{head_seq})",
                )
            )
        elif stored[point.head_seq] != point.head_hash:
            problems.append(
                CheckpointProblem(
                    item.path,
                    point.head_seq,
                    f"entry #{point.head_seq} no longer has the hash it recorded on {point.at}: the log was "
                    f"rewritten at or before entry #{point.head_seq}",
                )
            )
    problems.sort(key=lambda p: (p.seq is None, p.seq or 0, p.path.name))
    return problems


def verify_log(progress: Callable[[int], None] | None = None, *, directory: Path | None = None) -> VerifyResult:
    """Check the whole chain (with the audit key) and every checkpoint of the checkpoint directory. The result
    names the first bad entry; ``problems`` lists every checkpoint that failed."""
    loaded = checkpoints.load_dir(checkpoint_dir(directory), checkpoint_key())
    head_seq, head_hash = head()
    result = verify(_rows(progress), head_seq, head_hash, key=chain_key(), keyed_from=_keyed_from(loaded))
    problems = check_checkpoints(loaded, head_seq)
    result = replace(result, checkpoints=len(loaded), problems=tuple(str(p) for p in problems))
    if result.ok and problems:
        first = problems[0]
        return replace(result, ok=False, first_bad_seq=first.seq, reason=str(first), bad_checkpoint=first.path.name)
    return result


class CheckpointRefused(RuntimeError):
    """The log or the existing checkpoints failed verification: a new checkpoint would vouch for a bad log."""


@dataclass(frozen=True)
class Written:
    checkpoint: checkpoints.Checkpoint
    path: Path
    new: bool  # False: the head had not moved since this checkpoint, nothing was written
    checked: int  # entries verified since the previous checkpoint


def write_checkpoint(directory: Path | None = None) -> Written:
    """Write a signed checkpoint of the chain's head, after checking the existing checkpoints against the log and
    the chain from the newest of them to the head (the entries before it are pinned by it). Safe to re-run: when
    the head has not moved since the newest checkpoint, nothing is written."""
    directory = checkpoint_dir(directory)
    key = checkpoint_key()
    loaded = checkpoints.load_dir(directory, key)
    head_seq, head_hash = head()
    problems = check_checkpoints(loaded, head_seq)
    if problems:
        raise CheckpointRefused("; ".join(str(p) for p in problems))
    last = checkpoints.newest(loaded)
    if last is not None and (last.head_seq, last.head_hash) == (head_seq, head_hash):
        return Written(last, directory / last.filename, False, 0)
    if last is not None and last.head_seq > head_seq:
        raise CheckpointRefused(f"checkpoint {last.filename} is ahead of the log's head #{head_seq}")
    start_seq = last.head_seq if last is not None else 0
    keyed_from = last.keyed_from if last is not None else _first_keyed_seq()
    result = verify(
        _rows(None, after=start_seq, upto=head_seq),
        head_seq,
        head_hash,
        key=chain_key(),
        keyed_from=keyed_from,
        start_seq=start_seq + 1,
        start_hash=last.head_hash if last is not None else GENESIS_HASH,
        keyed=start_seq >= keyed_from,
    )
    if not result.ok:
        raise CheckpointRefused(f"entry #{result.first_bad_seq}: {result.reason}")
    count = AuditEntry.objects.filter(seq__lte=head_seq).count()
    point = checkpoints.make(head_seq, head_hash, count, keyed_from, timezone.now(), key_id(key))
    path = checkpoints.write(directory, point, key)
    return Written(point, path, True, result.checked)


def _first_keyed_seq() -> int:
    """The seq from which every entry must be keyed: the one after the last unkeyed (v1) entry."""
    last_legacy = (
        AuditEntry.objects.filter(hash_version=LEGACY_VERSION).order_by("-seq").values_list("seq", flat=True).first()
    )
    return (last_legacy or 0) + 1
