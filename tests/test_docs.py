"""Documentation stays true: every command is in the README, every table and column in docs/schema.md."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from siteaudit import store
from siteaudit.cli import main

ROOT = Path(__file__).parent.parent


def _commands(group: click.Group, prefix: str = "siteaudit"):
    for name, cmd in group.commands.items():
        yield f"{prefix} {name}"
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, f"{prefix} {name}")


@pytest.mark.parametrize("command", sorted(_commands(main)))
def test_every_command_is_in_the_readme(command):
    assert f"`{command}" in (ROOT / "README.md").read_text(), f"README does not document `{command}`"


def _all_tables_db(tmp_path):
    """A database with every table any layer creates."""
    from siteaudit.directory import store as dstore
    from siteaudit.rules import PAGE_TEXT_DDL, RULE_RESULTS_DDL

    db = store.open_db(tmp_path / "all.db")
    store.ensure_table(db, PAGE_TEXT_DDL)
    store.ensure_table(db, RULE_RESULTS_DDL)
    store.ensure_table(db, dstore.DDL)
    return db


def _documented():
    text = (ROOT / "docs" / "schema.md").read_text()
    sections = re.split(r"^### `(\w+)`", text, flags=re.M)
    return {sections[i]: sections[i + 1] for i in range(1, len(sections), 2)}


def test_every_table_and_column_is_documented(tmp_path):
    db = _all_tables_db(tmp_path)
    docs = _documented()
    for table in db.table_names():
        assert table in docs, f"table {table} is not in docs/schema.md"
        for column in db[table].columns_dict:
            assert f"`{column}`" in docs[table], f"{table}.{column} is not documented"


def test_no_documented_table_is_missing(tmp_path):
    db = _all_tables_db(tmp_path)
    assert set(_documented()) <= set(db.table_names())
