"""Browser tests: the site served in-process, driven in Debian's Chromium by Playwright, scanned by axe-core.

Every test in ``tests/browser/`` is marked ``browser`` (and ``database``: it uses the live server). ``make test`` runs
them in its SQLite pass; its PostgreSQL pass leaves them out (``-m "database and not browser"``): what they check
does not depend on the database.

Writing a journey test
----------------------
Ask for ``journey`` (a :class:`Journey`: one signed-out browser tab on the live site) and for ``live_world`` (the
partnership of ``tests.factories``, built for this test; the live server needs a transactional database, so data
cannot be shared between tests as ``world`` does). Build what the journey needs with the usual factories, then::

    def test_it_does_the_thing(journey: Journey, live_world: World) -> None:
        case = make_case(live_world["police_officer"], case_type="domestic_abuse")
        journey.sign_in(live_world["police_officer"])        # through the real sign-in page (2FA is off here)
        journey.visit(f"/cases/{case.reference}/")             # goto + axe scan
        journey.justify()                                      # a domestic-abuse case asks why you need it
        journey.follow(journey.page.get_by_role("link", name="Complete a DASH risk checklist").first)
        journey.page.get_by_role("radio", name="Yes").first.check()  # plain Playwright: nothing loads
        journey.screenshot("a DASH with answers selected")
        journey.submit("Save the assessment")                  # click, wait for the next page, axe scan
        expect(journey.page.locator(".govuk-error-summary")).to_be_visible()

- ``journey.visit(path)``, ``journey.follow(locator)`` and ``journey.submit(button_name)`` load a page and run
  axe-core on it (WCAG 2.2 AA: tags wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa); a ``serious`` or ``critical``
  violation fails the test with each rule, its help text and the elements. Anything else that loads a page (a
  plain ``page.click`` on a link) must be followed by ``journey.check()``: a page that loaded and was never scanned
  fails the test at teardown.
- ``journey.screenshot(label)`` saves a full-page PNG under ``var/test-artefacts/<test>/``; the last page of every
  journey is saved as ``last-page.png`` whether the test passed or failed. The paths are listed at the end of the
  pytest run ("test artefacts", by tests/conftest.py).
- ``journey.sign_in(user)`` signs in through ``/accounts/sign-in/`` with ``tests.factories.PASSWORD``;
  ``journey.sign_out()`` presses "Sign out"; ``journey.justify(reason)`` answers the justification page of a
  sensitive record; ``journey.path`` is the current page's path. ``journey.new_tab()`` opens a tab for a second
  person at the same time (its own cookies, scanned the same way).

Chromium
--------
Playwright's own browser downloads are not used: the tests launch Debian's ``chromium`` (found on ``PATH``) with
``--headless --no-sandbox --disable-gpu --disable-background-networking``. ``make test`` installs it when missing
(``make browser-deps``). Without it the tests fail and say so, unless ``CSPHUB_BROWSER_TESTS=skip`` is set, which
skips them with the reason (for a developer's machine; refused when ``CI`` is set). They also need the built front end
(``make assets``): the radios, the contrast and the layout checked are GOV.UK Frontend's.

Each xdist worker runs its own live server on a free port (pytest-django binds port 0) and its own Chromium.

The database
------------
``live_db`` (asked for by ``journey`` and ``live_world``) is ``transactional_db`` made to work with the audit log:
the flush at the end of a transactional test would be refused by the log's append-only triggers, so they are
lifted for the flush and restored after it, with the chain head back at the genesis hash. Anything the live server
writes (audit entries included) can be asserted on directly in the test.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Playwright,
    ViewportSize,
    expect,
    sync_playwright,
)

from tests.factories import PASSWORD, World, build_world

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "var" / "test-artefacts"
STYLESHEET = ROOT / "csphub" / "static" / "vendor" / "csphub.css"
HERE = Path(__file__).resolve().parent

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: the axe-core tags of WCAG 2.2 level AA (and A): what every page must pass
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: axe impacts that fail a test (minor and moderate ones are not reported)
BLOCKING = frozenset({"serious", "critical"})
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
#: how long an action or a page load may take before the test fails (ms): generous, the machine is shared
TIMEOUT_MS = 30_000
#: how long an ``expect(...)`` waits for what it expects (Playwright's default is 5 s)
EXPECT_TIMEOUT_MS = 10_000
SKIP = "skip"


def browser_tests_skipped() -> bool:
    return os.environ.get("CSPHUB_BROWSER_TESTS", "").strip().lower() == SKIP


def chromium_executable() -> str | None:
    return shutil.which("chromium")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this directory ``browser``, before ``-m`` selects (tryfirst)."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --- the browser ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def playwright_browser() -> Iterator[Browser]:
    """Debian's Chromium, one per test module and worker.

    Module scope, not session: while Playwright runs, its event loop is registered as running in this thread, so
    Django refuses ORM calls (SynchronousOnlyOperation) unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The browser and
    that setting live only as long as a module of browser tests; the other tests of the worker never see them."""
    if browser_tests_skipped():
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail("CSPHUB_BROWSER_TESTS=skip is refused in CI: the browser tests must run", pytrace=False)
        pytest.skip("CSPHUB_BROWSER_TESTS=skip: the browser tests are skipped on this machine")
    executable = chromium_executable()
    if executable is None:
        pytest.fail(
            "The browser tests need Debian's chromium and there is none on PATH. Install it with "
            "`make browser-deps` (as root: apt-get install chromium), or set CSPHUB_BROWSER_TESTS=skip to skip "
            "them on this machine (never in CI).",
            pytrace=False,
        )
    if not STYLESHEET.exists():
        pytest.fail(
            f"The browser tests check the built front end and {STYLESHEET.relative_to(ROOT)} is missing: run "
            "`make assets`.",
            pytrace=False,
        )
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright()
    playwright: Playwright = manager.start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        manager.__exit__(None, None, None)
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# --- the site and its people ----------------------------------------------------------------------------------------


AUDIT_TABLES = ("audit_auditentry", "audit_chainhead")
GENESIS_HASH = "0" * 64


def _lift_audit_guards(connection: Any) -> list[str]:
    """Switch off the audit log's append-only triggers; return the SQL that puts them back."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)", AUDIT_TABLES
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            return [sql for _name, sql in triggers]
        for table in AUDIT_TABLES:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        return [f"ALTER TABLE {table} ENABLE TRIGGER USER" for table in AUDIT_TABLES]


