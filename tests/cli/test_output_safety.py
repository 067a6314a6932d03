"""Output helpers: crawled text cannot inject formulas into CSV or escape sequences into a terminal."""

from __future__ import annotations

import pytest

from siteaudit.commands._common import clean_terminal, csv_safe


@pytest.mark.parametrize("cell,expected", [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3+cmd|x", "'-2+3+cmd|x"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTAB", "'\tTAB"),
    ("+15035550100", "+15035550100"),            # an E.164 phone stays usable
    ("+15035550100;ext=12", "+15035550100;ext=12"),
    ("+1;ext=2+cmd", "'+1;ext=2+cmd"),           # but not something that merely starts like one
    ("Main line", "Main line"),
    (42, 42),
])
def test_csv_safe(cell, expected):
    assert csv_safe(cell) == expected


def test_clean_terminal_strips_ansi_and_controls():
    assert clean_terminal("ok\x1b[31mRED\x1b[0m\x07\x1b]0;title\x07 done\r\n") == "okRED done\n"
    assert clean_terminal(None) == ""
