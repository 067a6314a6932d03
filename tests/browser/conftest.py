"""Fixtures of the browser tests (see browser_helpers.py for what they need and how they skip)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from browser_helpers import require_browser

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent / "report"))  # report_synth: the hostile run builder


@pytest.fixture(scope="session")
def browser_ready() -> str:
    return require_browser()


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
