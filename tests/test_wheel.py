"""The wheel stands alone: built, installed into a fresh virtual environment outside the checkout, and run there.

From a working directory outside the checkout, the installed ``csphub`` dedupes the shipped register records
(``data/legacy/people.csv``) and finds hotspots in a shipped police.uk month, reading its reference data (boundaries,
name lists, postcodes) from the package. Also ``make wheel-check``. Building the wheel takes a while, so it is
``slow``; it is skipped only when no wheel can be built because the build backend can be neither downloaded nor found
installed.
"""

from __future__ import annotations

import csv
import fcntl
import importlib.util
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = ROOT / "data" / "legacy" / "people.csv"
MONTH = ROOT / "data" / "police-uk" / "northamptonshire" / "2025-01-northamptonshire-street.csv"
TRUE_PEOPLE = 700  # data/legacy/truth.csv


def _source_copy(dest: Path) -> Path:
    """The files a wheel is built from, copied so that no build/ or stale file of the checkout gets in."""
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "csphub", dest / "csphub", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def _build_wheel(source: Path, out: Path) -> Path:
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out)]
    isolated = subprocess.run([*pip, str(source)], capture_output=True, text=True, timeout=600)
    if isolated.returncode != 0:
        have_backend = all(importlib.util.find_spec(m) is not None for m in ("setuptools", "wheel"))
        if not have_backend:
            pytest.skip(
                "cannot build a wheel: pip could not fetch the build backend (setuptools>=69, wheel), offline?, "
                f"and it is not installed here: {isolated.stderr.strip()[-300:]}"
            )
        local = subprocess.run([*pip, "--no-build-isolation", str(source)], capture_output=True, text=True, timeout=600)
        assert local.returncode == 0, local.stderr
    (wheel,) = out.glob("csphub-*.whl")
    return wheel


def _install(base: Path) -> Path:
    """A fresh virtual environment outside the checkout with the wheel installed, its dependencies read from this
    environment's site-packages through a ``.pth`` line (not re-downloaded and re-installed: this environment holds
    exactly the locked versions, ``make install``). A ``.pth`` line adds a directory to ``sys.path`` without running the
    ``.pth`` files inside it, so the checkout's editable install of csphub stays out and ``import csphub`` finds the
    wheel. ``pip check`` then proves the wheel's declared dependencies are all met by the locked set."""
    (base / "src").mkdir()
    wheel = _build_wheel(_source_copy(base / "src"), base / "dist")
    venv.create(base / "venv", with_pip=False)
    bin_dir = base / "venv" / "bin"
    (site_packages,) = (base / "venv" / "lib").glob("python*/site-packages")
    ours = [Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (site_packages / "locked-dependencies.pth").write_text("".join(f"{p}\n" for p in ours), encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(bin_dir / "python")]
    install = subprocess.run([*pip, "install", "--quiet", "--no-deps", wheel], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    check = subprocess.run([*pip, "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    return bin_dir


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The bin directory of a fresh virtual environment (outside the checkout) with the wheel installed.

    Built once per run: pytest-xdist's workers share it through a lock in their common temporary directory.
    """
    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    base = shared / "wheel-check"
    assert not base.resolve().is_relative_to(ROOT)
    with (shared / "wheel-check.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (base / "installed").is_file():
            return base / "venv" / "bin"
        if base.exists():
            shutil.rmtree(base)  # a half-made one
        base.mkdir()
        bin_dir = _install(base)
        (base / "installed").touch()
        return bin_dir


def _csphub(bin_dir: Path, cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    # No CSPHUB_* variable of this machine leaks in: the installed defaults are what is tested.
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8"}
    return subprocess.run(
        [bin_dir / "csphub", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    work = tmp_path / "elsewhere"
    work.mkdir()
    assert not work.resolve().is_relative_to(ROOT)
    return work


def test_the_installed_package_is_not_the_checkout(installed: Path, elsewhere: Path) -> None:
    python = installed / "python"
    done = subprocess.run(
        [python, "-c", "import csphub, sys; print(csphub.__file__)"], cwd=elsewhere, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "site-packages" in done.stdout and not Path(done.stdout.strip()).is_relative_to(ROOT)


def test_the_installed_csphub_link_dedupes_the_shipped_records(installed: Path, elsewhere: Path) -> None:
    listed = _csphub(installed, elsewhere, "link", "--help")
    assert listed.returncode == 0 and all(c in listed.stdout for c in ("dedupe", "generate", "import", "run"))
    done = _csphub(installed, elsewhere, "link", "--no-progress", "dedupe", PEOPLE, "--out", "clusters.csv")
    assert done.returncode == 0, done.stderr
    with (elsewhere / "clusters.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1172 and list(rows[0]) == ["source", "record_id", "cluster_id"]
    clusters = len({r["cluster_id"] for r in rows})
    assert abs(clusters - TRUE_PEOPLE) / TRUE_PEOPLE < 0.05, clusters
    # The generator reads its name lists and postcodes as package resources.
    generated = _csphub(installed, elsewhere, "link", "generate", "legacy", "--people", "40", "--csv")
    assert generated.returncode == 0, generated.stderr
    assert (elsewhere / "legacy" / "truth.csv").is_file() and "40 people" in generated.stdout


def test_the_installed_csphub_crime_finds_hotspots_in_a_shipped_month(installed: Path, elsewhere: Path) -> None:
    ingest = _csphub(installed, elsewhere, "crime", "ingest", MONTH)
    assert ingest.returncode == 0, ingest.stderr
    assert (elsewhere / "var" / "data").is_dir()  # the store's default, under the working directory
    done = _csphub(installed, elsewhere, "crime", "hotspots", "--hotspots")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(done.stdout.splitlines()))
    assert rows and set(rows[0]) >= {"hotspot", "cells", "events", "peak_z", "districts"}
    districts = {d for r in rows for d in r["districts"].split()}
    assert districts and districts <= {"E07000150", "E07000152", "E07000153", "E07000156"}
    assert all(int(r["events"]) > 0 and float(r["peak_z"]) > 0 for r in rows)
