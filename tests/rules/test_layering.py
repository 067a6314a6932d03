"""Precedence: defaults, then site files in order; replace, override and disable by id."""

from __future__ import annotations

import pytest
from rulekit import write

from siteaudit.errors import RuleFileError
from siteaudit.rules.load import default_rule_files, load_rules

RULE = """\
rules:
  - id: {id}
    title: {title}
    severity: {severity}
    policy: P
    select: {{home: true}}
    expect: {{fields: [phone]}}
"""


def test_defaults_load_in_file_name_order_and_every_rule_cites_a_policy():
    files = default_rule_files()
    names = [f.path for f in files]
    assert names == sorted(names) and len(names) >= 5
    ruleset = load_rules()
    assert len(ruleset.rules) >= 25
    for rule in ruleset.rules:
        assert "DAS 107-001-040" in rule.policy or "010-033" in rule.policy or "OBMI" in rule.policy, rule.id
        assert rule.source.startswith("siteaudit_rules/")


def test_no_defaults_loads_only_the_given_files(tmp_path):
    f = write(tmp_path, "a.yml", RULE.format(id="mine", title="Mine", severity="info"))
    ruleset = load_rules([f], use_defaults=False)
    assert [r.id for r in ruleset.rules] == ["mine"]


def test_same_id_in_a_later_file_replaces_the_rule_in_place(tmp_path):
    f = write(tmp_path, "site.yml", RULE.format(id="contact-page-email", title="Ours", severity="info"))
    before = [r.id for r in load_rules().rules]
    ruleset = load_rules([f])
    assert [r.id for r in ruleset.rules] == before  # same position
    rule = ruleset.get("contact-page-email")
    assert (rule.title, rule.severity, rule.select) == ("Ours", "info", {"home": True})
    assert rule.source == f"{f}:2"


def test_later_site_file_wins_over_earlier_one(tmp_path):
    a = write(tmp_path, "a.yml", RULE.format(id="x", title="From A", severity="info"))
    b = write(tmp_path, "b.yml", RULE.format(id="x", title="From B", severity="error"))
    assert load_rules([a, b], use_defaults=False).get("x").title == "From B"
    assert load_rules([b, a], use_defaults=False).get("x").title == "From A"


def test_override_changes_only_the_keys_given(tmp_path):
    f = write(tmp_path, "site.yml", """\
        override:
          office-hours-standard:
            severity: warning
            expect: {hours_standard: ["Mo-Fr 07:30-16:30"]}
        """)
    default = load_rules().get("office-hours-standard")
    rule = load_rules([f]).get("office-hours-standard")
    assert rule.severity == "warning"
    assert rule.expect == {"hours_standard": ["Mo-Fr 07:30-16:30"]}
    assert (rule.title, rule.policy, rule.select) == (default.title, default.policy, default.select)
    assert rule.source == f"{default.source}, overridden at {f}:3"


def test_override_enables_a_disabled_default(tmp_path):
    assert not load_rules().get("email-domain").enabled
    f = write(tmp_path, "site.yml", """\
        override:
          email-domain: {enabled: true, expect: {email_domains: [agency.example.gov]}}
        """)
    rule = load_rules([f]).get("email-domain")
    assert rule.enabled and rule.expect == {"email_domains": ["agency.example.gov"]}
    assert "email-domain" in [r.id for r in load_rules([f]).active]


def test_override_of_unknown_id_is_an_error_with_line(tmp_path):
    f = write(tmp_path, "site.yml", "override:\n  no-such-rule: {severity: info}\n")
    with pytest.raises(RuleFileError) as info:
        load_rules([f])
    assert str(info.value) == f"{f}:2: override of unknown rule id 'no-such-rule' (no earlier file defines it)"


def test_override_keys_are_validated_in_the_override_file(tmp_path):
    f = write(tmp_path, "site.yml", "override:\n  no-broken-links:\n    id: other\n")
    with pytest.raises(RuleFileError) as info:
        load_rules([f])
    assert str(info.value).startswith(f"{f}:3: unknown key 'id' in override 'no-broken-links' (expected one of:")


def test_disable_removes_a_rule_and_unknown_ids_only_warn(tmp_path):
    f = write(tmp_path, "site.yml", "disable: [no-broken-links, not-a-rule]\n")
    ruleset = load_rules([f])
    assert ruleset.get("no-broken-links") is None
    assert ruleset.disabled == ["no-broken-links"]
    assert ruleset.warnings == [f"{f}:1: disable of unknown rule id 'not-a-rule' ignored"]


def test_within_a_file_rules_then_override_then_disable(tmp_path):
    f = write(tmp_path, "site.yml", RULE.format(id="mine", title="Mine", severity="info") + """\
        override:
          mine: {severity: error}
        disable: [contact-page-email]
        """.replace("        ", ""))
    ruleset = load_rules([f])
    assert ruleset.get("mine").severity == "error"
    assert ruleset.get("contact-page-email") is None


def test_enabled_false_keeps_the_rule_listed_but_inactive(tmp_path):
    f = write(tmp_path, "site.yml", "override:\n  no-broken-links: {enabled: false}\n")
    ruleset = load_rules([f])
    assert ruleset.get("no-broken-links") is not None
    assert "no-broken-links" not in [r.id for r in ruleset.active]
