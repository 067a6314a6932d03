"""Fixtures for the report tests: the demo agency audited twice, and tiny hand-built runs.

The demo crawls run in subprocesses (Scrapy's reactor cannot restart); rules
and the directory diff run in-process with a fixed date so the demo does not
age.  The second run is served on other ephemeral ports and then edited: one
broken link is fixed and a new one appears, so ``--compare`` has something
to show.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from siteaudit.directory import store as dstore
from siteaudit.directory.diff import diff_directory
from siteaudit.directory.importers import open_source
from siteaudit.report import write_demo_config
from siteaudit.rules import evaluate_run
from siteaudit.store import open_db

AS_OF = date(2026, 11, 20)
ROOT = Path(__file__).parent.parent.parent


@dataclass
class Demo:
    db_path: Path
    runs: list[int]
    origins: list[str]
    config: Path
    folder: Path


def run_demo(out: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "siteaudit", "demo", "--out", str(out)], capture_output=True,
                          text=True, timeout=300, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def audit(db, run_id: int) -> None:
    """What `siteaudit check` and `siteaudit directory diff` do, with a fixed date."""
    evaluate_run(db, run_id, as_of=AS_OF)
    csv_path = Path(str(resources.files("siteaudit.demo") / "directory.csv"))
    import_id = dstore.save_import(db, open_source(str(csv_path), {}).read())
    results = diff_directory(dstore.load_entries(db, import_id), dstore.load_findings(db, run_id), as_of=AS_OF,
                             window=3)
    dstore.save_results(db, run_id, import_id, results, as_of=AS_OF, window=3)


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Demo:
    folder = tmp_path_factory.mktemp("demo")
    run_demo(folder)
    run_demo(folder)  # the same database, new ephemeral ports
    db_path = folder / "siteaudit.db"
    db = open_db(db_path)
    runs = [r[0] for r in db.execute("SELECT id FROM runs ORDER BY id").fetchall()][-2:]
    origins = [json.loads(db.execute("SELECT start_urls FROM runs WHERE id = ?", [r]).fetchone()[0])[0].rstrip("/")
               for r in runs]
    second, origin = runs[1], origins[1]
    with db.conn:
        # Fixed in the second run: the fee schedule link now works.
        db.execute("UPDATE link_checks SET outcome = 'ok', status = 200, reason = '' WHERE run_id = ? AND target = ?",
                   [second, f"{origin}/docs/fee-schedule-2024.pdf"])
        # New in the second run: the feedback page fails.
        db.execute("UPDATE link_checks SET outcome = 'broken', status = 500, reason = 'HTTP 500' WHERE run_id = ? "
                   "AND target = ? AND fragment = ''", [second, f"{origin}/feedback.html"])
    for run_id in runs:
        audit(db, run_id)
    return Demo(db_path, runs, origins, write_demo_config(folder), folder)


@pytest.fixture(scope="session")
def demo_report(demo, tmp_path_factory) -> Path:
    """The report of the demo's first run (no comparison); returns its folder."""
    from siteaudit.report import write_report

    out = tmp_path_factory.mktemp("report1")
    write_report(demo.db_path, demo.runs[0], out, config_path=demo.config)
    return out


@pytest.fixture(scope="session")
def compare_report(demo, tmp_path_factory) -> Path:
    from siteaudit.report import write_report

    out = tmp_path_factory.mktemp("report2")
    write_report(demo.db_path, demo.runs[1], out, compare="previous", config_path=demo.config)
    return out
