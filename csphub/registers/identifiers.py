"""Identifiers from partner systems: their schemes, formats and check digits."""

from __future__ import annotations

import re

from django.db import models


class Scheme(models.TextChoices):
    POLICE_NICHE = "police_niche", "Police records system (Niche) nominal reference"
    PNC = "pnc", "Police National Computer ID"
    NHS = "nhs", "NHS number"
    NI = "ni", "National Insurance number"
    COUNCIL = "council", "Council reference"
    HOUSING = "housing", "Housing provider tenancy reference"
    PROBATION_CRN = "probation_crn", "Probation case reference number (CRN)"
    FIRE = "fire", "Fire and rescue reference"
    OTHER = "other", "Other reference"


class IdentifierError(ValueError):
    pass


_NHS = re.compile(r"^\d{10}$")
_PNC = re.compile(r"^(\d{2}|\d{4})/\d{1,7}[A-Z]$")
_NI = re.compile(r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")
_CRN = re.compile(r"^[A-Z]\d{6}$")
_FREE = re.compile(r"^[A-Za-z0-9/._ -]{2,40}$")


def nhs_check_digit_ok(digits: str) -> bool:
    """NHS number modulus 11: weights 10..2 on the first nine digits; 11 - (sum mod 11), 11 → 0, 10 invalid."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def normalise(scheme: str, value: str) -> str:
    """The canonical form of an identifier, or IdentifierError saying what is wrong."""
    raw = (value or "").strip()
    if not raw:
        raise IdentifierError("Enter the identifier")
    if scheme == Scheme.NHS:
        digits = re.sub(r"[\s-]", "", raw)
        if not _NHS.match(digits):
            raise IdentifierError("An NHS number is 10 digits, like 943 476 5919")
        if not nhs_check_digit_ok(digits):
            raise IdentifierError("This is not a valid NHS number: its check digit does not match")
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    if scheme == Scheme.PNC:
        compacted = raw.upper().replace(" ", "")
        if not _PNC.match(compacted):
            raise IdentifierError("A PNC ID looks like 2019/0123456X or 19/123456X")
        return compacted
    if scheme == Scheme.NI:
        compacted = raw.upper().replace(" ", "")
        if not _NI.match(compacted):
            raise IdentifierError("A National Insurance number looks like AB 12 34 56 C")
        return compacted
    if scheme == Scheme.PROBATION_CRN:
        compacted = raw.upper().replace(" ", "")
        if not _CRN.match(compacted):
            raise IdentifierError("A probation CRN is a letter and six digits, like X123456")
        return compacted
    if scheme not in Scheme.values:
        raise IdentifierError(f"Unknown identifier scheme {scheme!r}")
    if not _FREE.match(raw):
        raise IdentifierError("Use 2 to 40 letters, digits, spaces or / . _ -")
    return raw.upper()
