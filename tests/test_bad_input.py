"""Bad input from users: one clear message naming the file, line, row or URL; exit code 2;
nothing half-written.

Failures that happen before a crawl starts are checked in-process with
CliRunner (no reactor is started); those that need a crawl run in a subprocess.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawl_helpers import FAST, run_cli
from siteaudit.cli import main

DATA = Path(__file__).parent / "directory" / "data"


def invoke(*args):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"crashed: {result.exception!r}\n{result.output}")
    return result


def one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize("text,expected", [
    ("[crawl]\nmax_pages = 10\nmax_depth = = 3\n", "line 3"),                    # TOML syntax
    ("[crawl]\nmax_pagez = 10\n", "unknown key 'max_pagez'"),
    ("[crawl]\nmax_pages = 'ten'\n", "[crawl] max_pages: expected int"),
    ("[crawl]\nexclude = [1, 2]\n", "[crawl] exclude: expected a list of strings"),
    ("[crawl]\nignore_robots = 'yes'\n", "[crawl] ignore_robots: expected true or false"),
    ("crawl = 3\n", "[crawl] must be a table"),
    ("\xff\xfe[crawl]", "cannot read"),
])
def test_malformed_config_file(tmp_path, text, expected):
    cfg = tmp_path / "site.toml"
    if text.startswith("\xff"):
        cfg.write_bytes(b"\xff\xfe\x00[crawl]")
    else:
        cfg.write_text(text, encoding="utf-8")
    db = tmp_path / "x.db"
    line = one_line_error(invoke("crawl", "https://www.example.gov/", "--config", str(cfg), "--db", str(db)))
    assert str(cfg) in line and expected in line
    assert not db.exists()  # nothing written


def test_missing_config_file(tmp_path):
    line = one_line_error(invoke("crawl", "https://www.example.gov/", "--config", str(tmp_path / "none.toml"),
                                 "--db", str(tmp_path / "x.db")))
    assert "none.toml: config file not found" in line


@pytest.mark.parametrize("args,expected", [
    (["crawl", "https://www.example.gov/", "--no-such-option"], "No such option"),
    (["crawl", "https://www.example.gov/", "--max-pages", "many"], "'many' is not a valid integer"),
    (["crawl", "https://www.example.gov/", "--concurrency", "0"], "--concurrency"),
    (["crawl", "https://www.example.gov/", "--fail-on", "sometimes"], "--fail-on"),
    (["crawl"], "give at least one start URL"),
    (["links", "--format", "xml"], "--format"),
    (["no-such-command"], "No such command"),
])
def test_unknown_or_invalid_options(tmp_path, args, expected):
    result = invoke(*args, "--db", str(tmp_path / "x.db")) if args[0] != "no-such-command" else invoke(*args)
    assert result.exit_code == 2 and expected in result.output
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("url,expected", [
    ("ftp://www.example.gov/", "not an http(s) URL"),
    ("www.example.gov", "not an http(s) URL"),
    ("http://", "no valid host name"),
    ("http://exa mple.gov/", "spaces or control characters"),
    ("http://[::1/", "malformed"),
    ("http://www.example.gov:99999/", "malformed"),
    ("http://www..example.gov/", "no valid host name"),
    ("https://www.example.gov/\x1b[31m", "spaces or control characters"),
])
def test_invalid_start_urls(tmp_path, url, expected):
    db = tmp_path / "x.db"
    line = one_line_error(invoke("crawl", url, "--db", str(db), "--no-rules"))
    assert expected in line
    assert "\x1b" not in line
    assert not db.exists()


def test_invalid_sitemap_url(tmp_path):
    line = one_line_error(invoke("crawl", "--sitemap", "sitemap.xml", "--db", str(tmp_path / "x.db")))
    assert "'sitemap.xml' is not a usable start URL" in line


def test_invalid_auth_value(tmp_path):
    line = one_line_error(invoke("crawl", "https://www.example.gov/", "--auth", "just-a-user",
                                 "--db", str(tmp_path / "x.db"), "--no-rules"))
    assert "USER:PASSWORD" in line and "just-a-user" not in line


def test_unreachable_start_url(tmp_path):
    db = tmp_path / "x.db"
    proc = run_cli("crawl", "http://127.0.0.1:1/", "--db", str(db), *FAST, "--no-rules")
    assert proc.returncode == 2, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error")]
    assert errors == ["Error: cannot crawl start URL http://127.0.0.1:1/: broken (connection refused)"] or (
        len(errors) == 1 and "http://127.0.0.1:1/" in errors[0] and "refused" in errors[0]), proc.stderr
    assert "Traceback" not in proc.stderr
    # The attempt is kept as evidence, marked failed: no report will take it for a finished audit.
    conn = sqlite3.connect(str(db))
    assert conn.execute("SELECT status, pages FROM runs").fetchall() == [("failed", 0)]


def test_malformed_rule_file(tmp_path):
    rules = tmp_path / "mine.yml"
    rules.write_text("rules:\n  - id: phone-required\n    when: [\n", encoding="utf-8")
    result = invoke("rules", "check", str(rules))
    assert result.exit_code == 2 and str(rules) in result.output
    # A bad rule file passed to crawl fails before anything is crawled or written.
    db = tmp_path / "x.db"
    line = one_line_error(invoke("crawl", "https://www.example.gov/", "--rules", str(rules), "--db", str(db)))
    assert str(rules) in line
    assert not db.exists()


def test_rule_file_with_unknown_key_names_the_line(tmp_path):
    rules = tmp_path / "mine.yml"
    rules.write_text("rules:\n  - id: x\n    severity: error\n    colour: red\n", encoding="utf-8")
    result = invoke("rules", "check", str(rules))
    assert result.exit_code == 2
    assert f"{rules}:" in result.output  # file:line


def test_directory_csv_with_bad_rows_strict_stores_nothing(tmp_path):
    db = tmp_path / "dir.db"
    result = invoke("directory", "import", str(DATA / "bad_rows.csv"), "--db", str(db), "--strict")
    assert result.exit_code == 2
    assert "bad_rows.csv" in result.output and "nothing stored" in result.output
    assert "3" in result.output  # rejected rows are listed with their row numbers
    assert not db.exists() or not sqlite3.connect(str(db)).execute(
        "SELECT count(*) FROM sqlite_master WHERE name LIKE 'directory%'").fetchone()[0] or not sqlite3.connect(
        str(db)).execute("SELECT count(*) FROM directory_imports").fetchone()[0]


def test_directory_csv_that_is_not_a_csv(tmp_path):
    bad = tmp_path / "export.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    db = tmp_path / "dir.db"
    result = invoke("directory", "import", str(bad), "--db", str(db))
    assert result.exit_code == 2 and "export.csv" in result.output
    assert not db.exists()


def test_directory_csv_missing_file(tmp_path):
    result = invoke("directory", "import", str(tmp_path / "nope.csv"), "--db", str(tmp_path / "dir.db"))
    assert result.exit_code == 2 and "nope.csv" in result.output
