"""Shared fixtures for the directory tests: a temp database and a run with findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from siteaudit.store import insert_rows, open_db, start_run

DATA = Path(__file__).parent / "data"
FINDING_DEFAULTS = {"kind": "phone", "value": "", "text": "", "label": "", "office": "", "line": 1, "source": "text", "phone_type": None, "flags": [], "data": {}}


def add_run(db, findings: list[dict]) -> int:
    """A run whose findings rows are ``findings``; defaults filled in, one element (path) per line."""
    run_id = start_run(db, ["https://demo.example.gov/"], {})
    rows = []
    for f in findings:
        row = {"run_id": run_id, **FINDING_DEFAULTS, **f}
        row.setdefault("path", f"main > p:nth-of-type({row['line']})")  # one element per line
        rows.append(row)
    insert_rows(db, "findings", rows)
    return run_id


@pytest.fixture
def make_run():
    """``make_run(db, findings) -> run_id`` (see :func:`add_run`)."""
    return add_run


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "audit.db"


@pytest.fixture
def db(db_path):
    return open_db(db_path)


@pytest.fixture
def data_dir() -> Path:
    return DATA
