"""Test-wide fixtures: an audit context for the whole session, and a small partnership world."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.factories import World, build_world


@pytest.fixture(scope="session", autouse=True)
def _session_audit_context() -> Iterator[None]:
    """Tests set up data outside requests: attribute it to the test run (web requests open their own context)."""
    from csphub.audit.context import audit_context

    with audit_context("test", actor_label="pytest"):
        yield


@pytest.fixture
def world(db: None) -> World:
    return build_world()
