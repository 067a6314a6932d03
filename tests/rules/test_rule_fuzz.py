"""Any input gives a RuleFile or a RuleFileError with a line, never a traceback."""

from __future__ import annotations

import json

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


finding_rows = st.fixed_dictionaries({
    "kind": st.sampled_from(["phone", "email", "address", "hours", "appointment", "short_code", "other"]),
    "value": st.one_of(st.none(), st.text(max_size=20), st.sampled_from(["+15035551234", "Mo-Fr 08:00-17:00",
                                                                          "24/7", "x@y.gov", "Mo 25:00-99:99"])),
    "text": st.one_of(st.none(), st.text(max_size=20)),
    "label": st.one_of(st.none(), st.sampled_from(["Fax", "TTY", "Mailing address", ""])),
    "office_key": st.one_of(st.none(), st.integers(0, 2)),
    "phone_type": st.one_of(st.none(), st.sampled_from(["voice", "fax", "tty"])),
    "flags": st.one_of(st.just([]), st.lists(st.sampled_from(["invalid", "tel-mismatch"]), max_size=2),
                       st.just("not json"), st.just({"a": 1})),
    "data": st.one_of(st.just({}), st.just({"kind": "mailing"}), st.just([1, 2]), st.just("{bad")),
})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(finding_rows, max_size=12), st.lists(st.sampled_from(["Salem office", "", None, "Appointments"]),
                                                      max_size=3))
def test_default_rules_never_crash_on_odd_rows(tmp_path_factory, rows, names):
    from rulekit import RunBuilder

    from siteaudit.rules import evaluate_run
    from siteaudit.store import insert_rows, open_db

    db = open_db(tmp_path_factory.mktemp("fuzz") / "f.db")
    b = RunBuilder(db)
    b.page("/", title="Home", depth=0, text="closed May 1, 2026", links=["/offices/salem", ("/x", None)])
    b.page("/offices/salem", title=None, headings=["Salem Field Office"], text="x",
           offices=[(i, n) for i, n in enumerate(names)])
    for r in rows:
        # flags/data as the crawler stores them (JSON text), including malformed text
        r = {**r, "flags": r["flags"] if isinstance(r["flags"], str) else json.dumps(r["flags"]),
             "data": r["data"] if isinstance(r["data"], str) else json.dumps(r["data"])}
        insert_rows(db, "findings", [{"run_id": b.run_id, "url": "https://agency.example.gov/offices/salem", **r}])
    results = evaluate_run(db, b.run_id)
    assert results and all(r.outcome in ("pass", "fail", "not-applicable") for r in results)