def _restore_audit_guards(connection: Any, restore: list[str]) -> None:
    """The empty log as the migrations leave it (a chain head at the genesis hash), its triggers back on."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM audit_chainhead")
        if cursor.fetchone()[0] == 0:
            cursor.execute("INSERT INTO audit_chainhead (id, last_seq, last_hash) VALUES (1, 0, %s)", [GENESIS_HASH])
        for sql in restore:
            cursor.execute(sql)


@pytest.fixture
def live_db(transactional_db: None) -> Iterator[None]:
    """pytest-django's ``transactional_db``, made to work with the append-only audit log.

    A transactional test ends with a flush of every table, which the audit log's triggers refuse (its entries and
    its chain head cannot be deleted). Just before the flush the triggers are lifted; when it is done (its
    ``post_migrate`` signal) the chain head is put back at the genesis hash and the triggers restored, so the
    tests that run next in this worker find the log as the migrations left it."""
    from django.db import connection
    from django.db.models.signals import post_migrate

    yield
    restore = _lift_audit_guards(connection)

    def after_flush(**kwargs: Any) -> None:
        post_migrate.disconnect(dispatch_uid=_RESTORER)
        _restore_audit_guards(connection, restore)

    post_migrate.disconnect(dispatch_uid=_RESTORER)  # one left by a flush that failed
    post_migrate.connect(after_flush, weak=False, dispatch_uid=_RESTORER)


_RESTORER = "tests.browser.audit_guards"


@pytest.fixture
def live_world(live_db: None, settings: Any) -> World:
    """The partnership of ``tests.factories`` (agencies, users of every role, ISAs), built for this test.

    The second factor is off (as in the demo) so that ``journey.sign_in`` uses the sign-in page alone."""
    settings.CSPHUB_REQUIRE_2FA = False
    return build_world()


# --- a journey: one tab, every page scanned ------------------------------------------------------------------------


class AccessibilityViolations(AssertionError):
    pass


def _format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core: {len(violations)} serious or critical WCAG 2.2 AA violation(s) on {url}"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{', '.join(t for t in v['tags'] if 'wcag' in t)}]")
        for node in v.get("nodes", [])[:8]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary[:300]}")
        if len(v.get("nodes", [])) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def scan(page: Page) -> list[dict[str, Any]]:
    """axe-core on the page as it is: the serious and critical WCAG 2.2 AA violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "page"


