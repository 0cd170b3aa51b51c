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


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


# The two fields an appender only knows once it holds the chain head. They sort in this order among the others.
_LINK_FIELDS = ("prev_hash", "seq")


def hash_template(fields: Mapping[str, Any]) -> tuple[str, str, str]:
    """The canonical JSON of an entry, cut around the values of ``prev_hash`` and ``seq``: ``(a, b, c)`` such that
    the hashed text is ``a + prev_hash + b + str(seq) + c``.

    The text is ``json.dumps(payload, sort_keys=True, separators=(",", ":"))`` of the hashed fields plus
    ``{"v": 1}``, written member by member so that it can be cut: an appender builds everything but the link
    before it takes the chain head's lock, and PostgreSQL's ``csphub_audit_append`` (migration 0003) splices the
    link in and hashes it while holding it. ``fields`` needs every hashed field but the two link fields."""
    payload: dict[str, Any] = {"v": 1}
    for name in HASHED_FIELDS:
        if name not in _LINK_FIELDS:
            value = fields[name]
            payload[name] = canonical_time(value) if isinstance(value, datetime) else value
    cuts: list[str] = []
    text = "{"
    for i, name in enumerate(sorted((*payload, *_LINK_FIELDS))):
        text += ("," if i else "") + _json(name) + ":"
        if name == "prev_hash":
            cuts.append(text + '"')
            text = '"'  # prev_hash is hex: a JSON string with nothing to escape
        elif name == "seq":
            cuts.append(text)
            text = ""
        else:
            text += _json(payload[name])
    return cuts[0], cuts[1], text + "}"


def link_hash(template: tuple[str, str, str], seq: int, prev_hash: str) -> str:
    """SHA-256 (hex) of an entry's canonical JSON, given its template and its place in the chain."""
    a, b, c = template
    return hashlib.sha256(f"{a}{prev_hash}{b}{seq}{c}".encode()).hexdigest()


def entry_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of the hashed fields."""
    return link_hash(hash_template(fields), int(fields["seq"]), str(fields["prev_hash"]))


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
