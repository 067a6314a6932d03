"""Helpers for crawl tests: run a crawl of a served scenario and read the run back."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def run_cli(*args: str, timeout: float = 300, check: bool = False) -> subprocess.CompletedProcess:
    """Run the siteaudit CLI in a fresh interpreter; returns the completed process."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run([sys.executable, "-m", "siteaudit", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=str(ROOT))
    if check and proc.returncode != 0:
        raise AssertionError(f"siteaudit {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc

FAST = ["--concurrency", "8", "--timeout", "1", "--retries", "1", "--retry-after-max", "2",
        "-s", "SITEAUDIT_RETRY_BACKOFF=0.05", "-q"]


def crawl(db, *args, check=True):
    return run_cli("crawl", *args, "--db", str(db), *FAST, check=check)


class Run:
    """Read-only view of the latest run in a database, for assertions."""

    def __init__(self, db_path):
        self.conn = sqlite3.connect(str(db_path))
        self.conn.row_factory = sqlite3.Row
        self.run_id = self.conn.execute("SELECT max(id) FROM runs").fetchone()[0]

    def rows(self, sql, *params):
        return [dict(r) for r in self.conn.execute(sql, params)]

    def outcomes(self, origin=""):
        """{target-without-origin(#fragment): outcome} for the run."""
        out = {}
        for r in self.rows("SELECT target, fragment, outcome FROM link_checks WHERE run_id = ?", self.run_id):
            key = r["target"].replace(origin, "") + (f"#{r['fragment']}" if r["fragment"] else "")
            out[key] = r["outcome"]
        return out

    def check(self, target, fragment=""):
        rows = self.rows("SELECT * FROM link_checks WHERE run_id = ? AND target = ? AND fragment = ?",
                         self.run_id, target, fragment)
        assert rows, f"no check for {target}#{fragment}"
        row = rows[0]
        row["chain"] = json.loads(row["chain"] or "[]")
        return row

    def sources(self, target):
        return sorted(r["source"] for r in self.rows(
            "SELECT source FROM links WHERE run_id = ? AND target = ?", self.run_id, target))

    def pages(self):
        return sorted(r["url"] for r in self.rows("SELECT url FROM pages WHERE run_id = ?", self.run_id))

    def run(self):
        return self.rows("SELECT * FROM runs WHERE id = ?", self.run_id)[0]
