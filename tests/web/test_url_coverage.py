"""Every URL of csphub has inherited access cases: a view cannot be added without them."""

from __future__ import annotations

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

import tests
from tests.access_cases import AccessCases

EXEMPT_NAMESPACES = {"admin"}  # Django's admin: administrators only (AdminSite.has_permission), no personal data


def _names(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _names(pattern.url_patterns, inner)
        elif pattern.name:
            names.add(prefix + pattern.name)
    return names


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def test_it_covers_every_url_with_access_cases() -> None:
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.rsplit(".", 1)[-1].startswith("test_"):
            importlib.import_module(module.name)
    covered = {getattr(c, "url_name", None) for c in _subclasses(AccessCases)}
    missing = sorted(_names(get_resolver().url_patterns) - covered)
    assert not missing, f"views without inherited access cases: {missing}"
