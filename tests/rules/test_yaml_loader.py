"""The rule-file YAML loader: LibYAML's fast path gives what the pure-Python reference gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from siteaudit.errors import RuleFileError
from siteaudit.rules import _yaml
from siteaudit.rules.load import load_rules

RULES = Path(__file__).resolve().parents[2] / "rules"

# YAML shapes the shipped files do not all use: flow and block collections, comments, folded and
# literal blocks, quoted keys, anchors without aliases, an empty document, a document marker.
SHAPES = [
    "rules:\n  - id: a  # trailing comment\n    select: {page_type: [contact, office]}\n",
    "rules:\n- id: b\n  title: >\n    folded\n    lines\n  policy: |\n    literal\n\n    kept\n",
    "'quoted key': &anchor value\n\"other\": [1, 2.5, true, null, ~, 2026-12-04]\n",
    "",
    "---\nrules: []\n...\n",
    "a:\n  b:\n    c:\n      - - x\n        - y\n      - {d: e}\n",
]


def _same(x, y) -> None:
    assert type(x) is type(y)
    if isinstance(x, dict):
        assert (x, x.line, x.key_lines, x.value_lines) == (y, y.line, y.key_lines, y.value_lines)
        for key in x:
            _same(x[key], y[key])
    elif isinstance(x, list):
        assert (x, x.line, x.item_lines) == (y, y.line, y.item_lines)
        for a, b in zip(x, y):
            _same(a, b)
    else:
        assert x == y


needs_libyaml = pytest.mark.skipif(_yaml._FastBase is None, reason="PyYAML built without LibYAML")


@needs_libyaml
@pytest.mark.parametrize("name", sorted(p.name for p in RULES.glob("*.yml")))
def test_the_fast_path_reads_every_shipped_rule_file_as_the_reference_does(name):
    text = (RULES / name).read_text(encoding="utf-8")
    _same(_yaml._load_fast(text, name), _yaml._load_reference(text, name))


@needs_libyaml
@pytest.mark.parametrize("text", SHAPES)
def test_the_fast_path_gives_the_same_values_and_lines_on_other_shapes(text):
    _same(_yaml._load_fast(text, "site.yml"), _yaml._load_reference(text, "site.yml"))


@needs_libyaml
def test_the_fast_path_leaves_aliases_and_errors_to_the_reference():
    with pytest.raises(_yaml._Unsure):
        _yaml._load_fast("a: &x [1]\nb: *x\n", "site.yml")
    with pytest.raises(RuleFileError, match=r"site.yml:2: YAML aliases"):
        _yaml.load_yaml("a: &x [1]\nb: *x\n", "site.yml")
    # LibYAML stops at 1,000 levels; the reference's own limit and wording apply
    with pytest.raises(RuleFileError, match="nested too deeply"):
        _yaml.load_yaml("a: " + "[" * 5000 + "]" * 5000 + "\n", "site.yml")


def test_without_libyaml_the_reference_loader_reads_the_rules(monkeypatch):
    fast = load_rules()
    monkeypatch.setattr(_yaml, "_FastBase", None)
    monkeypatch.setattr(_yaml, "_load_fast", None)  # not called
    from siteaudit.rules import load

    load._parse_default.cache_clear()
    try:
        slow = load_rules()
    finally:
        load._parse_default.cache_clear()
    assert [r.id for r in slow.rules] == [r.id for r in fast.rules]
    assert [(r.source, r.expect) for r in slow.rules] == [(r.source, r.expect) for r in fast.rules]
