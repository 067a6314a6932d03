"""The directory layer's tables: imports (with their date), entries, diff results.

``directory_imports`` keeps every import with its date, source and rejects, so
a diff can say which one it used; ``directory_results`` holds one diff per
(run, import) and is replaced when that diff is run again.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

import sqlite_utils

from ..errors import DirectoryImportError
from ..store import ensure_table, now_iso, query, transaction, write_rows
from .model import Category, DirectoryEntry, DirectoryResult, ImportResult, Occurrence

__all__ = [
    "DDL",
    "import_info",
    "list_imports",
    "load_entries",
    "load_findings",
    "load_page_lines",
    "load_results",
    "resolve_import",
    "save_import",
    "save_results",
]

DDL = """
CREATE TABLE IF NOT EXISTS directory_imports (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,              -- file path (or LDAP URL, API name)
    source_kind TEXT NOT NULL,         -- csv | ...
    imported_at TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    rejected INTEGER NOT NULL,         -- rows with at least one error
    blank_rows INTEGER NOT NULL DEFAULT 0,
    encoding TEXT,
    delimiter TEXT,
    columns TEXT,                      -- JSON {header: field}
    ignored_columns TEXT,              -- JSON list
    errors TEXT                        -- JSON [{row, column, value, reason}]
);
CREATE TABLE IF NOT EXISTS directory_entries (
    import_id INTEGER NOT NULL REFERENCES directory_imports(id),
    row INTEGER NOT NULL,              -- source row (header = row 1)
    name TEXT,
    email TEXT,
    phones TEXT,                       -- JSON list of E.164 (;ext=N)
    title TEXT,
    unit TEXT,
    status TEXT NOT NULL,              -- active | leave | terminated
    start_date TEXT,
    end_date TEXT,
    public_contact INTEGER NOT NULL,
    entry_type TEXT NOT NULL,          -- person | shared | main_line
    aliases TEXT,                      -- JSON list
    source_id TEXT,
    PRIMARY KEY (import_id, row)
);
CREATE TABLE IF NOT EXISTS directory_results (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    import_id INTEGER NOT NULL REFERENCES directory_imports(id),
    as_of TEXT NOT NULL,
    window INTEGER NOT NULL,
    category TEXT NOT NULL,            -- departed | mismatch | unknown | missing | ok
    person TEXT,
    value TEXT,
    value_kind TEXT,
    entry_row INTEGER,
    pages TEXT,                        -- JSON list of URLs
    occurrences TEXT,                  -- JSON [{url, match, value, text, path, line, office, label, finding_id}]
    business_days INTEGER,
    window_passed INTEGER,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS directory_results_run_import ON directory_results (run_id, import_id);
"""


def _ensure(db: sqlite_utils.Database) -> None:
    ensure_table(db, DDL)


def save_import(db: sqlite_utils.Database, result: ImportResult) -> int:
    """Store an import and its entries; returns the new import id."""
    _ensure(db)
    with transaction(db, "save the directory import"):
        cur = db.execute(
            "INSERT INTO directory_imports (source, source_kind, imported_at, rows_read, accepted, rejected, "
            "blank_rows, encoding, delimiter, columns, ignored_columns, errors) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [result.source, result.source_kind, now_iso(), result.rows_read, len(result.entries),
             len(result.rejected_rows), result.blank_rows, result.encoding, result.delimiter,
             json.dumps(result.columns), json.dumps(result.ignored_columns),
             json.dumps([asdict(e) for e in result.errors])],
        )
        import_id = int(cur.lastrowid)
        # In the same transaction: an import is stored with all its entries or not at all.
        write_rows(db, "directory_entries", [{**e.to_dict(), "import_id": import_id} for e in result.entries])
    return import_id


def resolve_import(db: sqlite_utils.Database, spec: str | int | None = "latest") -> int:
    """Turn ``latest`` or an id into an import id; DirectoryImportError if there is none."""
    _ensure(db)
    spec = "latest" if spec in (None, "") else str(spec)
    if spec == "latest":
        row = db.execute("SELECT max(id) FROM directory_imports").fetchone()
        if row[0] is None:
            raise DirectoryImportError("no directory import in the database (run `siteaudit directory import FILE.csv`)")
        return int(row[0])
    if not spec.isdigit():
        raise DirectoryImportError(f"--directory must be 'latest' or an import id, not {spec!r}")
    if db.execute("SELECT 1 FROM directory_imports WHERE id = ?", [int(spec)]).fetchone() is None:
        raise DirectoryImportError(f"directory import {spec} is not in the database (see `siteaudit directory list`)")
    return int(spec)


def import_info(db: sqlite_utils.Database, import_id: int) -> dict:
    _ensure(db)
    row = query(db, "SELECT * FROM directory_imports WHERE id = ?", [import_id])[0]
    for k in ("columns", "ignored_columns", "errors"):
        row[k] = json.loads(row[k] or "null")
    return row


def list_imports(db: sqlite_utils.Database) -> list[dict]:
    _ensure(db)
    return query(db, "SELECT id, imported_at, source, source_kind, rows_read, accepted, rejected, blank_rows, "
                     "encoding, delimiter FROM directory_imports ORDER BY id")


def load_entries(db: sqlite_utils.Database, import_id: int) -> list[DirectoryEntry]:
    _ensure(db)
    out = []
    for r in query(db, "SELECT * FROM directory_entries WHERE import_id = ? ORDER BY row", [import_id]):
        out.append(DirectoryEntry(
            row=r["row"], name=r["name"] or "", email=r["email"] or "", phones=tuple(json.loads(r["phones"] or "[]")),
            title=r["title"] or "", unit=r["unit"] or "", status=r["status"],
            start_date=date.fromisoformat(r["start_date"]) if r["start_date"] else None,
            end_date=date.fromisoformat(r["end_date"]) if r["end_date"] else None,
            public_contact=bool(r["public_contact"]), entry_type=r["entry_type"],
            aliases=tuple(json.loads(r["aliases"] or "[]")), source_id=r["source_id"] or "",
        ))
    return out


def load_findings(db: sqlite_utils.Database, run_id: int) -> list[dict]:
    """The findings rows of a run, in page order (what :func:`diff_directory` reads)."""
    return query(db, "SELECT id, url, kind, value, text, label, office, path, line, phone_type, data FROM findings "
                     "WHERE run_id = ? ORDER BY url, line, id", [run_id])


def load_page_lines(db: sqlite_utils.Database, run_id: int) -> list[dict]:
    """Each visible line of each page of a run (from ``page_text``) as a finding-like
    row of kind ``page_text``, so a name shown with no contact details next to it
    ("Director: Jordan Avery") is found too.  Empty when the run has no page text."""
    if "page_text" not in db.table_names():
        return []
    rows = []
    for page in query(db, "SELECT url, text FROM page_text WHERE run_id = ? ORDER BY url", [run_id]):
        for line in (page["text"] or "").splitlines():
            if line.strip():
                rows.append({"id": None, "url": page["url"], "kind": "page_text", "value": "", "text": line,
                             "label": "visible text", "office": "", "path": "", "line": None,
                             "phone_type": None, "data": None})
    return rows


def save_results(db: sqlite_utils.Database, run_id: int, import_id: int, results: list[DirectoryResult],
                 *, as_of: date, window: int) -> int:
    """Replace the stored diff of (run, import) with ``results``."""
    _ensure(db)
    rows = []
    for r in results:
        d = r.to_dict()
        d.update(run_id=run_id, import_id=import_id, as_of=as_of.isoformat(), window=window)
        rows.append(d)
    # One transaction: a failed write keeps the earlier diff instead of leaving none.
    with transaction(db, "save directory results"):
        db.execute("DELETE FROM directory_results WHERE run_id = ? AND import_id = ?", [run_id, import_id])
        write_rows(db, "directory_results", rows)
    return len(rows)


def load_results(db: sqlite_utils.Database, run_id: int, import_id: int) -> list[DirectoryResult]:
    _ensure(db)
    out = []
    for r in query(db, "SELECT * FROM directory_results WHERE run_id = ? AND import_id = ? ORDER BY id",
                   [run_id, import_id]):
        out.append(DirectoryResult(
            Category(r["category"]), r["person"] or "", r["value"] or "", r["value_kind"] or "",
            [Occurrence(**o) for o in json.loads(r["occurrences"] or "[]")], r["entry_row"], r["business_days"],
            None if r["window_passed"] is None else bool(r["window_passed"]), r["detail"] or "",
        ))
    return out
