"""Browser tests of the HTML report: Debian's Chromium driven by playwright-core, axe-core from npm.

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
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent / "report"))  # report_synth: the hostile run builder

IN_CI = os.environ.get("CI", "").lower() == "true"


def _missing() -> str | None:
    if not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()):
        return "Chromium is not installed (apt-get install chromium, or run scripts/dev test)"
    if shutil.which("node") is None:
        return "node is not installed (needed to drive Chromium with playwright-core and run axe-core)"
    if not (HERE / "node_modules" / "axe-core").is_dir() or not (HERE / "node_modules" / "playwright-core").is_dir():
        return "tests/browser/node_modules is missing (cd tests/browser && npm install)"
    return None


@pytest.fixture(scope="session")
def browser_ready() -> str:
    """The Chromium executable; skips (fails under CI=true) when the browser tooling is missing."""
    reason = _missing()
    if reason:
        if IN_CI:
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


@pytest.fixture(scope="session")
def demo_report_dir(tmp_path_factory) -> Path:
    """The demo agency audited twice (new ports each time), reported with the second compared to the first."""
    from siteaudit.report import write_demo_config, write_report

    folder = tmp_path_factory.mktemp("browser-demo")
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-m", "siteaudit", "demo", "--out", str(folder)], capture_output=True,
                              text=True, timeout=300, cwd=str(ROOT))
        assert proc.returncode == 0, proc.stdout + proc.stderr
    out = folder / "report-compare"
    write_report(folder / "siteaudit.db", "latest", out, compare="previous", config_path=write_demo_config(folder))
    return out
