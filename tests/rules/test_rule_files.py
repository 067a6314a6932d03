"""Malformed rule files are rejected with file:line and a message saying what to fix."""

from __future__ import annotations

import textwrap

import pytest

from siteaudit.errors import RuleFileError
from siteaudit.rules.load import parse_rule_text, read_rule_file

HEAD = """\
rules:
  - id: a
    title: T
    severity: error
    policy: P
"""


def error_of(text: str, path: str = "site.yml") -> str:
    with pytest.raises(RuleFileError) as info:
        parse_rule_text(textwrap.dedent(text), path)
    return str(info.value)


def test_unknown_key_in_expect_names_file_line_and_allowed_keys():
    msg = error_of(HEAD + "    select: {page_type: contact}\n    expect:\n      fields: [phone]\n      colour: red\n")
    assert msg.startswith("site.yml:9: unknown key 'colour' in rule 'a' expect (expected one of: fields, at_least,")


def test_unknown_key_in_rule_and_in_select():
    assert error_of(HEAD + "    selector: {home: true}\n") == (
        "site.yml:6: unknown key 'selector' in rule 'a' (expected one of: id, title, severity, policy, "
        "description, enabled, select, expect)")
    msg = error_of(HEAD + "    select:\n      page_kind: contact\n    expect: {fields: [phone]}\n")
    assert msg.startswith("site.yml:7: unknown key 'page_kind' in rule 'a' select (expected one of: url,")


def test_unknown_top_level_key():
    assert error_of("rule:\n  - id: a\n") == (
        "site.yml:1: unknown key 'rule' in the rule file (expected one of: rules, override, disable)")


def test_bad_regex_names_the_pattern_and_the_item_line():
    msg = error_of(HEAD + "    select: {page_type: contact}\n    expect:\n      text_matches:\n"
                          "        - 'ok'\n        - '(unclosed'\n")
    assert msg == ("site.yml:10: bad regular expression in rule 'a' expect.text_matches[2]: '(unclosed': "
                   "missing ), unterminated subpattern at position 0")


def test_bad_regex_in_select():
    msg = error_of(HEAD + "    select: {url_regex: '[a-'}\n    expect: {fields: [phone]}\n")
    assert msg == ("site.yml:6: bad regular expression in rule 'a' select.url_regex: '[a-': "
                   "unterminated character set at position 0")


@pytest.mark.parametrize("expect, message", [
    ("at_least: {phone: two}", "site.yml:8: rule 'a' expect.at_least.phone must be a whole number of at least 1, "
                               "not 'two'"),
    ("no_broken_links: yes please", "site.yml:8: rule 'a' expect.no_broken_links must be true or false, not text"),
    ("updated_within_days: -3", "site.yml:8: rule 'a' expect.updated_within_days must be a whole number of at "
                                "least 1, not -3"),
    ("hours_within: 7am-6pm", "site.yml:8: rule 'a' expect.hours_within must be a time window like "
                              "\"07:00-18:00\", not '7am-6pm'"),
    ("phone_area_codes: [503, 97]", "site.yml:8: rule 'a' expect.phone_area_codes[2] must be a three-digit area "
                                    "code, not 97"),
    ("fields: [phone, fax_number]", "site.yml:8: rule 'a' expect.fields[2] must be one of: phone, tty, fax, email, "
                                    "address, walk_in_address, mailing_address, hours, appointment, short_code; "
                                    "not 'fax_number'"),
    ("links_to: contact", "site.yml:8: rule 'a' expect.links_to must be a mapping, not text"),
    ("any: {fields: [phone]}", "site.yml:8: rule 'a' expect.any must be a list of expectations, not a mapping"),
])
def test_wrong_types_are_rejected_with_line(expect, message):
    assert error_of(HEAD + "    select: {page_type: contact}\n    expect:\n      " + expect + "\n") == message


