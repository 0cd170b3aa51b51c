"""Typed readers for environment variables.

Every setting csphub reads from the environment goes through one of these helpers. A value that cannot be
parsed raises ``ImproperlyConfigured`` naming the variable and what was expected: a bad deployment fails at
start-up, loudly, instead of running with a silently wrong value. No Django import here: the plain-Python
analytics package reads its settings through the same helpers.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Mapping
from pathlib import Path


class ImproperlyConfigured(Exception):
    """An environment variable is missing or holds a value of the wrong type."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_MISSING = object()


class Env:
    """Reads typed values from a mapping (``os.environ`` by default)."""

    def __init__(self, environ: Mapping[builtins.str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def _raw(self, name: builtins.str) -> builtins.str | None:
        value = self._environ.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def str(
        self, name: builtins.str, default: builtins.str | None = None, *, required: builtins.bool = False
    ) -> builtins.str:
        value = self._raw(name)
        if value is None:
            if required or default is None:
                raise ImproperlyConfigured(f"{name} must be set")
            return default
        return value

    def optional_str(self, name: builtins.str) -> builtins.str | None:
        return self._raw(name)

    def bool(self, name: builtins.str, default: builtins.bool) -> builtins.bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name} must be a boolean (one of 1/0, true/false, yes/no, on/off), got {value!r}")

    def int(
        self,
        name: builtins.str,
        default: builtins.int,
        *,
        minimum: builtins.int | None = None,
        maximum: builtins.int | None = None,
    ) -> builtins.int:
        value = self._raw(name)
        if value is None:
            result = default
        else:
            try:
                result = int(value)
            except ValueError:
                raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None
        if minimum is not None and result < minimum:
            raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {result}")
        if maximum is not None and result > maximum:
            raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {result}")
        return result

    def float(
        self,
        name: builtins.str,
        default: builtins.float,
        *,
        minimum: builtins.float | None = None,
        maximum: builtins.float | None = None,
    ) -> builtins.float:
        value = self._raw(name)
        if value is None:
            result = default
        else:
            try:
                result = float(value)
            except ValueError:
                raise ImproperlyConfigured(f"{name} must be a number, got {value!r}") from None
        if minimum is not None and result < minimum:
            raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {result}")
        if maximum is not None and result > maximum:
            raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {result}")
        return result

    def list(
        self, name: builtins.str, default: builtins.list[builtins.str] | None = None
    ) -> builtins.list[builtins.str]:
        value = self._raw(name)
        if value is None:
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def path(self, name: builtins.str, default: Path) -> Path:
        value = self._raw(name)
        return Path(value).expanduser().resolve() if value is not None else default

    def choice(
        self, name: builtins.str, default: builtins.str, choices: set[builtins.str] | frozenset[builtins.str]
    ) -> builtins.str:
        value = self._raw(name)
        if value is None:
            return default
        if value not in choices:
            raise ImproperlyConfigured(f"{name} must be one of {', '.join(sorted(choices))}, got {value!r}")
        return value
