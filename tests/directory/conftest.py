"""Shared fixtures for the directory tests: a temp database and a run with findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from siteaudit.store import insert_rows, open_db, start_run

DATA = Path(__file__).parent / "data"
FINDING_DEFAULTS = {"kind": "phone", "value": "", "text": "", "label": "", "office": "", "path": "main > p",
                    "line": 1, "source": "text", "flags": [], "data": {}}


def add_run(db, findings: list[dict]) -> int:
    """A finished-looking run whose findings rows are ``findings`` (defaults filled in)."""
    run_id = start_run(db, ["https://demo.example.gov/"], {})
    rows = [{"run_id": run_id, **FINDING_DEFAULTS, **f} for f in findings]
    insert_rows(db, "findings", rows)
    return run_id


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "audit.db"


@pytest.fixture
def db(db_path):
    return open_db(db_path)


@pytest.fixture
def data_dir() -> Path:
    return DATA
