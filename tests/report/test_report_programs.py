"""siteaudit.toml: programs, designees and report settings; errors name the file and the key."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from report_synth import build_run, build_small_run, synth_config

from siteaudit.cli import main
from siteaudit.errors import ConfigError
from siteaudit.report import DEMO_CONFIG, load_config, write_report
from siteaudit.report.programs import UNASSIGNED
from siteaudit.report.table import Table, cell


def write(tmp_path, text):
    p = tmp_path / "siteaudit.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_programs_match_by_path_prefix_url_prefix_and_glob(tmp_path):
    config = load_config(write(tmp_path, """
[report]
page_size = 50
[[programs]]
name = "Licensing"
prefixes = ["/programs/licensing"]
designee = { name = "Robert Nakamura", email = "robert@agency.example.gov" }
[[programs]]
name = "Partner"
prefixes = ["https://partner.example.org/"]
[[programs]]
name = "Offices"
patterns = ["*/offices/*.html"]
"""))
    assert config.page_size == 50 and [p.slug for p in config.programs] == ["licensing", "partner", "offices"]
    assert config.programs[0].designee.name == "Robert Nakamura"
    assert config.program_for("http://127.0.0.1:4000/programs/licensing.html") == "licensing"
    assert config.program_for("https://partner.example.org/x") == "partner"
    assert config.program_for("https://agency.gov/offices/salem.html") == "offices"
    assert config.program_for("https://agency.gov/about.html") == UNASSIGNED


def test_demo_config_is_valid(tmp_path):
    config = load_config(write(tmp_path, DEMO_CONFIG))
    assert len(config.programs) == 4 and all(p.designee for p in config.programs)
    assert config.program_for("http://127.0.0.1:1/") == "agency-wide-pages"


@pytest.mark.parametrize("text, where", [
    ("[report]\ncolour = 1\n", "[report] unknown key 'colour'"),
    ("[report]\npage_size = 'big'\n", "[report] page_size: expected int"),
    ("[report]\npage_size = 0\n", "[report] page_size: must be at least 1"),
    ("[[programs]]\nprefixes = ['/a']\n", "programs[1].name"),
    ("[[programs]]\nname = 'A'\n", "programs[1]: program 'A' needs prefixes or patterns"),
    ("[[programs]]\nname = 'A'\nprefixes = '/a'\nowner = 'x'\n", "programs[1]: unknown key 'owner'"),
    ("[[programs]]\nname = 'A'\nprefixes = [1]\n", "programs[1].prefixes"),
    ("[[programs]]\nname = 'A'\nprefixes = ['/a']\ndesignee = { email = 'a@b.gov' }\n", "programs[1].designee.name"),
    ("[[programs]]\nname = 'A'\nprefixes = ['/a']\ndesignee = { name = 'X', email = 'nope' }\n",
     "programs[1].designee.email"),
    ("[[programs]]\nname = 'A'\nprefixes = ['/a']\n[[programs]]\nname = 'a'\nprefixes = ['/b']\n", "programs[2].name"),
    ("[[programs]]\nname = 'A'\nprefixes = ['/a']\nrules = ['missing.yml']\n", "programs[1].rules[1]"),
    ("programs = 3\n", "programs must be an array"),
    ("[report\n", "not valid TOML"),
])
def test_config_errors_name_file_and_key(tmp_path, text, where):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: ") and where in str(err.value)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_table_pagination_splits_rows():
    table = Table("t", "Caption", [], rows=[[cell(i)] for i in range(1234)])
    pages = table.paginate(500, lambda n: f"x-{n}.html")
    assert [len(p.rows) for p in pages] == [500, 500, 234]
    assert [p.first_row for p in pages] == [1, 501, 1001] and pages[2].last_row == 1234
    assert pages[0].page_files == [None, "x-2.html", "x-3.html"] and all(p.total == 1234 for p in pages)


def test_large_run_is_split_into_program_pages_and_table_pages(tmp_path):
    db_path = tmp_path / "big.db"
    build_run(db_path, pages=600, links_per_page=4)
    config = synth_config(tmp_path)
    config.write_text(config.read_text() + "\n", encoding="utf-8")
    text = config.read_text().replace('title = "Synthetic agency"', 'title = "Synthetic agency"\npage_size = 100')
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "r"
    index = write_report(db_path, "latest", out, config_path=config)
    assert index == out / "index.html"
    program = (out / "program-program-0.html").read_text(encoding="utf-8")
    assert program.count("<tbody>") >= 3 and 'aria-label="Pages of Contact inventory' in program
    # 120 pages x 3 findings = 360 inventory rows: 4 pages of 100, the rest in their own files.
    assert (out / "program-program-0-inventory-4.html").exists()
    assert not (out / "program-program-0-inventory-5.html").exists()
    page4 = (out / "program-program-0-inventory-4.html").read_text(encoding="utf-8")
    assert "rows 301–360 of 360" in page4 and "Back to Program 0" in page4
    assert program.count("<tr>") < 600  # no table holds everything at once


def test_cli_report(tmp_path):
    db_path = tmp_path / "s.db"
    build_small_run(db_path, "https://agency.example.gov", ["/a"])
    runner = CliRunner()
    result = runner.invoke(main, ["report", "--db", str(db_path), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Report: {tmp_path / 'r' / 'index.html'}"
    bad = runner.invoke(main, ["report", "--db", str(db_path), "--out", str(tmp_path / "r"), "--compare", "previous"])
    assert bad.exit_code == 2 and "first run" in bad.output and "Traceback" not in bad.output
    bad = runner.invoke(main, ["report", "--db", str(db_path), "--out", str(tmp_path / "r"),
                               "--config", str(tmp_path / "none.toml")])
    assert bad.exit_code == 2 and "none.toml: config file not found" in bad.output
    missing = runner.invoke(main, ["report", "--db", str(tmp_path / "no.db"), "--out", str(tmp_path / "r")])
    assert missing.exit_code == 2 and "no such database" in missing.output


def test_program_rules_apply_to_that_programs_pages_only(demo, tmp_path):
    rules = tmp_path / "licensing.yml"
    rules.write_text("""rules:
  - id: licensing-shows-tty
    title: Licensing pages name a TTY line
    severity: warning
    policy: "Program standard L-7"
    select: {url: "*"}
    expect:
      text_matches: ["TTY-LICENSING-ONLY"]
