"""The hash chain that makes the audit log tamper-evident.

Each entry's hash is SHA-256 over a canonical JSON serialisation of its contents *and the previous entry's
hash* (a hash chain, as in RFC 6962's log but linear). Changing, deleting, inserting or reordering any row
breaks the chain from that row on, which ``verify`` reports by naming the first bad entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64

# The fields that are hashed, in a fixed order. Adding a field to the entry means adding it here (new entries
# only: old ones were hashed without it, so the hash version is part of the payload).
HASHED_FIELDS: tuple[str, ...] = (
    "seq",
    "at",
    "action",
    "actor_id",
    "actor_username",
    "agency_uuid",
    "agency_name",
    "channel",
    "request_id",
    "record_type",
    "record_id",
    "related_type",
    "related_id",
    "summary",
    "justification",
    "basis",
    "recipients",
    "detail",
    "before",
    "after",
    "prev_hash",
)


def canonical_time(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of the hashed fields."""
    payload: dict[str, Any] = {"v": 1}
    for name in HASHED_FIELDS:
        value = fields[name]
        payload[name] = canonical_time(value) if isinstance(value, datetime) else value
    data = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""
    head_seq: int = 0
    head_hash: str = GENESIS_HASH


def verify(entries: Iterable[Mapping[str, Any]], head_seq: int, head_hash: str) -> VerifyResult:
    """Walk the entries in ``seq`` order and check every link of the chain and the recorded head.

    ``entries`` are mappings with the hashed fields plus ``hash``, ordered by ``seq`` as stored.
    """
    expected_seq = 1
    previous_hash = GENESIS_HASH
    checked = 0
    for entry in entries:
        seq = int(entry["seq"])
        if seq != expected_seq:
            if seq > expected_seq:
                reason = f"entries {expected_seq}–{seq - 1} are missing (deleted) before entry {seq}"
            else:
                reason = f"entry {seq} is out of order (expected entry {expected_seq})"
            return VerifyResult(False, checked, seq, reason, head_seq, head_hash)
        if entry["prev_hash"] != previous_hash:
            return VerifyResult(
                False,
                checked,
                seq,
                f"entry {seq} does not follow entry {seq - 1}: the chain was broken (rows reordered or replaced)",
                head_seq,
                head_hash,
            )
        if entry_hash(entry) != entry["hash"]:
            return VerifyResult(
                False,
                checked,
                seq,
                f"entry {seq} was altered: its contents no longer match its hash",
                head_seq,
                head_hash,
            )
        previous_hash = entry["hash"]
        expected_seq += 1
        checked += 1
    last_seq = expected_seq - 1
    if last_seq != head_seq or previous_hash != head_hash:
        if last_seq < head_seq:
            reason = (
                f"entries {last_seq + 1}–{head_seq} are missing: the log ends at {last_seq}, its head at {head_seq}"
            )
            bad = last_seq + 1
        else:
            reason = f"the log's head records entry {head_seq} but the log ends at entry {last_seq}"
            bad = head_seq + 1 if last_seq > head_seq else last_seq
        return VerifyResult(False, checked, bad, reason, head_seq, head_hash)
    return VerifyResult(True, checked, None, "", head_seq, head_hash)
