"""CSV and JSON of every report table, for the whole run (not split by page).

Each table is written as ``data/<name>.csv`` and ``data/<name>.json``
(``{"table", "columns", "rows"}``).  CSV cells that a spreadsheet would run
as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or CR) get a
leading apostrophe, and so does a cell that already starts with one, so
:func:`read_csv` gives back exactly what was written.  The cell rules live in
:mod:`siteaudit.sanitize`, shared with the CLI's outputs.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..sanitize import csv_cell, json_text, restore_formula
from .view import ReportView


def _change(report: ReportView, key: str) -> str:
    if report.compare is None:
        return ""
    return "new" if key in report.new_keys else "still open"


def export_tables(report: ReportView) -> dict[str, tuple[list[str], list[dict]]]:
    """name -> (columns, rows) for every table of the report."""
    assign = report.config.assigner()
    snap = report.snapshot
    tables: dict[str, tuple[list[str], list[dict]]] = {}
    rows = []
    for view in [report.overall] + report.programs:
        for m in view.metrics:
            rows.append({"program": view.name, "metric": m.label, "value": m.value, "new": m.new, "fixed": m.fixed})
    tables["summary"] = (["program", "metric", "value", "new", "fixed"], rows)
    rows = []
    for p in snap.link_problems:
        for s in p.sources:
            rows.append({
                "program": assign(s["source"]), "target": p.target, "fragment": p.fragment, "outcome": p.outcome,
                "listed_as": "broken" if p.is_broken else "recheck", "status": p.status, "reason": p.reason,
                "source": s["source"], "link_text": s["text"], "element": s["element"], "attribute": s["attribute"],
                "path": s["path"], "line": s["line"], "first_seen_run": (p.first_seen or {}).get("id"),
                "runs_in_a_row": p.streak, "change": _change(report, p.key)})
    tables["links"] = (["program", "target", "fragment", "outcome", "listed_as", "status", "reason", "source",
                        "link_text", "element", "attribute", "path", "line", "first_seen_run", "runs_in_a_row",
                        "change"], rows)
    rows = [{"programs": sorted({assign(u) for u in p.pages}), "category": p.category, "severity": p.severity,
             "rule_id": p.rule_id, "title": p.title, "url": p.url, "office": p.office, "message": p.message,
             "evidence": p.evidence, "policy": p.policy, "runs_in_a_row": p.streak, "change": _change(report, p.key)}
            for p in snap.rule_problems]
    tables["rule_problems"] = (["programs", "category", "severity", "rule_id", "title", "url", "office", "message",
                                "evidence", "policy", "runs_in_a_row", "change"], rows)
    rows = [{"category": p.category, "person": p.person, "value": p.value, "value_kind": p.value_kind,
             "pages": p.pages, "business_days": p.business_days, "window_passed": p.window_passed,
             "detail": p.detail, "change": _change(report, p.key)} for p in snap.directory_problems]
    tables["directory"] = (["category", "person", "value", "value_kind", "pages", "business_days", "window_passed",
                            "detail", "change"], rows)
    rows = [{"program": assign(f["url"]), "office": f["office"], "kind": f["kind"], "value": f["value"],
             "text": f["text"], "label": f["label"], "phone_type": f["phone_type"], "url": f["url"],
             "path": f["path"], "line": f["line"], "flags": f["flags"], "source": f["source"]}
            for f in snap.findings]
    tables["inventory"] = (["program", "office", "kind", "value", "text", "label", "phone_type", "url", "path", "line",
                            "flags", "source"], rows)
    rows = [{"program": assign(p["url"]), "url": p["url"], "title": p["title"], "status": p["status"],
             "content_type": p["content_type"], "duplicate_of": p["duplicate_of"], "error": p["error"]}
            for p in snap.pages]
    tables["pages"] = (["program", "url", "title", "status", "content_type", "duplicate_of", "error"], rows)
    if report.compare is not None:
        rows = [{"kind": f.kind, "description": f.description, "url": f.url, "programs": sorted(f.programs)}
                for f in report.overall.fixed]
        tables["fixed"] = (["kind", "description", "url", "programs"], rows)
    tables["history"] = (["id", "started_at", "pages", "broken", "indeterminate", "contact"], report.history)
    return tables


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_cell(row.get(c)) for c in columns])


def read_csv(path: str | Path) -> list[dict[str, str]]:
    """Rows of an exported CSV as written (formula neutralisation undone)."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return [{k: restore_formula(v) for k, v in row.items()} for row in reader]


def write_json(path: Path, name: str, columns: list[str], rows: list[dict]) -> None:
    payload = {"table": name, "columns": columns, "rows": [{c: r.get(c) for c in columns} for r in rows]}
    path.write_text(json_text(payload, indent=1), encoding="utf-8")


def write_exports(report: ReportView, out_dir: Path, env) -> list[Path]:
    """Write every table to ``out_dir/data`` plus an index page; returns the files written."""
    data = out_dir / "data"
    data.mkdir(parents=True, exist_ok=True)
    for stale in [*data.glob("*.csv"), *data.glob("*.json")]:
        stale.unlink()
    written, listing = [], []
    for name, (columns, rows) in export_tables(report).items():
        csv_path, json_path = data / f"{name}.csv", data / f"{name}.json"
        write_csv(csv_path, columns, rows)
        write_json(json_path, name, columns, rows)
        written += [csv_path, json_path]
        listing.append({"name": name, "rows": len(rows), "columns": columns})
    index = data / "index.html"
    index.write_text(env.get_template("data_index.html").render(report=report, tables=listing), encoding="utf-8")
    written.append(index)
    return written
