"""Are two places probably the same? Address normalisation and a small, explainable comparison.

Used at the door of the place register (``csphub.registers.duplicates.likely_places``): "Chicken Shak, 12 High St,
NN16 8AA" typed next to "Chicken Shack, 12 High Street, NN16 8AA" already on the register. Addresses are folded
and their common abbreviations spelt out (BS 7666 street descriptors: "St" → "street", "Rd" → "road"), split into
the premises number and the rest; names and streets are compared by Jaro–Winkler similarity (Winkler 1990, via
jellyfish, as names of people are in ``csphub.common.names``); coordinates by straight-line distance on the British
National Grid (metres).

A pair is *probably the same* when it has the same UPRN; or when it is in one spot (same postcode, or within
``NEAR_METRES``) and has the same address or a similar name; or when it has the same address and no postcode
contradicts it. Two different numbers on one street are two places, however alike the names.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import jellyfish

from csphub.common.postcodes import compact

NEAR_METRES = 60.0
NAME_SIMILAR = 0.9
STREET_SIMILAR = 0.92

# Street descriptors and other words written short in addresses (Royal Mail / BS 7666 forms).
_ABBREVIATIONS = {
    "st": "street",
    "str": "street",
    "rd": "road",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "ct": "court",
    "cres": "crescent",
    "dr": "drive",
    "gdns": "gardens",
    "gr": "grove",
    "pl": "place",
    "sq": "square",
    "ter": "terrace",
    "terr": "terrace",
    "wy": "way",
    "pk": "park",
    "hse": "house",
    "flt": "flat",
    "apt": "flat",
    "apartment": "flat",
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
}
_NOISE = frozenset({"the", "and", "of", "ltd", "limited", "plc"})
_NUMBER = re.compile(r"^\d+[a-z]?$")


def fold(text: str) -> str:
    """Lower-case letters and digits in single spaces, abbreviations spelt out: "12, High St." → "12 high street"."""
    words = re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words if w not in _NOISE)


@dataclass(frozen=True)
class PlaceFacts:
    """What a place comparison looks at; coordinates in British National Grid metres."""

    address: str
    name: str = ""
    postcode: str = ""
    uprn: str = ""
    easting: float | None = None
    northing: float | None = None


@dataclass(frozen=True)
class PlaceSimilarity:
    score: float  # 0..1, for ordering candidates
    reasons: tuple[str, ...]  # why, in words the user reads ("same postcode", "similar name")


def _split(address: str) -> tuple[frozenset[str], str]:
    """The premises numbers and the rest of a folded address: "flat 2 12 high street" → ({"2", "12"}, "high street")."""
    words = fold(address).split()
    numbers = frozenset(w for w in words if _NUMBER.match(w))
    rest = " ".join(w for w in words if not _NUMBER.match(w) and w != "flat")
    return numbers, rest


def _similar(a: str, b: str) -> float:
    return float(jellyfish.jaro_winkler_similarity(a, b)) if a and b else 0.0


def distance(a: PlaceFacts, b: PlaceFacts) -> float | None:
    """Metres between the two places, or None when either has no coordinates."""
    if None in (a.easting, a.northing, b.easting, b.northing):
        return None
    return math.hypot(float(a.easting) - float(b.easting), float(a.northing) - float(b.northing))  # type: ignore[arg-type]


def compare(new: PlaceFacts, existing: PlaceFacts) -> PlaceSimilarity | None:
    """How alike the place being recorded and one on the register are, or None when they are probably different."""
    reasons: list[str] = []
    if new.uprn and new.uprn == existing.uprn:
        return PlaceSimilarity(1.0, ("same UPRN",))
    same_postcode = bool(new.postcode) and compact(new.postcode) == compact(existing.postcode)
    postcodes_differ = bool(new.postcode and existing.postcode) and not same_postcode
    metres = distance(new, existing)
    near = metres is not None and metres <= NEAR_METRES

    new_numbers, new_street = _split(new.address)
    old_numbers, old_street = _split(existing.address)
    street = _similar(new_street, old_street)
    numbers_agree = new_numbers == old_numbers
    same_address = numbers_agree and street >= STREET_SIMILAR
    # The name of one may be written into the other's address ("Chicken Shack, 12 High St" as one line).
    name = max(
        _similar(fold(new.name), fold(existing.name)),
        _similar(fold(new.name), old_street) if new.name and not existing.name else 0.0,
        _similar(new_street, fold(existing.name)) if existing.name and not new.name else 0.0,
    )
    similar_name = name >= NAME_SIMILAR
    if new_numbers and old_numbers and not (new_numbers & old_numbers):
        return None  # 10 and 12 High Street are neighbours, not one place

    if same_postcode:
        reasons.append("same postcode")
    if near and metres is not None:
        reasons.append(f"{round(metres)} metres away" if metres >= 1 else "same spot")
    if same_address:
        reasons.append("same address" if street > 0.99 else "similar address")
    if similar_name:
        reasons.append("same name" if name > 0.99 else "similar name")

    in_one_spot = same_postcode or near
    probable = (in_one_spot and (same_address or similar_name)) or (same_address and not postcodes_differ)
    if not probable:
        return None
    # A weighted mean over the evidence both records have (a missing postcode or point is no evidence either way).
    evidence = [(0.3, street * numbers_agree)]
    if new.postcode and existing.postcode:
        evidence.append((0.3, float(same_postcode)))
    if metres is not None:
        evidence.append((0.2, 1 - min(metres, NEAR_METRES) / NEAR_METRES))
    if new.name or existing.name:
        evidence.append((0.2, name))
    score = sum(w * v for w, v in evidence) / sum(w for w, _ in evidence)
    return PlaceSimilarity(round(min(score, 1.0), 3), tuple(reasons))
