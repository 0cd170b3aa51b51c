"""Links to records, built without a full ``reverse()`` per row.

A list page links each of its rows (50 cases, 50 people) to the record's page; Django's ``reverse()`` resolves
the pattern again on every call (``bench/record_links.py`` prints both costs). ``record_url`` reverses the URL
pattern once per (view name, script prefix, URL configuration) with a placeholder and puts the record's key in its
place. Only keys made of letters, digits and hyphens (case references, UUIDs) take the short path: ``reverse()``
would quote nothing in them, so the URL is the same; anything else goes through ``reverse()``.
"""

from __future__ import annotations

import re
import uuid
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_PLAIN = re.compile(r"[A-Za-z0-9-]+")
# A value every path converter csphub uses (str, slug, uuid) accepts, and that appears nowhere else in a URL.
_PLACEHOLDER = "00000000-0000-4000-8000-00000000c5b0"


@lru_cache(maxsize=128)
def _around(viewname: str, prefix: str, urlconf: str) -> tuple[str, str]:
    url = reverse(viewname, args=[_PLACEHOLDER], urlconf=urlconf)
    head, found, tail = url.partition(_PLACEHOLDER)
    if not found:
        raise ValueError(f"{viewname} does not put its argument in the URL")
    return head, tail


def record_url(viewname: str, key: str | uuid.UUID) -> str:
    """``reverse(viewname, args=[key])`` for a URL with one argument, the record's reference or UUID."""
    value = str(key)
    if not _PLAIN.fullmatch(value):
        return reverse(viewname, args=[key])
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    head, tail = _around(viewname, get_script_prefix(), urlconf)
    return f"{head}{value}{tail}"
