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
