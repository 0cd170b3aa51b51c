"""Signed checkpoints of the audit chain, kept outside the database.

A checkpoint is a small JSON file recording the chain head at a moment (its ``seq`` and ``hash``), the number of
entries, the time and the first entry that must be keyed (``keyed_from``), signed with an HMAC under the checkpoint
key (``csphub.audit.keys``). The database cannot vouch for itself: someone able to write to it could delete the
last entries and move the head back, or rewrite a whole tail. A checkpoint written before that names an entry that
must still be there with the same hash, and since each entry's hash covers the one before it, that pins every
entry up to it. ``csphub audit verify`` checks every checkpoint of the directory; ``csphub audit checkpoint``
writes one (after checking the chain since the last one), and does nothing when the head has not moved.

Copy the directory off the database's host (or write it to storage the database's administrators cannot change):
the checkpoints are worth what their storage is.
"""

from __future__ import annotations

import hmac
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from csphub.audit.chain import GENESIS_HASH, canonical_time

FORMAT = "csphub-audit-checkpoint/1"
_FIELDS = ("format", "head_seq", "head_hash", "count", "keyed_from", "at", "key_id")


@dataclass(frozen=True)
class Checkpoint:
    head_seq: int
    head_hash: str
    count: int
    keyed_from: int  # entries from this seq on must be keyed (v2)
    at: str  # canonical UTC time
    key_id: str  # which checkpoint key signed it (a fingerprint, not the key)

    @property
    def filename(self) -> str:
        return f"csphub-audit-{self.head_seq:012d}.json"

    def payload(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "count": self.count,
            "keyed_from": self.keyed_from,
            "at": self.at,
            "key_id": self.key_id,
        }


class BadCheckpoint(ValueError):
    """A checkpoint file that cannot be trusted: unreadable, malformed or with a bad signature."""


def _signed_text(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(checkpoint: Checkpoint, key: bytes) -> str:
    return hmac.new(key, _signed_text(checkpoint.payload()), "sha256").hexdigest()


def make(head_seq: int, head_hash: str, count: int, keyed_from: int, at: datetime, key_id: str) -> Checkpoint:
    return Checkpoint(head_seq, head_hash, count, keyed_from, canonical_time(at), key_id)


def dumps(checkpoint: Checkpoint, key: bytes) -> str:
    return json.dumps({**checkpoint.payload(), "signature": sign(checkpoint, key)}, indent=2, sort_keys=True) + "\n"


def loads(text: str, key: bytes) -> Checkpoint:
    """Parse a checkpoint and check its signature; ``BadCheckpoint`` says why it cannot be trusted."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BadCheckpoint(f"it is not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadCheckpoint(f"it is not a {FORMAT} file")
    if set(data) != {*_FIELDS, "signature"}:
        raise BadCheckpoint("its fields are not a checkpoint's")
    try:
        checkpoint = Checkpoint(
            head_seq=_int(data["head_seq"]),
            head_hash=_hex(data["head_hash"]),
            count=_int(data["count"]),
            keyed_from=_int(data["keyed_from"]),
            at=str(data["at"]),
            key_id=str(data["key_id"]),
        )
    except (TypeError, ValueError) as exc:
        raise BadCheckpoint(f"a field is malformed ({exc})") from None
    if not hmac.compare_digest(sign(checkpoint, key), str(data["signature"])):
        raise BadCheckpoint(
            "its signature is bad: it was altered, or signed with another checkpoint key "
            f"(signed with key {checkpoint.key_id})"
        )
    return checkpoint


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{value!r} is not a whole number")
    return value


def _hex(value: object) -> str:
    if not isinstance(value, str) or len(value) != len(GENESIS_HASH) or value.strip("0123456789abcdef"):
        raise ValueError(f"{value!r} is not a hash")
    return value


@dataclass(frozen=True)
class Loaded:
    path: Path
    checkpoint: Checkpoint | None
    problem: str = ""


def load_dir(directory: Path, key: bytes) -> list[Loaded]:
    """Every ``*.json`` file of the directory, in name order (so by head seq), each a checkpoint or a problem."""
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("*.json")):
        try:
            found.append(Loaded(path, loads(path.read_text(encoding="utf-8"), key)))
        except (OSError, UnicodeDecodeError) as exc:
            found.append(Loaded(path, None, f"it cannot be read ({exc})"))
        except BadCheckpoint as exc:
            found.append(Loaded(path, None, str(exc)))
    return found


def newest(loaded: Iterable[Loaded]) -> Checkpoint | None:
    good = [item.checkpoint for item in loaded if item.checkpoint is not None]
    return max(good, key=lambda c: c.head_seq, default=None)


def write(directory: Path, checkpoint: Checkpoint, key: bytes) -> Path:
    """Write a checkpoint file, never over another one: a file of the same name is an error (``FileExistsError``).
    Written to a temporary file first and linked into place, so a reader never sees half a checkpoint."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / checkpoint.filename
    fd, temporary = tempfile.mkstemp(prefix=".checkpoint-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(dumps(checkpoint, key))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, target)  # fails if the target exists: a checkpoint is never replaced
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            with target.open("x", encoding="utf-8") as handle:
                handle.write(dumps(checkpoint, key))
    finally:
        Path(temporary).unlink(missing_ok=True)
    return target
