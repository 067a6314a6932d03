"""Helpers of the browser tests: is the tooling there, and run check_report.mjs on a report folder.

The browser tests use Debian's Chromium driven by playwright-core, and axe-core from npm.
They need ``/usr/bin/chromium`` (``apt-get install chromium``) and
``tests/browser/node_modules`` (``npm install`` here; ``scripts/dev test``
does both).  Without them the tests are skipped with the reason, except in
CI (``CI=true``), where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def _missing() -> str | None:
    if not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()):
        return "Chromium is not installed (apt-get install chromium, or run scripts/dev test)"
    if shutil.which("node") is None:
        return "node is not installed (needed to drive Chromium with playwright-core and run axe-core)"
    if not (HERE / "node_modules" / "axe-core").is_dir() or not (HERE / "node_modules" / "playwright-core").is_dir():
        return "tests/browser/node_modules is missing (cd tests/browser && npm install)"
    return None


def require_browser(env: dict | None = None) -> str:
    """The Chromium executable, or skip (fail when ``CI=true``) saying what is missing and how to get it."""
    env = os.environ if env is None else env
    reason = _missing()
    if reason:
        if env.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but the browser tests cannot run: {reason}")
        pytest.skip(reason)
    return shutil.which("chromium") or "/usr/bin/chromium"


def check_report(chromium: str, report_dir: Path, screenshot: Path, *, bypass_csp: bool = False) -> dict:
    """Run check_report.mjs on a report folder; returns its JSON result."""
    args = ["node", str(HERE / "check_report.mjs"), str(report_dir), str(screenshot), "--chromium", chromium]
    proc = subprocess.run(args + (["--bypass-csp"] if bypass_csp else []), capture_output=True, text=True,
                          timeout=300, cwd=str(HERE))
    assert proc.returncode == 0, f"check_report.mjs failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return json.loads(proc.stdout)
