"""Fixtures for rule tests (helpers live in rulekit.py)."""

from __future__ import annotations

import pytest
from rulekit import RunBuilder

from siteaudit.store import open_db


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "audit.db")


@pytest.fixture
def build(db):
    return RunBuilder(db)
