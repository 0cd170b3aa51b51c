"""Test-wide fixtures: an audit context for the whole session, and a small partnership world built once a module.

Data built once for many tests follows Django's ``TestCase.setUpTestData``: it is written inside a transaction
opened for the module (``built_once``), each test runs in a savepoint of it (pytest-django's ``db``) and sees a
deep copy of the Python objects, and the module's transaction is rolled back at the end. A test that needs a
transactional database (``transactional_db``) cannot share such data: it must build its own.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from pytest_django import DjangoDbBlocker

from tests.factories import World, build_world

# The analytics area's crime store (``crime_store``, ``with_crime_store``): its pages are requested by the insights
# tests, the canary harness and the browser tests; the Purple Flag tests' copy of it with NTE logs (``pf_store``).
pytest_plugins = ["tests.insights.store", "tests.purpleflag.store"]

# Fixtures that give a test the database (directly or through another fixture, such as ``world``): the
# PostgreSQL pass of `make test` runs only the tests that use one. (Not django_db_blocker: every test has it.)
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
    | {"_django_db_helper", "django_db_setup"}
)


def uses_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return True
    if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        return True
    cls = getattr(item, "cls", None)
    if cls is not None:
        from django.test import TransactionTestCase

        return issubclass(cls, TransactionTestCase)
    return False


@pytest.hookimpl(tryfirst=True, specname="pytest_collection_modifyitems")
def pytest_collection_modifyitems_mark_database(items: list[pytest.Item]) -> None:
    """Mark every test that uses the database ``database``, before ``-m`` selects (tryfirst)."""
    for item in items:
        if uses_database(item):
            item.add_marker(pytest.mark.database)


@pytest.hookimpl(trylast=True, specname="pytest_collection_modifyitems")
def pytest_collection_modifyitems_slow_first(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With several workers (``--dist worksteal``), start the tests marked ``slow`` at once, spread over the workers.

    worksteal gives each worker a contiguous share of the tests (the first ``n // workers``, then an equal share of
    the rest, …) and an idle worker steals from the tail of another's. A slow test left where it was collected may
    start last; all slow tests at the front would fall into one worker's share. So each share starts with its own
    slow tests, dealt round-robin, and keeps the rest in collection order (a module's shared data is built once).
    Runs last, after ``-m``/``-k`` have deselected; every worker computes the same order."""
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    slow = [item for item in items if item.get_closest_marker("slow") is not None]
    if workers < 2 or not slow:
        return
    rest = [item for item in items if item.get_closest_marker("slow") is None]
    ordered: list[pytest.Item] = []
    remaining = len(items)
    for worker in range(workers):
        share = remaining // (workers - worker)
        own = slow[worker::workers]
        taken = max(0, share - len(own))
        ordered += own + rest[:taken]
        del rest[:taken]
        remaining -= share
    items[:] = ordered + rest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """List the files tests saved as artefacts (``("artefact", path)`` in a test's ``user_properties``: the browser
    tests' screenshots). Here, not in tests/browser/conftest.py: with xdist only this conftest is loaded in the
    controller, and the paths reach it with each test's report."""
    paths = {
        str(value)
        for reports in terminalreporter.stats.values()
        for report in reports
        for name, value in getattr(report, "user_properties", ())
        if name == "artefact"
    }
    if paths:
        terminalreporter.section("test artefacts")
        for path in sorted(paths):
            terminalreporter.write_line(path)


@pytest.fixture(scope="session", autouse=True)
def _session_audit_context() -> Iterator[None]:
    """Tests set up data outside requests: attribute it to the test run (web requests open their own context)."""
    from csphub.audit.context import audit_context

    with audit_context("test", actor_label="pytest"):
        yield


@contextmanager
def built_once(django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """A transaction around data built once for many tests (a module's), rolled back at the end.

    The database stays blocked between the tests, as before: only a test that asks for ``db`` may use it. While
    the transaction is open, ``connections.close_all()`` does nothing: a management command run through
    ``execute_from_command_line`` (e.g. ``csphub link import``) closes every connection when it ends, which on
    PostgreSQL would end the module's transaction under the tests that follow."""
    from django.db import connections, transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    connections.close_all = lambda: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        del connections.close_all
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _module_world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    with built_once(django_db_blocker):
        with django_db_blocker.unblock():
            built = build_world()
        yield built


@pytest.fixture
def world(db: None, _module_world: World) -> World:
    """The partnership of ``tests.factories``, built once per module; each test gets its own copy of the objects
    (as Django's ``TestCase`` does for ``setUpTestData``) and its changes to the database are rolled back."""
    return copy.deepcopy(_module_world)