@dataclass
class Journey:
    """One browser tab on the live site. See the module's docstring."""

    context: BrowserContext
    page: Page
    base_url: str
    artefacts: Path
    request: pytest.FixtureRequest
    #: URLs scanned so far, in order
    scanned: list[str] = field(default_factory=list)
    saved: list[Path] = field(default_factory=list)
    _loads: int = 0
    _checked_loads: int = 0

    def __post_init__(self) -> None:
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.on("load", self._loaded)

    def _loaded(self, _page: Page) -> None:
        self._loads += 1

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path

    @property
    def path(self) -> str:
        """The current page's path (and query), without the live server's address."""
        return self.page.url.removeprefix(self.base_url)

    # navigation, each followed by a scan
    def visit(self, path: str) -> Any:
        response = self.page.goto(self.url(path))
        self.check()
        return response

    def follow(self, locator: Locator) -> None:
        """Click something that loads a page (a link, a button), wait for it, scan it."""
        with self.page.expect_navigation():
            locator.click()
        self.check()

    def submit(self, button: str) -> None:
        """Press the form's button named ``button`` and scan the page that comes back."""
        self.follow(self.page.get_by_role("button", name=button, exact=True))

    def check(self) -> None:
        """Scan the current page with axe-core; fail on a serious or critical violation."""
        self.page.wait_for_load_state("load")
        self._checked_loads = self._loads
        url = self.path
        self.scanned.append(url)
        violations = scan(self.page)
        if violations:
            self.screenshot(f"axe-{len(self.scanned)}")
            raise AccessibilityViolations(_format_violations(url, violations))

    def screenshot(self, label: str) -> Path:
        self.artefacts.mkdir(parents=True, exist_ok=True)
        path = self.artefacts / f"{_slug(label)}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.saved.append(path)
        self.request.node.user_properties.append(("artefact", str(path)))  # listed by tests/conftest.py
        return path

    # people
    def sign_in(self, user: Any, password: str = PASSWORD) -> None:
        """Sign in as ``user`` through the sign-in page (the second factor is off in ``live_world``)."""
        self.visit(reverse("accounts:login"))
        self.page.get_by_label("Username").fill(user.username)
        self.page.get_by_label("Password").fill(password)
        self.submit("Sign in")
        if self.path.startswith(reverse("accounts:login")):
            raise AssertionError(f"signing in as {user.username} failed: still on {self.path}")

    def justify(self, reason: str = "Completing the risk assessment for this case, which I am assigned to") -> None:
        """On the justification page of a sensitive record (domestic abuse, intelligence): give a reason and go on."""
        expect(self.page.get_by_role("heading", level=1)).to_have_text("This record needs a justification")
        self.page.get_by_label("Why do you need to see this record?").fill(reason)
        self.submit("Continue to the record")

    def sign_out(self) -> None:
        self.submit("Sign out")

    def new_tab(self) -> Journey:
        """Another journey with its own cookies (another person), in the same browser."""
        browser = self.context.browser
        assert browser is not None
        context = browser.new_context(viewport=VIEWPORT, base_url=self.base_url)
        other = Journey(context, context.new_page(), self.base_url, self.artefacts / "tab2", self.request)
        self.request.addfinalizer(lambda: _finish(other))
        return other

    def unscanned_loads(self) -> int:
        return self._loads - self._checked_loads


def _finish(journey: Journey) -> None:
    """Save the journey's last page, scan it if it was not, fail if a page came and went unscanned; close the tab."""
    try:
        if journey.page.url in ("", "about:blank"):
            return
        journey.screenshot("last-page")
        missed = journey.unscanned_loads()
        if missed:
            journey.check()  # the page still showing can be scanned now; one that came and went cannot
        if missed > 1:
            raise AssertionError(
                f"{missed - 1} page load(s) were never scanned for accessibility (the last page was {journey.path}): "
                "navigate with journey.visit/follow/submit, or call journey.check() after a page loads"
            )
    finally:
        journey.context.close()


@pytest.fixture
def journey(
    playwright_browser: Browser, live_server: Any, live_db: None, settings: Any, request: pytest.FixtureRequest
) -> Iterator[Journey]:
    """A signed-out tab on the live site; every page it visits is scanned by axe-core (see the module docstring).

    The second factor is off, as in the demo: ``journey.sign_in`` uses the sign-in page alone."""
    settings.CSPHUB_REQUIRE_2FA = False
    base_url = str(live_server.url)
    context = playwright_browser.new_context(viewport=VIEWPORT, base_url=base_url)
    name = _slug(request.node.name)
    module = _slug(Path(str(request.node.fspath)).stem)
    artefacts = ARTEFACTS / f"{module}--{name}"
    if artefacts.exists():
        shutil.rmtree(artefacts)
    tab = Journey(context, context.new_page(), base_url, artefacts, request)
    try:
        yield tab
    finally:
        _finish(tab)
