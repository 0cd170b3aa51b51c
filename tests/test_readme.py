"""The README tells the truth: every setting csphub reads is in its configuration table, every package in its tree."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "csphub"
README = ROOT / "README.md"

# A CSPHUB_ variable read through the typed helpers (env.int("CSPHUB_…", …)) or straight from os.environ.
_READ = re.compile(
    r"""(?:\benv\.\w+|\benviron\.get|\benviron\.setdefault|\bgetenv)\(\s*["'](CSPHUB_\w+)["']"""
    r"""|\benviron\[\s*["'](CSPHUB_\w+)["']\s*\]"""
)


def variables_read(source: str) -> set[str]:
    return {a or b for a, b in _READ.findall(source)}


def variables_read_by_csphub() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        found |= variables_read(path.read_text(encoding="utf-8"))
    return found


def variables_read_by_the_tests() -> set[str]:
    """What the test suite itself reads (e.g. CSPHUB_BROWSER_TESTS); this file's examples are not reads."""
    found: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        if path.resolve() != Path(__file__).resolve():
            found |= variables_read(path.read_text(encoding="utf-8"))
    return found


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


def variables_documented() -> set[str]:
    """The variables named in the first column of the README's configuration table."""
    rows = [line for line in _section("Configuration").splitlines() if line.startswith("|")]
    return {name for row in rows for name in re.findall(r"`(CSPHUB_\w+)`", row.split("|")[1])}


def test_it_finds_the_variables_however_they_are_read() -> None:
    source = """
        A = env.int("CSPHUB_A", 5, minimum=1)
        B = env.list(
            "CSPHUB_B"
        )
        C = os.environ.get("CSPHUB_C", "x")
        D = os.environ["CSPHUB_D"]
        E = os.getenv('CSPHUB_E')
        # a mention of CSPHUB_F in a comment is not a read
    """
    assert variables_read(source) == {"CSPHUB_A", "CSPHUB_B", "CSPHUB_C", "CSPHUB_D", "CSPHUB_E"}
    assert {"CSPHUB_SECRET_KEY", "CSPHUB_DATA_DIR", "CSPHUB_DEMO_PASSWORD"} <= variables_read_by_csphub()


def test_it_documents_every_variable_csphub_reads() -> None:
    missing = variables_read_by_csphub() - variables_documented()
    assert not missing, f"add these to README.md's Configuration table: {sorted(missing)}"


def test_it_documents_every_variable_the_tests_read() -> None:
    assert "CSPHUB_BROWSER_TESTS" in variables_read_by_the_tests()
    missing = variables_read_by_the_tests() - variables_documented()
    assert not missing, f"add these to README.md's Configuration table: {sorted(missing)}"


def test_it_documents_no_variable_csphub_does_not_read() -> None:
    stale = variables_documented() - variables_read_by_csphub() - variables_read_by_the_tests()
    assert not stale, f"README.md's Configuration table names variables nothing reads: {sorted(stale)}"


def packages() -> set[str]:
    """csphub's packages at the top level: folders with an __init__.py."""
    return {path.parent.name for path in PACKAGE.glob("*/__init__.py")}


def test_its_code_tree_shows_every_package() -> None:
    section = _section("How it is built")
    tree = section.split("```")[1]
    shown = set(re.findall(r"^  (\w+)/", tree, flags=re.M))
    assert {"linkage", "analytics", "access"} <= packages()
    missing = packages() - shown
    assert not missing, f"add these packages to the tree in README.md: {sorted(missing)}"
