"""siteaudit rules check|list, check and findings, in-process with CliRunner."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner
from rulekit import RunBuilder, phone, write

from siteaudit.cli import main
from siteaudit.store import open_db

GOOD = """\
rules:
  - id: office-phone
    title: Office pages show a phone number
    severity: error
    policy: "DAS 107-001-040 — Inclusive Customer Access"
    select: {page_type: office}
    expect: {fields: [phone]}
"""


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_rules_check_ok_and_errors_with_file_line(tmp_path):
    good = write(tmp_path, "good.yml", GOOD)
    bad = write(tmp_path, "bad.yml", GOOD.replace("fields: [phone]", "fields: [phone], colour: red"))
    ok = invoke("rules", "check", str(good))
    assert ok.exit_code == 0
    assert ok.output == f"{good}: ok (1 rule(s), 0 override(s), 0 disabled)\n"
    res = invoke("rules", "check", str(good), str(bad))
    assert res.exit_code == 2
    assert f"{good}: ok" in res.stdout
    assert res.stderr.startswith(f"{bad}:7: unknown key 'colour' in rule 'office-phone' expect (expected one of:")


def test_rules_check_yaml_error_and_missing_file(tmp_path):
    broken = write(tmp_path, "broken.yml", "rules:\n  - id: a\n    title: [x\n")
    res = invoke("rules", "check", str(broken), str(tmp_path / "none.yml"))
    assert res.exit_code == 2
    assert res.stderr.splitlines() == [
        f"{broken}:4: YAML syntax error: expected ',' or ']', but got '<stream end>'",
        f"{tmp_path / 'none.yml'}: no such rule file",
    ]


def test_rules_check_resolves_overrides_against_defaults(tmp_path):
    site = write(tmp_path, "site.yml", "override:\n  no-broken-links: {severity: warning}\ndisable: [nope]\n")
    res = invoke("rules", "check", str(site))
    assert res.exit_code == 0
    assert "warning: " in res.stderr and "'nope' ignored" in res.stderr
    res = invoke("rules", "check", "--no-defaults", str(site))
    assert res.exit_code == 2
    assert res.stderr.strip() == f"{site}:2: override of unknown rule id 'no-broken-links' (no earlier file defines it)"


def test_rules_list_shows_defaults_and_site_rules(tmp_path):
    site = write(tmp_path, "site.yml", GOOD + "disable: [no-broken-links]\n")
    res = invoke("rules", "list", "--rules", str(site), "--format", "json")
    assert res.exit_code == 0
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert res.stderr == "disabled: no-broken-links\n"
    ids = [r["id"] for r in rows]
    assert "office-phone" in ids and "contact-page-fields" in ids and "no-broken-links" not in ids
    mine = rows[ids.index("office-phone")]
    assert mine["source"] == f"{site}:2" and mine["scope"] == "page" and mine["enabled"] == "yes"
    only = invoke("rules", "list", "--no-defaults", "--rules", str(site))
    assert only.stdout.splitlines()[0].split()[:4] == ["ID", "SEVERITY", "SCOPE", "ENABLED"]
    assert len(only.stdout.splitlines()) == 2


def test_bad_rule_file_in_list_is_a_one_line_error(tmp_path):
    bad = write(tmp_path, "bad.yml", GOOD.replace("severity: error", "severity: loud"))
    res = CliRunner().invoke(main, ["rules", "list", "--rules", str(bad)])
    assert res.exit_code == 2
    assert f"{bad}:4: rule 'office-phone' severity must be one of: error, warning, info; not 'loud'" in res.output
    assert "Traceback" not in res.output


def _seed(db_path):
    db = open_db(db_path)
    b = RunBuilder(db)
    b.page("/offices/salem", title="Salem Field Office", findings=[phone()])
    b.page("/offices/bend", title="Bend Field Office", text="Bend")
    return b.run_id


def test_check_then_findings_in_every_format(tmp_path):
    db_path = tmp_path / "a.db"
    run_id = _seed(db_path)
    rules = write(tmp_path, "site.yml", GOOD)
    res = invoke("check", "--db", str(db_path), "--run", str(run_id), "--rules", str(rules), "--no-defaults")
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[:2] == [
        f"run {run_id}: 1 rule(s), 2 result(s): 1 failed (1 error, 0 warning, 0 info), 1 passed, 0 not applicable",
        "  error   office-phone: 1 failed",
    ]
    table = invoke("findings", "--db", str(db_path))
    assert table.output.splitlines()[0].split() == ["SEVERITY", "RULE_ID", "URL", "OFFICE", "MESSAGE"]
    assert "https://agency.example.gov/offices/bend" in table.output and "page does not show: phone" in table.output
    rows = list(csv.DictReader(io.StringIO(invoke("findings", "--db", str(db_path), "--format", "csv").output)))
    assert [(r["rule_id"], r["outcome"], r["policy"]) for r in rows] == [
        ("office-phone", "fail", "DAS 107-001-040 — Inclusive Customer Access")]
    every = invoke("findings", "--db", str(db_path), "--all", "--format", "json")
    results = [json.loads(line) for line in every.output.splitlines()]
    assert sorted(r["outcome"] for r in results) == ["fail", "pass"]
    assert results[0]["evidence"] == {"fields": {"missing": ["phone"], "present": {}}}


def test_check_again_replaces_results_and_severity_filter(tmp_path):
    db_path = tmp_path / "a.db"
    run_id = _seed(db_path)
    rules = write(tmp_path, "site.yml", GOOD.replace("severity: error", "severity: info"))
    invoke("check", "--db", str(db_path), "--run", str(run_id), "--rules", str(rules), "--no-defaults")
    invoke("check", "--db", str(db_path), "--run", "latest", "--rules", str(rules), "--no-defaults")
    db = open_db(db_path)
    assert db.execute("SELECT count(*) FROM rule_results WHERE run_id = ?", [run_id]).fetchone()[0] == 2
    assert invoke("findings", "--db", str(db_path), "--severity", "warning", "--format", "json").output == ""
    assert invoke("findings", "--db", str(db_path), "--severity", "info", "--format", "json").output.count("\n") == 1


def test_check_with_defaults_and_unknown_run(tmp_path):
    db_path = tmp_path / "a.db"
    _seed(db_path)
    res = invoke("check", "--db", str(db_path), "--run", "latest")
    assert res.exit_code == 0 and "office-page-fields" in res.output
    res = CliRunner().invoke(main, ["check", "--db", str(db_path), "--run", "99"])
    assert res.exit_code == 2 and "run 99 is not in the database" in res.output
    res = CliRunner().invoke(main, ["findings", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 2 and "no such database" in res.output


def test_every_command_has_help():
    for args in (["rules", "check"], ["rules", "list"], ["check"], ["findings"]):
        res = invoke(*args, "--help")
        assert res.exit_code == 0 and len(res.output.splitlines()) > 3


def test_check_fail_on_severity_sets_the_exit_code(tmp_path):
    db_path = tmp_path / "a.db"
    run_id = _seed(db_path)
    rules = write(tmp_path, "site.yml", GOOD.replace("severity: error", "severity: warning"))
    base = ["check", "--db", str(db_path), "--run", str(run_id), "--rules", str(rules), "--no-defaults"]
    assert invoke(*base).exit_code == 0
    assert invoke(*base, "--fail-on", "error").exit_code == 0
    assert invoke(*base, "--fail-on", "warning").exit_code == 1
    assert invoke(*base, "--fail-on", "info").exit_code == 1
