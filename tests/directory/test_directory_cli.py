"""The ``siteaudit directory`` commands, in-process with CliRunner."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from siteaudit.cli import main
from siteaudit.directory import store as dstore
from siteaudit.store import open_db

import siteaudit.demo

DEMO_CSV = str(Path(siteaudit.demo.__file__).parent / "directory.csv")
D = "@demo-agency.example.gov"
U = "https://demo.example.gov/"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def demo_db(db_path, make_run):
    """A run shaped like the demo site, and the demo directory imported."""
    db = open_db(db_path)
    make_run(db, [
        {"url": U + "programs/licensing.html", "kind": "email", "value": "marcus.whitfield" + D,
         "text": "marcus.whitfield" + D, "office": "Marcus Whitfield", "line": 33, "path": "tr:nth-of-type(2) > td:nth-of-type(3)"},
        {"url": U + "programs/licensing.html", "kind": "phone", "value": "+15035550147", "text": "(503) 555-0147",
         "office": "Marcus Whitfield", "line": 33, "path": "tr:nth-of-type(2) > td:nth-of-type(4)"},
        {"url": U + "programs/permits.html", "kind": "email", "value": "ana.beltran" + D, "text": "ana.beltran" + D,
         "office": "Contact the permits program", "line": 28, "path": "main > p:nth-of-type(2)"},
        {"url": U + "programs/permits.html", "kind": "phone", "value": "+15035550159", "text": "(503) 555-0159",
         "office": "Contact the permits program", "line": 28, "path": "main > p:nth-of-type(2)"},
        {"url": U + "contact.html", "kind": "email", "value": "licensing" + D, "text": "licensing" + D,
         "office": "Licensing", "data": {"role": True}},
        {"url": U + "staff.html", "kind": "address", "value": "x", "text": "x", "office": "Whitfield, Marcus"},
    ])
    result = run("directory", "import", DEMO_CSV, "--db", str(db_path))
    assert result.exit_code == 0, result.output
    return db_path


def test_import_lists_rejects_and_stores_the_good_rows(db_path, data_dir):
    result = run("directory", "import", str(data_dir / "bad_rows.csv"), "--db", str(db_path), "--format", "csv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "row,column,value,reason"
    assert [ln.split(",")[0] for ln in lines[1:]] == ["3", "4", "5", "7", "8", "9", "10", "11", "12"]
    assert "2 of 11 rows stored" in result.stderr and "9 rows rejected" in result.stderr
    imports = dstore.list_imports(open_db(db_path))
    assert [(i["accepted"], i["rejected"], i["rows_read"]) for i in imports] == [(2, 9, 11)]
    stored = dstore.import_info(open_db(db_path), imports[0]["id"])
    assert [e["row"] for e in stored["errors"]] == [3, 4, 5, 7, 8, 9, 10, 11, 12]  # rejects are kept too


def test_strict_import_stores_nothing_and_exits_2(db_path, data_dir):
    result = run("directory", "import", str(data_dir / "bad_rows.csv"), "--db", str(db_path), "--strict")
    assert result.exit_code == 2
    assert "9 of 11 rows rejected" in result.stderr and "nothing stored (--strict)" in result.stderr
    assert "row 3" not in result.stdout and "not an email address" in result.stdout  # the table of rejects
    assert dstore.list_imports(open_db(db_path)) == []


def test_strict_import_of_a_clean_file_stores_it(db_path, data_dir):
    result = run("directory", "import", str(data_dir / "semicolon_bom.csv"), "--db", str(db_path), "--strict")
    assert result.exit_code == 0 and "3 of 3 rows stored" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["nope.csv"], "nope.csv: cannot read"),
    (["{data}/bad_rows.csv", "--map", "Worker=person_name"], "unknown field 'person_name'"),
    (["{data}/bad_rows.csv", "--map", "Nickname=name"], "no column 'Nickname'"),
])
def test_import_errors_are_one_line_and_exit_2(db_path, data_dir, args, message):
    args = [a.format(data=data_dir) for a in args]
    result = run("directory", "import", *args, "--db", str(db_path))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_diff_json_with_as_of(demo_db):
    result = run("directory", "diff", "--db", str(demo_db), "--as-of", "2026-11-25", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    problems = [(r["category"], r["person"], r["business_days"], r["window_passed"]) for r in rows
                if r["category"] != "ok"]
    assert problems == [
        ("departed", "Marcus J. Whitfield", 17, True),
        ("mismatch", "Ana Beltrán", None, None),
        # this run is smaller than the demo site: these public contacts are not on it
        ("missing", "Dana Kowalski", 1070, True),
        ("missing", "Elena Ortiz", 2195, True),
        ("missing", "General inquiries mailbox", None, True),
        ("missing", "Main line", None, True),
        ("missing", "Priya Raman", 16, True),
        ("missing", "Robert Nakamura", 2808, True),
    ]
    marcus = rows[0]
    assert marcus["pages"] == [U + "programs/licensing.html", U + "staff.html"]
    assert {(o["url"], o["match"]) for o in marcus["occurrences"]} >= {
        (U + "programs/licensing.html", "email"), (U + "programs/licensing.html", "phone"), (U + "staff.html", "name")}
    assert "directory import #1" in result.stderr and "as of 2026-11-25" in result.stderr
    # stored per run + import
    db = open_db(demo_db)
    assert len(dstore.load_results(db, 1, 1)) == len(rows)


def test_diff_category_filter_window_and_csv(demo_db):
    result = run("directory", "diff", "--db", str(demo_db), "--as-of", "2026-11-05", "--window", "5",
                 "--category", "departed", "--format", "csv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "category,person,value,pages,business_days,window_passed,detail"
    assert len(lines) == 2 and lines[1].startswith("departed,Marcus J. Whitfield,")
    assert ",4,False," in lines[1]  # Oct 30 -> Nov 5 is 4 business days, within a 5-day window


def test_diff_without_an_import_is_a_clear_error(db_path, make_run):
    make_run(open_db(db_path), [])
    result = run("directory", "diff", "--db", str(db_path))
    assert result.exit_code == 2
    assert "no directory import" in result.stderr


def test_check_by_email_name_and_phone(demo_db):
    for query in ("Marcus.Whitfield" + D, "Whitfield, Marcus", "(503) 555-0147"):
        result = run("directory", "check", query, "--db", str(demo_db), "--format", "json")
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert {r["page"] for r in rows} == {U + "programs/licensing.html", U + "staff.html"}, query
        assert "found on 2 pages" in result.stderr
        assert "terminated" in result.stderr
    table = run("directory", "check", "marcus.whitfield" + D, "--db", str(demo_db))
    assert "tr:nth-of-type(2) > td:nth-of-type(3) (line 33)" in table.stdout


def test_check_someone_not_on_the_site_or_not_a_query(demo_db):
    result = run("directory", "check", "Priya Raman", "--db", str(demo_db))
    assert result.exit_code == 0 and "not found on any page" in result.stderr
    result = run("directory", "check", "x", "--db", str(demo_db))
    assert result.exit_code == 2 and "not an email, a phone number or a first and last name" in result.stderr


def test_list_imports_and_entries(demo_db):
    result = run("directory", "list", "--db", str(demo_db), "--format", "json")
    assert json.loads(result.stdout.splitlines()[0])["accepted"] == 11
    result = run("directory", "list", "--entries", "--db", str(demo_db), "--format", "csv")
    assert "Licensing Division mailbox,licensing" + D in result.stdout


def test_every_directory_command_is_documented():
    doc = (Path(__file__).parents[2] / "docs" / "directory.md").read_text(encoding="utf-8")
    from siteaudit.commands.directory import directory

    for name in directory.commands:
        assert f"siteaudit directory {name}" in doc, name


def test_demo_step_imports_the_bundled_directory_and_diffs_the_run(db_path, make_run, capsys):
    import click

    from siteaudit.commands.directory import demo_step

    db = open_db(db_path)
    run_id = make_run(db, [{"url": U + "licensing.html", "kind": "email", "value": "marcus.whitfield" + D,
                            "text": "marcus.whitfield" + D}])
    demo_step(click.Context(main, obj={"db_path": str(db_path)}), db, run_id, None)
    out = capsys.readouterr().out
    assert out.startswith("Directory vs site: 1 departed, 0 unknown, 0 mismatch,")
    assert len(dstore.load_results(db, run_id, 1)) > 1


def test_failed_import_does_not_create_a_database(tmp_path, data_dir):
    db_path = tmp_path / "never.db"
    result = run("directory", "import", str(data_dir / "bad_rows.csv"), "--db", str(db_path), "--strict")
    assert result.exit_code == 2 and not db_path.exists()
