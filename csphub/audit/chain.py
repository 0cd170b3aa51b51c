"""The hash chain that makes the audit log tamper-evident.

Each entry's link is a hash over a canonical JSON serialisation of its contents *and the previous entry's hash*
(a hash chain, as in RFC 6962's log but linear). Changing, deleting, inserting or reordering any row breaks the
chain from that row on, which ``verify`` reports by naming the first bad entry.

The hash is versioned, and the version is part of the hashed text (``{"v": …}``) and stored with each entry:

- v1: SHA-256. Anyone with write access to the database could rewrite a tail and re-hash it, so v1 is only
  verified for entries written before the chain was keyed.
- v2 (``CURRENT_VERSION``): HMAC-SHA256 under a key kept outside the database (``CSPHUB_AUDIT_KEY``). Rewriting
  needs the key; so does verifying. Once an entry is keyed, every later entry must be: a v1 entry after a v2
  entry (a downgrade) fails verification, as does a v1 entry after the point a signed checkpoint says the chain
  was keyed from (``keyed_from``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
LEGACY_VERSION = 1  # SHA-256
KEYED_VERSION = 2  # HMAC-SHA256 under the audit key
CURRENT_VERSION = KEYED_VERSION
VERSIONS = frozenset({LEGACY_VERSION, KEYED_VERSION})


class KeyRequired(ValueError):
    """A keyed (v2) hash was asked for without the key."""


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


def hash_template(fields: Mapping[str, Any], version: int) -> tuple[str, str, str]:
    """The canonical JSON of an entry, cut around the values of ``prev_hash`` and ``seq``: ``(a, b, c)`` such that
    the hashed text is ``a + prev_hash + b + str(seq) + c``.

    The text is ``json.dumps(payload, sort_keys=True, separators=(",", ":"))`` of the hashed fields plus
    ``{"v": version}``, written member by member so that it can be cut: an appender builds everything but the link
    before it takes the chain head's lock, and PostgreSQL's ``csphub_audit_append`` (migration 0004) splices the
    link in and hashes it while holding it. ``fields`` needs every hashed field but the two link fields."""
    if version not in VERSIONS:
        raise ValueError(f"unknown audit hash version {version!r}")
    payload: dict[str, Any] = {"v": version}
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


def link_hash(template: tuple[str, str, str], seq: int, prev_hash: str, version: int, key: bytes | None) -> str:
    """An entry's hash (hex), given its template, its place in the chain and its hash version: SHA-256 of the
    canonical JSON (v1), or HMAC-SHA256 of it under ``key`` (v2)."""
    a, b, c = template
    text = f"{a}{prev_hash}{b}{seq}{c}".encode()
    if version == LEGACY_VERSION:
        return hashlib.sha256(text).hexdigest()
    if version == KEYED_VERSION:
        if not key:
            raise KeyRequired("a keyed (v2) audit hash needs the audit key")
        return hmac.new(key, text, hashlib.sha256).hexdigest()
    raise ValueError(f"unknown audit hash version {version!r}")


def entry_hash(fields: Mapping[str, Any], key: bytes | None = None) -> str:
    """The hash (hex) of an entry's hashed fields, by its ``hash_version`` (v1 when the fields carry none)."""
    version = int(fields.get("hash_version", LEGACY_VERSION))
    return link_hash(hash_template(fields, version), int(fields["seq"]), str(fields["prev_hash"]), version, key)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    legacy: int = 0  # entries checked that were hashed without the key (v1)
    checkpoints: int = 0  # signed checkpoints checked against the log
    bad_checkpoint: str = ""  # the checkpoint file that failed first, if one did
    problems: tuple[str, ...] = ()  # every checkpoint that failed, and why


def verify(
    entries: Iterable[Mapping[str, Any]],
    head_seq: int,
    head_hash: str,
    *,
    key: bytes | None,
    keyed_from: int | None = None,
    start_seq: int = 1,
    start_hash: str = GENESIS_HASH,
    keyed: bool = False,
) -> VerifyResult:
    """Walk the entries in ``seq`` order and check every link of the chain and the recorded head.

    ``entries`` are mappings with the hashed fields plus ``hash`` and ``hash_version``, ordered by ``seq`` as
    stored. ``key`` is the audit key (v2 entries cannot be checked without it). ``keyed_from``: the first entry
    that must be keyed (from a signed checkpoint), if known. To check only a tail, pass the entries from
    ``start_seq`` on, ``start_hash`` the hash of the entry before it and ``keyed`` whether that entry was keyed.
    """
    expected_seq = start_seq
    previous_hash = start_hash
    checked = legacy = 0

    def bad(seq: int, reason: str) -> VerifyResult:
        return VerifyResult(False, checked, seq, reason, head_seq, head_hash, legacy)

    for entry in entries:
        seq = int(entry["seq"])
        if seq != expected_seq:
            if seq > expected_seq:
                return bad(seq, f"entries {expected_seq}–{seq - 1} are missing (deleted) before entry {seq}")
            return bad(seq, f"entry {seq} is out of order (expected entry {expected_seq})")
        if entry["prev_hash"] != previous_hash:
            return bad(
                seq, f"entry {seq} does not follow entry {seq - 1}: the chain was broken (rows reordered or replaced)"
            )
        version = int(entry.get("hash_version", LEGACY_VERSION))
        if version not in VERSIONS:
            return bad(seq, f"entry {seq} has an unknown hash version {version}: it was not written by csphub")
        if version == LEGACY_VERSION:
            if keyed or (keyed_from is not None and seq >= keyed_from):
                return bad(
                    seq,
                    f"entry {seq} is hashed without the audit key (v1) where the chain is keyed: "
                    "it was rewritten (a downgrade)",
                )
            legacy += 1
        elif key is None:
            return bad(seq, f"entry {seq} is keyed: it cannot be verified without the audit key")
        else:
            keyed = True
        if not hmac.compare_digest(entry_hash(entry, key), str(entry["hash"])):
            return bad(
                seq,
                f"entry {seq} was altered: its contents no longer match its hash"
                + (" (or the audit key is not the one the log was written with)" if version == KEYED_VERSION else ""),
            )
        previous_hash = entry["hash"]
        expected_seq += 1
        checked += 1
    last_seq = expected_seq - 1
    if last_seq != head_seq or previous_hash != head_hash:
        if last_seq < head_seq:
            return bad(
                last_seq + 1,
                f"entries {last_seq + 1}–{head_seq} are missing: the log ends at {last_seq}, its head at {head_seq}",
            )
        if last_seq > head_seq:
            return bad(head_seq + 1, f"the log's head records entry {head_seq} but the log ends at entry {last_seq}")
        return bad(last_seq, f"the log's head does not record entry {last_seq}'s hash: the head was moved")
    return VerifyResult(True, checked, None, "", head_seq, head_hash, legacy)
