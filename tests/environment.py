"""Running csphub in a fresh Python process with a chosen environment: for settings read at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_python(env: dict[str, str], *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """``python *args`` in the project, with this process's environment less every csphub setting, plus ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CSPHUB_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, *args], env={**clean, **env}, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def run_django(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """A ``django-admin`` command (``python -m django``) under ``env``."""
    return run_python(env, "-m", "django", *args)
