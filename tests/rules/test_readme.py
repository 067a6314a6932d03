"""rules/README.md is the user's reference: its examples must load, and it must name every key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from siteaudit.rules.load import layer, default_rule_files, parse_rule_text
from siteaudit.rules.schema import EXPECT_KEYS, FIELDS, PAGE_TYPES, SELECT_KEYS

README = Path(__file__).parents[2] / "rules" / "README.md"
TEXT = README.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```yaml\n(.*?)```", TEXT, re.S)


def test_readme_has_yaml_examples():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_every_yaml_example_validates_on_top_of_the_defaults(index):
    ruleset = layer(default_rule_files() + [parse_rule_text(BLOCKS[index], f"README.md block {index + 1}")])
    assert ruleset.warnings == []


@pytest.mark.parametrize("word", [*SELECT_KEYS, *EXPECT_KEYS, *FIELDS, *PAGE_TYPES])
def test_readme_documents_every_key_field_and_page_type(word):
    assert f"`{word}`" in TEXT


def test_readme_lists_every_default_rule():
    ids = {r.id for rf in default_rule_files() for r in rf.rules}
    missing = [i for i in ids if f"`{i}`" not in TEXT]
    assert missing == []
