"""Any input gives a RuleFile or a RuleFileError with a line, never a traceback."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siteaudit.errors import RuleFileError
from siteaudit.rules.load import parse_rule_text
from siteaudit.rules.schema import EXPECT_KEYS, SELECT_KEYS

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 500), st.text(max_size=12),
                    st.sampled_from(["phone", "office", "contact", "07:00-18:00", "(", "*", "all", "503"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from([*SELECT_KEYS, *EXPECT_KEYS, "flags", "kinds", "x"]), inner, max_size=3)),
    max_leaves=12)
rules = st.fixed_dictionaries(
    {"id": st.sampled_from(["a", "b", "Bad Id", 3]), "title": scalars, "severity": st.sampled_from(["error", "x"]),
     "policy": st.just("P"),
     "select": st.dictionaries(st.sampled_from(SELECT_KEYS), values, max_size=3),
     "expect": st.dictionaries(st.sampled_from(EXPECT_KEYS), values, max_size=3)})


def _parse(text: str):
    try:
        parse_rule_text(text, "fuzz.yml")
    except RuleFileError as exc:
        assert exc.path == "fuzz.yml" and exc.message
        assert str(exc).startswith("fuzz.yml")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rules, max_size=3))
def test_random_rule_structures(data):
    _parse(yaml.safe_dump({"rules": data}, allow_unicode=True))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_random_text(text):
    _parse(text)
