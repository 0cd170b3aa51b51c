from __future__ import annotations

from pathlib import Path

import pytest

from csphub.env import Env, ImproperlyConfigured


def test_it_reads_typed_values() -> None:
    env = Env({"B": "yes", "I": "42", "L": "a, b,,c", "P": "/tmp/x", "C": "test", "F": "1.5"})
    assert env.bool("B", False) is True
    assert env.int("I", 0, minimum=1) == 42
    assert env.float("F", 0.0) == 1.5
    assert env.list("L") == ["a", "b", "c"]
    assert env.path("P", Path("/default")) == Path("/tmp/x")
    assert env.choice("C", "development", frozenset({"development", "test"})) == "test"
    assert env.str("MISSING", "fallback") == "fallback"


@pytest.mark.parametrize(
    ("environ", "call", "message"),
    [
        ({"B": "maybe"}, lambda e: e.bool("B", False), "B must be a boolean"),
        ({"I": "1.5"}, lambda e: e.int("I", 0), "I must be a whole number"),
        ({"I": "0"}, lambda e: e.int("I", 5, minimum=1), "I must be at least 1"),
        (
            {"C": "prod"},
            lambda e: e.choice("C", "test", frozenset({"test", "production"})),
            "C must be one of",
        ),
        ({}, lambda e: e.str("SECRET", required=True), "SECRET must be set"),
    ],
)
def test_it_fails_loudly_on_bad_values(environ: dict[str, str], call: object, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        call(Env(environ))  # type: ignore[operator]
