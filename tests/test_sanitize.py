"""Crawled text cannot inject formulas into CSV or escape sequences into a terminal or JSON."""

from __future__ import annotations

import json

import pytest

from siteaudit.sanitize import csv_cell, json_text, neutralise_formula, restore_formula, strip_controls


@pytest.mark.parametrize("cell,expected", [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3+cmd|x", "'-2+3+cmd|x"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTAB", "'\tTAB"),
    ("'quoted", "''quoted"),                     # so restore_formula is exact
    ("+15035550100", "+15035550100"),            # an E.164 phone stays usable
    ("+15035550100;ext=12", "+15035550100;ext=12"),
    ("+1;ext=2+cmd", "'+1;ext=2+cmd"),           # but not something that merely starts like one
    ("Main line", "Main line"),
])
def test_neutralise_formula_round_trips(cell, expected):
    assert neutralise_formula(cell) == expected
    assert restore_formula(neutralise_formula(cell)) == cell


def test_csv_cell():
    assert csv_cell(None) == "" and csv_cell(True) == "true" and csv_cell(3) == "3"
    assert csv_cell(["a", "b"]) == '["a", "b"]'
    assert csv_cell("=1+1\x1b[2J") == "'=1+1"


def test_strip_controls():
    assert strip_controls("ok\x1b[31mRED\x1b[0m\x07\x1b]0;title\x07 done\r\n") == "okRED done\r\n"
    assert strip_controls("a\x9b31mb\x9d0;t\x9cc\x00d") == "abcd"
    assert strip_controls(None) == ""


def test_json_text_escapes_c0_and_c1_but_keeps_text():
    text = json_text({"t": "Beltrán \x1b[31m\x9b2J"})
    assert "\x1b" not in text and "\x9b" not in text and "Beltrán" in text
    assert json.loads(text)["t"] == "Beltrán \x1b[31m\x9b2J"


def test_log_lines_are_stripped():
    import logging

    from siteaudit.cli import SafeFormatter

    record = logging.LogRecord("siteaudit", logging.WARNING, __file__, 1, "page %s: %s", (
        "http://x.gov/", "title \x1b]0;pwned\x07\x1b[2J here"), None)
    assert SafeFormatter("%(levelname)s %(message)s").format(record) == "WARNING page http://x.gov/: title  here"
