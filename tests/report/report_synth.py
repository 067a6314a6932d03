"""A synthetic run of any size, inserted row by row (for pagination tests and bench/report_scale.py).

Pages belong to a handful of programs (``/program-N/...``); every page links
to ``links_per_page`` targets, a few of them broken or indeterminate; every
page shows a phone, an email and an address, and some pages fail rules.
"""

from __future__ import annotations

import json
from pathlib import Path

from siteaudit.rules.store import RULE_RESULTS_DDL
from siteaudit.store import ensure_table, finish_run, insert_rows, open_db, start_run

ORIGIN = "https://agency.example.gov"
PROGRAMS = 5


def synth_config(folder: Path) -> Path:
    lines = ['[report]\ntitle = "Synthetic agency"\n']
    for n in range(PROGRAMS):
        lines.append(f'[[programs]]\nname = "Program {n}"\nprefixes = ["/program-{n}/"]\n'
                     f'designee = {{ name = "Designee {n}", email = "designee{n}@agency.example.gov" }}\n')
    path = folder / "siteaudit.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def build_run(db_path: Path, pages: int, links_per_page: int = 10, *, batch: int = 20000) -> int:
    """Insert one finished run with ``pages`` pages and ``pages * links_per_page`` links; returns its id."""
    db = open_db(db_path)
    ensure_table(db, RULE_RESULTS_DDL)
    run_id = start_run(db, [ORIGIN + "/"], {})
    urls = [f"{ORIGIN}/program-{i % PROGRAMS}/page-{i}.html" for i in range(pages)]
    insert_rows(db, "pages", ({"run_id": run_id, "url": u, "status": 200, "title": f"Page {i} & <friends>",
                               "content_type": "text/html", "depth": 1} for i, u in enumerate(urls)))
    n_targets = max(10, pages)
    checks = []
    for t in range(n_targets):
        outcome = "broken" if t % 97 == 0 else "indeterminate" if t % 211 == 0 else "ok"
        checks.append({"run_id": run_id, "target": f"{ORIGIN}/target-{t}", "fragment": "", "outcome": outcome,
                       "status": 404 if outcome == "broken" else 200 if outcome == "ok" else None,
                       "reason": "HTTP 404" if outcome == "broken" else "", "chain": "[]"})
    insert_rows(db, "link_checks", checks)
    edges = []
    for i, u in enumerate(urls):
        for k in range(links_per_page):
            t = (i * 7 + k * 13) % n_targets
            edges.append({"run_id": run_id, "source": u, "target": f"{ORIGIN}/target-{t}", "fragment": "",
                          "element": "a", "attribute": "href", "text": f"Link {k}", "path": f"main > a:nth-of-type({k})",
                          "line": 10 + k})
            if len(edges) >= batch:
                insert_rows(db, "links", edges)
                edges = []
    insert_rows(db, "links", edges)
    findings, offices, rules = [], [], []
    for i, u in enumerate(urls):
        offices.append({"run_id": run_id, "url": u, "office_key": 0, "name": f"Office {i % 50}", "path": "main",
                        "line": 20, "kinds": json.dumps(["phone", "email", "address"])})
        for kind, value, text in (("phone", f"+1503555{i % 10000:04d}", f"(503) 555-{i % 10000:04d}"),
                                  ("email", f"office{i % 50}@agency.example.gov", f"office{i % 50}@agency.example.gov"),
                                  ("address", "1 Main St, Salem, OR 97301", "1 Main St, Salem, OR 97301")):
            findings.append({"run_id": run_id, "url": u, "kind": kind, "value": value, "text": text, "label": "",
                             "office": f"Office {i % 50}", "office_key": 0, "source": "text", "path": "main > p",
                             "line": 21, "flags": "[]", "data": "{}"})
        if i % 10 == 0:
            rules.append({"run_id": run_id, "rule_id": "office-page-fields", "severity": "error",
                          "policy": "DAS 107-001-040", "title": "An office page shows hours", "outcome": "fail",
                          "url": u, "office": "", "message": "page does not show: hours",
                          "evidence": json.dumps({"fields": {"missing": ["hours"]}})})
        if len(findings) >= batch:
            insert_rows(db, "findings", findings)
            findings = []
    insert_rows(db, "findings", findings)
    insert_rows(db, "offices", offices)
    insert_rows(db, "rule_results", rules)
    finish_run(db, run_id, "finished")
    return run_id


EVIL = "<script>window.__pwned=true;alert(1)</script>"
EVIL_IMG = '<img src=x onerror="window.__pwned=true;alert(2)">'
TERMINAL = "\x1b[2J\x1b]0;owned\x07Red\x1b[31m alert\x9b31m \x9d done"


