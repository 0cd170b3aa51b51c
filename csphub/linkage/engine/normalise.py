"""Value-level normalisation shared by parsing and the model: dates in a source's formats, full names in either
order, UK postcodes. Each function takes one value; callers apply them to the *distinct* values of a column (a
million rows hold a few tens of thousands of distinct dates or names), so Python speed is no bottleneck.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from csphub.common.dates import PartialDate, PartialDateError
from csphub.common.postcodes import PostcodeError, normalise

MONTHS = {
    m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))
}
_TIME_SUFFIX = re.compile(r"[ T]00:00(?::00(?:\.0+)?)?$")
_DIRECTIVE_PATTERN = {
    "d": r"(?P<d>\d{1,2})",
    "m": r"(?P<m>\d{1,2})",
    "Y": r"(?P<Y>\d{4})",
    "y": r"(?P<y>\d{2})",
    "b": r"(?P<b>[A-Za-z]{3})\.?",
    "B": r"(?P<B>[A-Za-z]{3,9})",
}


@dataclass(frozen=True)
class DateFormat:
    text: str
    pattern: re.Pattern[str]


def _tokens(fmt: str) -> list[str]:
    return re.findall(r"%.|[^%]+", fmt)


def _without(tokens: list[str], directives: set[str]) -> list[str]:
    """The format with the given directives removed, each with one separator beside it."""
    out = list(tokens)
    for directive in directives:
        for i, tok in enumerate(out):
            if tok == "%" + directive:
                if i + 1 < len(out) and not out[i + 1].startswith("%"):
                    del out[i : i + 2]
                elif i > 0 and not out[i - 1].startswith("%"):
                    del out[i - 1 : i + 1]
                else:
                    del out[i]
                break
    return out


def _compile(tokens: list[str]) -> DateFormat:
    parts = []
    for tok in tokens:
        if tok.startswith("%"):
            parts.append(_DIRECTIVE_PATTERN[tok[1]])
        else:
            parts.append(r"\s*".join(re.escape(c) for c in tok.strip()) if tok.strip() else r"\s+")
    return DateFormat("".join(tokens), re.compile("^" + r"\s*".join(p for p in parts if p) + "$"))


@lru_cache(maxsize=64)
def compile_date_formats(formats: tuple[str, ...]) -> tuple[DateFormat, ...]:
    """The formats, then their month-and-year forms, then year only ("%d/%m/%Y" → "%m/%Y" → "%Y"), then ISO."""
    full: list[DateFormat] = []
    partial: list[DateFormat] = []
    seen: set[str] = set()
    for fmt in formats:
        tokens = _tokens(fmt)
        for variant, bucket in (
            (tokens, full),
            (_without(tokens, {"d"}), partial),
            (_without(tokens, {"d", "m", "b", "B"}), partial),
        ):
            text = "".join(variant)
            if text and text not in seen and re.search(r"%[Yy]", text):
                seen.add(text)
                bucket.append(_compile(variant))
    for iso in ("%Y-%m-%d", "%Y-%m", "%Y"):
        if iso not in seen:
            seen.add(iso)
            partial.append(_compile(_tokens(iso)))
    return (*full, *partial)


def parse_date(text: str, formats: tuple[DateFormat, ...], *, today: dt.date | None = None) -> PartialDate:
    """A (partial) date of birth in one of the formats. Raises PartialDateError saying why not."""
    value = _TIME_SUFFIX.sub("", text.strip())
    current_year = (today or dt.date.today()).year
    for fmt in formats:
        match = fmt.pattern.match(value)
        if not match:
            continue
        groups = match.groupdict()
        if groups.get("Y"):
            year = int(groups["Y"])
        else:
            yy = int(groups["y"])
            year = 2000 + yy if 2000 + yy <= current_year else 1900 + yy
        month: int | None = None
        if groups.get("m"):
            month = int(groups["m"])
        elif groups.get("b") or groups.get("B"):
            name = (groups.get("b") or groups.get("B") or "")[:3].lower()
            if name not in MONTHS:
                raise PartialDateError(f"{text!r}: {name!r} is not a month")
            month = MONTHS[name]
        day = int(groups["d"]) if groups.get("d") else None
        return PartialDate(year, month, day)
    described = "; ".join(dict.fromkeys(describe_date_format(f.text) for f in formats))
    raise PartialDateError(f"{text!r} is in none of the date formats of the source ({described})")


_DIRECTIVE_WORDS = {"d": "day", "m": "month", "b": "month", "B": "month", "Y": "year", "y": "year"}
_EXAMPLE = dt.date(1990, 12, 31)


def describe_date_format(fmt: str) -> str:
    """A strftime format in words with an example, for people: "%d/%m/%Y" → "day/month/year, like 31/12/1990"."""
    words = re.sub(r"%([dmbBYy])", lambda m: _DIRECTIVE_WORDS[m.group(1)], fmt)
    return f"{words}, like {_EXAMPLE.strftime(fmt)}"


# --- names ----------------------------------------------------------------------------------------------------
TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "rev", "revd", "sir", "dame", "lady", "lord", "prof", "master"}
)
SURNAME_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "da", "di", "le", "la", "du", "del", "della", "st", "bin", "al", "el", "ap"}
)
_SPACES = re.compile(r"\s+")


def _drop_titles(tokens: list[str]) -> list[str]:
    start = 0
    while start < len(tokens) - 1 and tokens[start].lower().rstrip(".") in TITLES:
        start += 1
    return tokens[start:] if start else tokens


def split_full_name(text: str, order: str = "auto") -> tuple[str, str, str]:
    """(given, middle names, family) from one name column.

    ``family_first``: "SMITH, John Paul" or "SMITH John"; ``given_first``: "John Paul Smith" (surname particles
    stay with the surname: "Anna van der Berg"); ``auto``: a comma, or an upper-case first word followed by a word
    that is not, means family first. Leading titles (Mr, Mrs, Dr…) are dropped. One word alone is taken as the
    family name.
    """
    value = (text or "").strip()
    if "  " in value or "\t" in value:
        value = _SPACES.sub(" ", value)
    value = value.strip(", ")
    if not value:
        return ("", "", "")
    if "," in value and order != "given_first":
        family, _, rest = value.partition(",")
        tokens = _drop_titles(rest.replace(",", " ").split())
        family_tokens = _drop_titles(family.split())
        if not tokens:
            return ("", "", " ".join(family_tokens))
        return (tokens[0], " ".join(tokens[1:]), " ".join(family_tokens))
    tokens = _drop_titles(value.replace(",", " ").split())
    if len(tokens) == 1:
        return ("", "", tokens[0])
    first = tokens[0]
    family_first = order == "family_first" or (
        order == "auto" and len(first) > 1 and first.isupper() and not tokens[1].isupper()
    )
    if family_first:
        return (tokens[1], " ".join(tokens[2:]), first)
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in SURNAME_PARTICLES:
        start -= 1
    return (first, " ".join(tokens[1:start]), " ".join(tokens[start:]))


def clean_text(text: str | None) -> str:
    """Spaces collapsed and trimmed."""
    return _SPACES.sub(" ", text or "").strip()


def clean_postcode(text: str) -> str | None:
    """A UK postcode in its standard form ('nn160ab' → 'NN16 0AB'), or None if it is not one."""
    try:
        return normalise(text)
    except PostcodeError:
        return None
