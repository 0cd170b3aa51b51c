"""Name normalisation and phonetic keys for searching people across the four districts' spellings.

A name is folded to lower-case ASCII letters (accents removed, punctuation and extra spaces dropped); each token
gets a Metaphone key (Philips 1990), so spellings that sound alike share a key: "Jon" and "John" → "JN",
"Smyth" and "Smith" → "SM0". Candidates found by key are then ranked by Jaro–Winkler similarity.
"""

from __future__ import annotations

import re
import unicodedata

import jellyfish

_NON_LETTERS = re.compile(r"[^a-z\s'-]")
_SEPARATORS = re.compile(r"[\s'-]+")
_PARTICLES = frozenset({"van", "von", "de", "der", "da", "di", "le", "la", "du", "st", "mc", "mac", "o"})


def fold(text: str) -> str:
    """Lower-case ASCII letters and single spaces: "  O'Brien-Smythe " → "obrien smythe"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = _NON_LETTERS.sub(" ", ascii_text)
    # Apostrophes join (O'Brien → obrien); hyphens and spaces separate tokens.
    ascii_text = ascii_text.replace("'", "")
    return " ".join(t for t in _SEPARATORS.split(ascii_text) if t)


def tokens(text: str) -> list[str]:
    return fold(text).split()


def key(token: str) -> str:
    """Phonetic key of one token (Metaphone); empty for an empty token."""
    return jellyfish.metaphone(token).upper() if token else ""


def keys(text: str) -> list[str]:
    return [key(t) for t in tokens(text) if t not in _PARTICLES or len(tokens(text)) == 1]


def similarity(a: str, b: str) -> float:
    """Jaro–Winkler similarity (Winkler 1990) of two folded strings, 0..1."""
    if not a or not b:
        return 0.0
    return float(jellyfish.jaro_winkler_similarity(a, b))