def build_hostile_run(db_path: Path, origin: str = "http://127.0.0.1:8001") -> int:
    """A run whose crawled values try to run code in the report: titles, link text, URLs, snippets."""
    db = open_db(db_path)
    ensure_table(db, RULE_RESULTS_DDL)
    run_id = start_run(db, [origin + "/"], {})
    page = f"{origin}/evil.html?q=\"><script>alert(3)</script>"
    insert_rows(db, "pages", [
        {"run_id": run_id, "url": f"{origin}/", "status": 200, "title": EVIL, "content_type": "text/html"},
        {"run_id": run_id, "url": page, "status": 200, "title": EVIL_IMG, "content_type": "text/html"},
        {"run_id": run_id, "url": f"{origin}/ansi.html", "status": 200, "title": TERMINAL, "content_type": "text/html"},
    ])
    targets = ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", f"{origin}/gone\"onmouseover=\"alert(1)",
               "JaVaScRiPt:window.__pwned=true", "java\tscript:alert(1)"]
    insert_rows(db, "link_checks", [{"run_id": run_id, "target": t, "fragment": "", "outcome": "broken", "status": 404,
                                     "reason": EVIL, "chain": "[]"} for t in targets])
    insert_rows(db, "links", [{"run_id": run_id, "source": src, "target": t, "fragment": "", "element": "a",
                               "attribute": "href", "text": EVIL + EVIL_IMG, "path": "main > a", "line": 3}
                              for t in targets for src in (f"{origin}/", page)])
    insert_rows(db, "findings", [{"run_id": run_id, "url": page, "kind": "email", "value": "=HYPERLINK(\"http://x\")",
                                  "text": EVIL, "label": EVIL_IMG, "office": EVIL, "office_key": None,
                                  "source": "text", "path": "<b>path</b>", "line": 1, "flags": "[]", "data": "{}"}])
    insert_rows(db, "rule_results", [{"run_id": run_id, "rule_id": "office-page-fields", "severity": "error",
                                      "policy": EVIL, "title": EVIL_IMG, "outcome": "fail", "url": "javascript:alert(1)",
                                      "office": EVIL, "message": EVIL,
                                      "evidence": json.dumps({"fields": {"missing": [EVIL]}, "pages": [
                                          {"url": "javascript:alert(1)", "values": [EVIL]}]})}])
    finish_run(db, run_id, "finished")
    return run_id


def build_small_run(db_path: Path, origin: str, broken: list[str], *, consistency: bool = True) -> int:
    """A two-office run with the given broken paths and (optionally) an office shown two ways."""
    db = open_db(db_path)
    ensure_table(db, RULE_RESULTS_DDL)
    run_id = start_run(db, [origin + "/"], {})
    pages = ["/", "/offices/salem.html", "/offices/eugene.html", "/programs/permits.html"]
    insert_rows(db, "pages", [{"run_id": run_id, "url": origin + p, "status": 200, "title": f"Title of {p}"}
                              for p in pages])
    insert_rows(db, "link_checks", [{"run_id": run_id, "target": origin + b, "fragment": "", "outcome": "broken",
                                     "status": 404, "reason": "HTTP 404", "chain": "[]"} for b in broken])
    insert_rows(db, "links", [{"run_id": run_id, "source": origin + "/offices/salem.html", "target": origin + b,
                               "fragment": "", "element": "a", "attribute": "href", "text": f"link to {b}",
                               "path": "main > a", "line": 12} for b in broken])
    if consistency:
        evidence = {"kind": "phone", "pages": [{"url": origin + "/offices/salem.html", "name": "Appointments",
                                                "values": ["+15035550100"]},
                                               {"url": origin + "/offices/eugene.html", "name": "Appointments",
                                                "values": ["+15415550120"]}]}
        insert_rows(db, "rule_results", [{"run_id": run_id, "rule_id": "office-details-consistent",
                                          "severity": "error", "policy": "ODHS/OHA 010-033 §8c",
                                          "title": "An office shows the same details on every page", "outcome": "fail",
                                          "url": origin + "/offices/salem.html", "office": "Appointments",
                                          "message": "office 'Appointments' shows different phone on 2 pages",
                                          "evidence": json.dumps(evidence)}])
    insert_rows(db, "rule_results", [{"run_id": run_id, "rule_id": "no-broken-links", "severity": "error",
                                      "outcome": "pass", "url": origin + "/", "evidence": "{}"}])
    finish_run(db, run_id, "finished")
    return run_id