def test_wrong_severity_and_missing_key():
    assert error_of(HEAD.replace("error", "critical") + "    select: {home: true}\n    expect: {fields: [phone]}\n") \
        == "site.yml:4: rule 'a' severity must be one of: error, warning, info; not 'critical'"
    assert error_of(HEAD.replace("    policy: P\n", "") + "    select: {home: true}\n    expect: {fields: [phone]}\n") \
        == "site.yml:2: rule 'a' is missing required key 'policy'"


def test_yaml_syntax_error_has_line():
    assert error_of("rules:\n  - id: a\n    title: [T\n    severity: error\n") == (
        "site.yml:4: YAML syntax error: expected ',' or ']', but got ':'")
    assert error_of("rules:\n\t- id: a\n") == "site.yml:2: YAML syntax error: found character '\\t' that cannot start any token"


def test_duplicate_key_and_duplicate_rule_id():
    assert error_of(HEAD + "    title: U\n") == "site.yml:6: duplicate key 'title' (first at line 3)"
    rule = "  - id: a\n    title: T\n    severity: info\n    policy: P\n    select: {home: true}\n    expect: {fields: [phone]}\n"
    assert error_of("rules:\n" + rule + rule) == "site.yml:8: duplicate rule id 'a' (first at line 2)"


def test_scope_keys_only_at_the_top_and_site_rules_only_site_checks():
    assert error_of(HEAD + "    select: {any: [{offices: true}]}\n    expect: {fields: [phone]}\n") == (
        "site.yml:6: rule 'a' select.any[1].offices is only allowed at the top of a rule's select")
    assert error_of(HEAD + "    select: {site: true}\n    expect: {fields: [phone]}\n") == (
        "site.yml:2: rule 'a': a site rule (select: site) can only expect consistent_offices or unique_contacts")
    assert error_of(HEAD + "    select: {home: true}\n    expect: {unique_contacts: [phone]}\n") == (
        "site.yml:2: rule 'a': unique_contacts needs select: {site: true}")


def test_bad_rule_id():
    assert error_of("rules:\n  - id: Contact Page\n") == (
        "site.yml:2: rule id must be lower-case letters, digits, '.', '_' or '-', not 'Contact Page'")


def test_missing_file(tmp_path):
    with pytest.raises(RuleFileError) as info:
        read_rule_file(tmp_path / "nope.yml")
    assert str(info.value) == f"{tmp_path / 'nope.yml'}: no such rule file"


def test_a_valid_file_with_every_key_loads():
    text = HEAD + textwrap.indent(textwrap.dedent("""\
        description: every key at once
        enabled: true
        select:
          url: ["*/offices/*", "/contact*"]
          url_regex: 'offices?/'
          page_type: [office, contact]
          title: 'office'
          home: false
          all: [{not: {url: "*.pdf"}}]
          any: [{page_type: office}, {page_type: contact}]
          offices: true
          office_name: 'salem'
        expect:
          fields: [phone, walk_in_address]
          at_least: {phone: 1, office: 1}
          email_domains: [agency.example.gov]
          phone_area_codes: ["503", 971]
          hours_within: "07:00-18:00"
          hours_standard: "Mo-Fr 08:00-17:00"
          links_to: [{url: "*/contact*", text: contact}, {page_type: customer-service, url_regex: 'service'}]
          reachable_within: 2
          text_matches: appointment
          text_not_matches: ['lorem ipsum']
          updated_within_days: 365
          no_broken_links: true
          no_flags: {flags: [tel-mismatch], kinds: [phone]}
          closure_notices_current: true
          any: [{fields: [email]}, {text_matches: 'email'}]
          all: [{fields: [hours]}]
        """), "    ")
    rf = parse_rule_text(text, "site.yml")
    rule = rf.rules[0]
    assert rule.scope == "office"
    assert rule.expect["phone_area_codes"] == ["503", "971"]
    assert rule.expect["hours_within"] == (420, 1080)


def test_yaml_aliases_and_control_characters_are_rejected():
    assert error_of("base: &b {home: true}\nrules:\n  - select: *b\n") == (
        "site.yml:3: YAML aliases (*name) are not supported in rule files; repeat the value")
    assert error_of("rules:\n  - id: a\x07\n") == "site.yml:2: YAML syntax error: character #x0007 is not allowed"
