"""Crawled values cannot run code in the report: everything is escaped, unsafe URLs are never links."""

from __future__ import annotations

import re
from html import unescape

import pytest
from report_synth import EVIL, TERMINAL, build_hostile_run

from siteaudit.report import read_csv, safe_href, write_report


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    build_hostile_run(folder / "h.db")
    write_report(folder / "h.db", "latest", folder / "report")
    return folder / "report"


def test_no_crawled_markup_survives(hostile_report):
    for page in hostile_report.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        # Our own single inline script is the only <script>; crawled ones appear escaped.
        assert len(re.findall(r"<script\b", html, re.I)) <= 1, page.name
        assert "alert(1)</script>" not in html.replace("&lt;/script&gt;", "")
        assert "<img src=x" not in html and "onerror=" not in html.replace("onerror=&#34;", "")
        assert not re.search(r"""href=["']?\s*((javascript|data|vbscript):|java\s)""", html, re.I), page.name
        assert 'onmouseover="alert' not in html
    program = (hostile_report / "program-unassigned.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned=true;alert(1)&lt;/script&gt;" in program  # shown, as text
    assert "javascript:alert(1)" in program  # the target is listed, as text


def test_links_are_noopener_and_csp_allows_only_our_script(hostile_report):
    html = (hostile_report / "index.html").read_text(encoding="utf-8")
    for tag in re.findall(r"<a [^>]*href=\"http[^>]*>", html):
        assert 'rel="noopener noreferrer"' in tag
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp and "unsafe-inline" not in csp.split(
        "script-src")[1]


def test_csv_export_neutralises_formulas(hostile_report):
    raw = (hostile_report / "data" / "inventory.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in raw
    assert read_csv(hostile_report / "data" / "inventory.csv")[0]["value"] == '=HYPERLINK("http://x")'
    assert EVIL in raw  # CSV is data, not markup: kept as is


@pytest.mark.parametrize("url, ok", [
    ("https://agency.example.gov/a?b=c", True), ("http://x/", True), ("mailto:a@b.gov", True), ("tel:+15035550100", True),
    ("javascript:alert(1)", False), ("JAVASCRIPT:alert(1)", False), ("data:text/html,x", False),
    ("vbscript:x", False), ("java\tscript:alert(1)", False), (" javascript:alert(1)", False), ("", False),
    ("/relative/path", False), ("http://[bad", False),
])
def test_safe_href(url, ok):
    assert (safe_href(url) == url) is ok


def test_exports_carry_no_terminal_escapes(hostile_report):
    import json

    for path in (hostile_report / "data").iterdir():
        raw = path.read_text(encoding="utf-8")
        assert not any(c in raw for c in ("\x1b", "\x9b", "\x07", "\x9d")), path.name
    pages = json.loads((hostile_report / "data" / "pages.json").read_text(encoding="utf-8"))["rows"]
    assert TERMINAL in [p["title"] for p in pages]  # JSON keeps the data, escaped
    titles = [r["title"] for r in read_csv(hostile_report / "data" / "pages.csv")]
    assert "Red alert done" in [" ".join(t.split()) for t in titles]  # CSV drops the controls