""", encoding="utf-8")
    config = tmp_path / "siteaudit.toml"
    config.write_text(demo.config.read_text(encoding="utf-8").replace(
        'prefixes = ["/programs/licensing", "/programs/records"]',
        'prefixes = ["/programs/licensing", "/programs/records"]\nrules = ["licensing.yml"]'), encoding="utf-8")
    out = tmp_path / "r"
    write_report(demo.db_path, demo.runs[0], out, config_path=config)
    import json

    rows = json.loads((out / "data" / "rule_problems.json").read_text(encoding="utf-8"))["rows"]
    hits = [r for r in rows if r["rule_id"] == "licensing-shows-tty"]
    assert {r["url"].split("/", 3)[3] for r in hits} == {"programs/licensing.html", "programs/records.html"}
    assert all(r["programs"] == ["licensing"] and r["policy"] == "Program standard L-7" for r in hits)
    assert "licensing-shows-tty" in (out / "program-licensing.html").read_text(encoding="utf-8")
    assert "licensing-shows-tty" not in (out / "program-permits.html").read_text(encoding="utf-8")


def test_demo_step_writes_the_report_and_compares_with_an_earlier_run(tmp_path):
    import click

    from siteaudit.commands.report import demo_step
    from siteaudit.store import open_db

    db_path = tmp_path / "siteaudit.db"
    build_small_run(db_path, "http://127.0.0.1:4001", ["/a"])
    second = build_small_run(db_path, "http://127.0.0.1:4002", ["/a", "/b"])
    runner = CliRunner()

    @click.command()
    def step():
        demo_step(click.get_current_context(), open_db(db_path), second, tmp_path)

    result = runner.invoke(step)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Report: {tmp_path / 'report' / 'index.html'}  (compared with run 1)"
    assert (tmp_path / "siteaudit.toml").exists() and (tmp_path / "report" / "data" / "fixed.json").exists()


def test_pagination_keeps_row_classes_and_starts_each_page_with_a_group():
    table = Table("t", "C", [], rows=[[cell(i)] for i in range(5)],
                  row_classes=["group-start", "group-cont", "group-cont", "group-start", "group-cont"])
    pages = table.paginate(2, lambda n: f"x-{n}.html")
    assert [p.row_classes for p in pages] == [["group-start", "group-cont"], ["group-start", "group-start"],
                                              ["group-start"]]


def test_a_run_without_rules_or_directory_says_so(tmp_path):
    from siteaudit.store import finish_run, insert_rows, open_db, start_run

    db = open_db(tmp_path / "bare.db")
    run_id = start_run(db, ["https://agency.example.gov/"], {})
    insert_rows(db, "pages", [{"run_id": run_id, "url": "https://agency.example.gov/", "status": 200, "title": "Home"}])
    finish_run(db, run_id, "finished")
    out = tmp_path / "r"
    write_report(tmp_path / "bare.db", "latest", out)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Rules were not evaluated for this run" in index and f"siteaudit check --run {run_id}" in index
    assert "No staff directory was compared with this run" in index
    page = (out / "program-unassigned.html").read_text(encoding="utf-8")
    assert "All pages" in page and "Rules were not evaluated" in page
