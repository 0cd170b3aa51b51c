"""The hash chain itself, on hand-built entries (no database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from csphub.audit.chain import GENESIS_HASH, entry_hash, verify

KEY = b"a test key of at least thirty-two bytes"


def _chain(n: int, version: int = 2, key: bytes = KEY) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        e: dict[str, Any] = {
            "seq": seq,
            "at": dt.datetime(2026, 1, 1, 12, 0, seq, tzinfo=dt.UTC),
            "action": "consultation",
            "actor_id": 7,
            "actor_username": "pc.hughes",
            "agency_uuid": "a",
            "agency_name": "Police",
            "channel": "web",
            "request_id": f"r{seq}",
            "record_type": "registers.person",
            "record_id": f"p{seq}",
            "related_type": "",
            "related_id": "",
            "summary": "Opened person",
            "justification": "",
            "basis": "",
            "recipients": [],
            "detail": {"k": seq},
            "before": None,
            "after": {"family_name": "Smith"},
            "prev_hash": prev,
            "hash_version": version,
        }
        e["hash"] = entry_hash(e, key)
        prev = e["hash"]
        entries.append(e)
    return entries


def test_it_verifies_an_intact_chain() -> None:
    entries = _chain(5)
    result = verify(entries, 5, entries[-1]["hash"], key=KEY)
    assert result.ok and result.checked == 5


def test_it_names_an_altered_entry() -> None:
    entries = _chain(5)
    entries[2]["summary"] = "Opened nothing"
    result = verify(entries, 5, entries[-1]["hash"], key=KEY)
    assert not result.ok and result.first_bad_seq == 3 and "altered" in result.reason


def test_it_names_a_rehashed_entry_by_the_broken_link_after_it() -> None:
    entries = _chain(5)
    entries[1]["after"] = {"family_name": "Jones"}
    entries[1]["hash"] = entry_hash(entries[1], KEY)  # a forger recomputes the row's own hash…
    result = verify(entries, 5, entries[-1]["hash"], key=KEY)
    assert not result.ok and result.first_bad_seq == 3  # …but the next row no longer follows it


def test_it_names_a_gap_where_an_entry_was_deleted() -> None:
    entries = _chain(5)
    del entries[1]
    result = verify(entries, 5, entries[-1]["hash"], key=KEY)
    assert not result.ok and result.first_bad_seq == 3 and "missing" in result.reason


def test_it_detects_a_deleted_last_entry_from_the_head() -> None:
    entries = _chain(5)
    head = entries[-1]["hash"]
    result = verify(entries[:-1], 5, head, key=KEY)
    assert not result.ok and result.first_bad_seq == 5


def test_it_detects_reordered_entries() -> None:
    entries = _chain(4)
    entries[1]["seq"], entries[2]["seq"] = 3, 2
    entries[1], entries[2] = entries[2], entries[1]
    result = verify(entries, 4, entries[-1]["hash"], key=KEY)
    assert not result.ok and result.first_bad_seq == 2


def test_it_refuses_naive_times() -> None:
    entry = _chain(1)[0]
    entry["at"] = dt.datetime(2026, 1, 1)
    with pytest.raises(ValueError, match="timezone"):
        entry_hash(entry)


def test_it_hashes_the_canonical_json_of_the_entry() -> None:
    # The hash is defined as SHA-256 of json.dumps(sort_keys, compact) of the fields plus {"v": 1}: entries already
    # in a log were hashed so, and the appenders build it in pieces (hash_template) — the pieces must join to it.
    import hashlib
    import json

    from csphub.audit.chain import canonical_time, hash_template, link_hash

    entry = _chain(1, version=1)[0]
    entry.update(summary='a "quoted" \\ naïve 😀 \n', detail={"b": [1, {"c": None}], "a": 2.5}, actor_id=None)
    payload = {k: v for k, v in entry.items() if k not in ("hash", "hash_version")}
    payload |= {"v": 1, "at": canonical_time(entry["at"])}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    assert entry_hash(entry) == hashlib.sha256(text.encode()).hexdigest()
    a, b, c = hash_template({k: v for k, v in entry.items() if k not in ("seq", "prev_hash")}, 1)
    assert a + entry["prev_hash"] + b + str(entry["seq"]) + c == text
    assert link_hash((a, b, c), entry["seq"], entry["prev_hash"], 1, None) == entry_hash(entry)


def test_it_key_hashes_the_canonical_json_of_a_keyed_entry() -> None:
    import hashlib
    import hmac
    import json

    from csphub.audit.chain import canonical_time

    entry = _chain(1)[0]
    payload = {k: v for k, v in entry.items() if k not in ("hash", "hash_version")}
    payload |= {"v": 2, "at": canonical_time(entry["at"])}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    assert entry["hash"] == hmac.new(KEY, text.encode(), hashlib.sha256).hexdigest()
    assert entry["hash"] != hashlib.sha256(text.encode()).hexdigest()


def test_it_fails_a_keyed_chain_under_another_key_at_its_first_entry() -> None:
    entries = _chain(3)
    result = verify(entries, 3, entries[-1]["hash"], key=b"not the key, though just as long as it")
    assert not result.ok and result.first_bad_seq == 1 and "audit key" in result.reason


def test_it_cannot_verify_a_keyed_chain_without_the_key() -> None:
    entries = _chain(2)
    result = verify(entries, 2, entries[-1]["hash"], key=None)
    assert not result.ok and result.first_bad_seq == 1 and "without the audit key" in result.reason


def test_it_verifies_unkeyed_entries_written_before_the_key_then_keyed_ones() -> None:
    from csphub.audit.chain import GENESIS_HASH as genesis

    legacy = _chain(3, version=1)
    entries = [*legacy]
    prev = legacy[-1]["hash"]
    for e in _chain(5)[3:]:
        e = {**e, "prev_hash": prev}
        e["hash"] = entry_hash(e, KEY)
        prev = e["hash"]
        entries.append(e)
    assert entries[0]["prev_hash"] == genesis
    result = verify(entries, 5, entries[-1]["hash"], key=KEY)
    assert result.ok and result.checked == 5 and result.legacy == 3


def test_it_refuses_an_unkeyed_entry_after_a_keyed_one() -> None:
    # A rewrite that downgrades entries to v1 (plain SHA-256, no key needed) after the chain was keyed.
    entries = _chain(4)
    prev = entries[1]["hash"]
    for e in entries[2:]:
        e.update(hash_version=1, prev_hash=prev, summary="forged")
        e["hash"] = entry_hash(e)
        prev = e["hash"]
    result = verify(entries, 4, entries[-1]["hash"], key=KEY)
    assert not result.ok and result.first_bad_seq == 3 and "downgrade" in result.reason


def test_it_refuses_an_unkeyed_entry_where_a_checkpoint_says_the_chain_is_keyed() -> None:
    entries = _chain(3, version=1)  # the whole log rewritten unkeyed, from its first entry
    assert verify(entries, 3, entries[-1]["hash"], key=KEY).ok
    result = verify(entries, 3, entries[-1]["hash"], key=KEY, keyed_from=1)
    assert not result.ok and result.first_bad_seq == 1


def test_it_refuses_an_unknown_hash_version() -> None:
    entries = _chain(2)
    entries[1]["hash_version"] = 7
    result = verify(entries, 2, entries[-1]["hash"], key=KEY)
    assert not result.ok and result.first_bad_seq == 2 and "version" in result.reason


def test_it_checks_a_tail_from_a_known_entry() -> None:
    entries = _chain(5)
    result = verify(
        entries[3:], 5, entries[-1]["hash"], key=KEY, start_seq=4, start_hash=entries[2]["hash"], keyed=True
    )
    assert result.ok and result.checked == 2
