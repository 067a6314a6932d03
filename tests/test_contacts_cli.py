"""``siteaudit extract`` and ``siteaudit contacts`` through click's CliRunner (in-process)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from siteaudit import store
from siteaudit.cli import main

PAGE = """<html><body><h2>Clerk's Office</h2>
<p>Phone: <a href="tel:+13125550100">(312) 555-0100</a></p>
<p>Fax: (312) 555-0101</p>
<p>Email: <a href="mailto:clerk@agency.gov">clerk@agency.gov</a></p>
<p>TTY: 711 Relay</p>
</body></html>"""


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_extract_json_lists_every_finding(page):
    result = run("extract", str(page), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json_lines(result.output)
    phones = {(r["value"], r["phone_type"]) for r in rows if r["kind"] == "phone"}
    assert phones == {("+13125550100", "voice"), ("+13125550101", "fax")}
    assert [r["value"] for r in rows if r["kind"] == "email"] == ["clerk@agency.gov"]
    assert [r["value"] for r in rows if r["kind"] == "short_code"] == ["711"]
    for r in rows:
        assert {"url", "kind", "value", "text", "label", "office", "source"} <= r.keys()
        assert r["url"].startswith("file://")
        assert r["office"] == "Clerk's Office"


def test_extract_table_and_kind_filter(page):
    result = run("extract", str(page), "--kind", "email")
    assert result.exit_code == 0
    assert "clerk@agency.gov" in result.output
    assert "+13125550100" not in result.output
    assert result.output.splitlines()[0].startswith("KIND")


def test_extract_missing_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "nope.html")])
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert "Traceback" not in result.output


def test_extract_unreachable_url_is_a_clear_error():
    result = CliRunner().invoke(main, ["extract", "http://127.0.0.1:9/nothing"])
    assert result.exit_code == 2
    assert "cannot fetch" in result.output


def test_extract_unknown_kind(page):
    result = CliRunner().invoke(main, ["extract", str(page), "--kind", "fax"])
    assert result.exit_code == 2
    assert "unknown kind fax" in result.output


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "audit.db"
    db = store.open_db(path)
    old = store.start_run(db, ["https://a.gov/"], {})
    new = store.start_run(db, ["https://a.gov/"], {})
    base = {"text": "", "label": "", "office": "Clerk", "source": "text", "path": "p", "line": 3, "flags": [],
            "data": {}, "office_key": 0, "phone_type": None}
    store.insert_rows(db, "findings", [
        {**base, "run_id": old, "url": "https://a.gov/old", "kind": "phone", "value": "+13125559999",
         "phone_type": "voice"},
        {**base, "run_id": new, "url": "https://a.gov/", "kind": "phone", "value": "+13125550100",
         "text": "(312) 555-0100", "label": "Phone", "phone_type": "voice", "flags": ["no-tel-link"]},
        {**base, "run_id": new, "url": "https://a.gov/", "kind": "email", "value": "clerk@agency.gov",
         "text": "clerk@agency.gov", "data": {"role": True}},
        {**base, "run_id": new, "url": "https://a.gov/hours", "kind": "hours", "value": "Mo-Fr 08:00-17:00",
         "text": "M-F 8-5"},
    ])
    return path


def test_contacts_latest_run_as_json(db_path):
    result = run("contacts", "--db", str(db_path), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json_lines(result.output)
    assert [(r["url"], r["kind"], r["value"]) for r in rows] == [
        ("https://a.gov/", "email", "clerk@agency.gov"),
        ("https://a.gov/", "phone", "+13125550100"),
        ("https://a.gov/hours", "hours", "Mo-Fr 08:00-17:00"),
    ]
    phone = rows[1]
    assert phone["phone_type"] == "voice"
    assert phone["flags"] == ["no-tel-link"]
    assert {"url", "kind", "value", "text", "label", "office", "source"} <= rows[0].keys()
    assert "phone_type" not in rows[0]


def test_contacts_kind_filter_and_run_id(db_path):
    result = run("contacts", "--db", str(db_path), "--kind", "phone", "--format", "csv")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("url,kind,value")
    assert len(lines) == 2 and "+13125550100" in lines[1]
    result = run("contacts", "--db", str(db_path), "--run", "1", "--format", "json")
    assert [r["value"] for r in json_lines(result.output)] == ["+13125559999"]


def test_contacts_table(db_path):
    result = run("contacts", "--db", str(db_path))
    assert result.exit_code == 0
    assert result.output.splitlines()[0].split()[:3] == ["URL", "KIND", "VALUE"]
    assert "clerk@agency.gov" in result.output


def test_contacts_errors(tmp_path, db_path):
    result = CliRunner().invoke(main, ["contacts", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 2 and "no such database" in result.output
    result = CliRunner().invoke(main, ["contacts", "--db", str(db_path), "--run", "99"])
    assert result.exit_code == 2 and "run 99" in result.output


def test_extract_from_a_local_http_server():
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            body = "<p>Téléphone : (312) 555-0100</p>".encode("cp1252")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=windows-1252")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/contact"
        result = run("extract", url, "--format", "json")
    finally:
        server.shutdown()
    row, = json_lines(result.output)
    assert (row["url"], row["value"]) == (url, "+13125550100")
