"""The SQLite store: schema, run bookkeeping and the queries every layer shares.

One database holds every run (so runs can be compared).  Writes come in
batches inside transactions; WAL mode lets a report or ``links`` query read
while a crawl writes.  The schema is documented in docs/schema.md; later
layers (rules, directory) add their own tables through :func:`ensure_table`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import weakref
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

import sqlite_utils

from .errors import RunNotFound, StoreError

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    start_urls TEXT NOT NULL,          -- JSON list
    settings TEXT NOT NULL,            -- JSON object (no credentials)
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,              -- running | finished | interrupted | failed
    pages INTEGER DEFAULT 0,
    links INTEGER DEFAULT 0,
    targets INTEGER DEFAULT 0,
    broken INTEGER DEFAULT 0,
    findings INTEGER DEFAULT 0
);
CREATE TABLE IF NOT EXISTS pages (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,
    final_url TEXT,
    status INTEGER,
    content_type TEXT,
    title TEXT,
    content_hash TEXT,
    depth INTEGER,
    fetched_at TEXT,
    size INTEGER,
    anchors TEXT,                      -- JSON list of ids/names (fragment checks)
    error TEXT,
    duplicate_of TEXT,                 -- URL of an earlier page with the same content
    PRIMARY KEY (run_id, url)
);
CREATE TABLE IF NOT EXISTS links (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    source TEXT NOT NULL,
    target TEXT NOT NULL,              -- absolute URL without fragment
    fragment TEXT NOT NULL DEFAULT '',
    element TEXT,
    attribute TEXT,
    text TEXT,
    path TEXT,
    line INTEGER
);
CREATE INDEX IF NOT EXISTS links_run_target ON links (run_id, target);
CREATE INDEX IF NOT EXISTS links_run_source ON links (run_id, source);
CREATE TABLE IF NOT EXISTS link_checks (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    target TEXT NOT NULL,
    fragment TEXT NOT NULL DEFAULT '',  -- '' = the target itself
    outcome TEXT NOT NULL,
    status INTEGER,
    final_url TEXT,
    chain TEXT,                        -- JSON [{url, status}]
    error TEXT,
    elapsed REAL,
    method TEXT,
    reason TEXT,
    checked_at TEXT,
    PRIMARY KEY (run_id, target, fragment)
);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,
    kind TEXT NOT NULL,                -- phone | email | address | hours | appointment | short_code
    value TEXT,
    text TEXT,
    label TEXT,
    office TEXT,
    office_key INTEGER,                -- index of the office block on the page, NULL if none
    source TEXT,                       -- text | link | structured
    phone_type TEXT,
    path TEXT,
    line INTEGER,
    flags TEXT,                        -- JSON list
    data TEXT                          -- JSON object
);
CREATE INDEX IF NOT EXISTS findings_run_kind ON findings (run_id, kind);
CREATE INDEX IF NOT EXISTS findings_run_url ON findings (run_id, url);
CREATE TABLE IF NOT EXISTS offices (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,
    office_key INTEGER NOT NULL,
    name TEXT,
    path TEXT,
    line INTEGER,
    kinds TEXT,                        -- JSON list of finding kinds in the block
    PRIMARY KEY (run_id, url, office_key)
);
"""

# The rules' page facts (siteaudit.rules.facts), written by the crawl with each page.
PAGE_TEXT_DDL = """
CREATE TABLE IF NOT EXISTS page_text (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,
    headings TEXT,                     -- JSON list of heading texts, in order
    text TEXT,                         -- visible text, one line per segment, <= 200 KB
    last_updated TEXT,                 -- ISO date of a "last updated" note, or NULL
    PRIMARY KEY (run_id, url)
);
"""


PAGE_SIZE = 16384  # bytes per database page, for databases created from now on (see open_db)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def busy_timeout() -> float:
    """Seconds to wait for another writer's lock (env ``SITEAUDIT_DB_TIMEOUT``, default 30)."""
    try:
        return max(0.0, float(os.environ.get("SITEAUDIT_DB_TIMEOUT", "30")))
    except ValueError:
        return 30.0


def db_path_of(db: sqlite_utils.Database) -> str:
    try:
        row = db.conn.execute("PRAGMA database_list").fetchone()
        return row[2] or ":memory:"
    except sqlite3.Error:
        return "the database"


def store_error(exc: sqlite3.Error, where: str, what: str = "write") -> StoreError:
    """A :class:`StoreError` that says what happened to ``where`` and what to do."""
    text = str(exc)
    low = text.lower()
    if "locked" in low or "busy" in low:
        msg = (f"{where}: database is locked by another process (a crawl still writing?); "
               "wait for it to finish or use another --db")
    elif "readonly" in low or "read-only" in low:
        msg = f"{where}: database is read-only; check the file and folder permissions or use another --db"
    elif "full" in low or "disk i/o" in low or "too large" in low:
        msg = (f"{where}: cannot {what}: {text} (disk full?); everything committed before is intact: "
               "free space, then continue with `siteaudit crawl --resume`")
    elif "malformed" in low or "not a database" in low:
        msg = f"{where}: not a siteaudit database or damaged: {text}"
    else:
        msg = f"{where}: cannot {what}: {text}"
    return StoreError(msg)


@contextmanager
def transaction(db: sqlite_utils.Database, what: str = "write") -> Iterator[None]:
    """One write transaction; any SQLite failure (locked, read-only, disk full)
    rolls back and becomes a :class:`StoreError` naming the file."""
    try:
        with db.conn:
            yield
    except StoreError:
        raise
    except sqlite3.Error as exc:
        raise store_error(exc, db_path_of(db), what) from exc


def commit(db: sqlite_utils.Database, what: str = "write") -> None:
    """Commit the transaction open on ``db`` (one spanning several calls, unlike
    :func:`transaction`); a failure becomes a :class:`StoreError` naming the file."""
    try:
        db.conn.commit()
    except sqlite3.Error as exc:
        raise store_error(exc, db_path_of(db), what) from exc


def rollback(db: sqlite_utils.Database | None) -> None:
    """Roll back whatever is open on ``db`` (after a failed write; never raises)."""
    try:
        if db is not None:
            db.conn.rollback()
    except sqlite3.Error:
        pass


def check_writable(db: sqlite_utils.Database) -> None:
    """Take and release the write lock now, so a locked or read-only database
    fails before a crawl starts rather than when its first page is stored."""
    try:
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            # A write that is rolled back: a read-only file only fails on an actual write.
            version = db.conn.execute("PRAGMA user_version").fetchone()[0]
            db.conn.execute(f"PRAGMA user_version = {int(version)}")
        finally:
            db.conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise store_error(exc, db_path_of(db)) from exc


class _Connection(sqlite3.Connection):
    """sqlite3's connection, able to be weakly referenced (the C type is not)."""


# Every connection open_db opened (weakly: one dropped is closed by the collector as before),
# so close_all() can close what is still open before a fast exit.
_OPEN: "weakref.WeakSet[_Connection]" = weakref.WeakSet()


def close_all() -> None:
    """Close every connection :func:`open_db` opened and that is still open: the last
    close of a WAL database folds the log back into the file, so a copy of the ``.db``
    alone has everything."""
    for conn in list(_OPEN):
        try:
            conn.close()
        except sqlite3.Error:
            pass


def open_db(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open (and if needed create) the database at ``path`` in WAL mode.

    Raises :class:`StoreError` naming the path when it cannot be opened or
    written (missing folder, permissions, not a database, locked).
    """
    p = Path(path)
    if not create and not p.exists():
        raise StoreError(f"{p}: no such database (run `siteaudit crawl` first, or pass --db)")
    if create and p.parent and not p.parent.exists():
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{p}: cannot create folder: {exc.strerror}") from exc
    try:
        wait = busy_timeout()
        conn = sqlite3.connect(str(p), timeout=wait, check_same_thread=False, factory=_Connection)
        _OPEN.add(conn)
        db = sqlite_utils.Database(conn)
        db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        if create:
            # Only a new database takes it (an existing one keeps its page size; WAL mode
            # ignores the pragma).  16 KB pages instead of SQLite's 4 KB: the link indexes'
            # long URL keys split pages a quarter as often and a commit writes fewer WAL
            # frames, so a 2,000-page crawl's writes take a third less CPU (bench/README.md).
            db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            db.enable_wal()
            db.executescript(SCHEMA)
        else:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise store_error(exc, str(p), "open database") from exc
    return db


def ensure_table(db: sqlite_utils.Database, ddl: str) -> None:
    """Run ``CREATE TABLE IF NOT EXISTS`` statements for a layer's own tables."""
    try:
        db.executescript(ddl)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot create tables: {exc}") from exc


def start_run(db: sqlite_utils.Database, start_urls: list[str], settings: dict[str, Any]) -> int:
    with transaction(db, "start a run"):
        cur = db.execute(
            "INSERT INTO runs (start_urls, settings, started_at, status) VALUES (?, ?, ?, 'running')",
            [json.dumps(start_urls), json.dumps(settings, sort_keys=True, default=str), now_iso()],
        )
    return int(cur.lastrowid)


_COUNTS = ("pages", "links", "targets", "broken", "findings")
_COUNT_SQL = (  # one statement, one read transaction
    "SELECT (SELECT count(*) FROM pages WHERE run_id = ?1), (SELECT count(*) FROM links WHERE run_id = ?1), "
    "(SELECT count(*) FROM link_checks WHERE run_id = ?1 AND fragment = ''), "
    "(SELECT count(*) FROM link_checks WHERE run_id = ?1 AND outcome IN ('broken', 'broken-fragment')), "
    "(SELECT count(*) FROM findings WHERE run_id = ?1)"
)


def _run_counts(db: sqlite_utils.Database, run_id: int) -> dict[str, int]:
    return dict(zip(_COUNTS, db.execute(_COUNT_SQL, [run_id]).fetchone()))


def update_run_counts(db: sqlite_utils.Database, run_id: int) -> dict[str, int]:
    """Recompute a run's counts from its rows (so they are right after a resume)."""
    counts = _run_counts(db, run_id)
    with transaction(db, "update the run"):
        db.execute("UPDATE runs SET pages=?, links=?, targets=?, broken=?, findings=? WHERE id=?",
                   [*counts.values(), run_id])
    return counts


def finish_run(db: sqlite_utils.Database, run_id: int, status: str) -> dict[str, int]:
    """Store a run's counts (see :func:`update_run_counts`), its status and end time, in one transaction."""
    counts = _run_counts(db, run_id)
    with transaction(db, "finish the run"):
        db.execute("UPDATE runs SET pages=?, links=?, targets=?, broken=?, findings=?, status=?, finished_at=? "
                   "WHERE id=?", [*counts.values(), status, now_iso(), run_id])
    return counts


def write_rows(db: sqlite_utils.Database, table: str, rows: list[dict], *, replace: bool = False) -> None:
    """Write ``rows`` to ``table`` inside the caller's transaction.

    ``replace`` makes re-writing a row with the same primary key idempotent
    (a resumed crawl may store a page again after a kill).  Rows may differ in
    their keys; missing ones are NULL.
    """
    if not rows:
        return
    cols = tuple(dict.fromkeys(k for r in rows for k in r))
    write_tuples(db, table, cols, [tuple(_cell(r.get(c)) for c in cols) for r in rows], replace=replace)


def write_tuples(db: sqlite_utils.Database, table: str, columns: tuple[str, ...], rows: list[tuple], *,
                 replace: bool = False) -> None:
    """Write ready-made rows (tuples of SQLite values in ``columns`` order) inside the
    caller's transaction: the crawl's hot path, with no per-cell conversion."""
    if not rows:
        return
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    sql = f"{verb} INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' for _ in columns)})"
    try:
        db.conn.executemany(sql, rows)
    except sqlite3.Error as exc:
        raise store_error(exc, db_path_of(db), f"write to {table}") from exc


def insert_rows(db: sqlite_utils.Database, table: str, rows: Iterable[dict], *, replace: bool = False) -> int:
    """Insert ``rows`` into ``table`` in one transaction; returns the count."""
    rows = list(rows)
    with transaction(db, f"write to {table}"):
        write_rows(db, table, rows, replace=replace)
    return len(rows)


def json_cell(value: Any) -> str:
    """A list or dict as stored in a JSON column (``[]`` and ``{}`` without the encoder:
    most findings have no flags and no data)."""
    if not value and isinstance(value, (list, dict)):
        return "[]" if isinstance(value, list) else "{}"
    return json.dumps(value, default=str)


def _cell(v: Any) -> Any:
    if isinstance(v, (list, dict, tuple)):
        return json_cell(v)
    if hasattr(v, "value") and not isinstance(v, (int, float, str, bytes)):
        return v.value  # enums
    return v


def resolve_run(db: sqlite_utils.Database, spec: str | int | None = "latest") -> int:
    """Turn ``latest``, ``previous`` or an id into a run id; raise RunNotFound."""
    spec = "latest" if spec in (None, "") else str(spec)
    if spec in ("latest", "previous"):
        rows = db.execute("SELECT id FROM runs ORDER BY id DESC LIMIT 2").fetchall()
        idx = 0 if spec == "latest" else 1
        if len(rows) <= idx:
            raise RunNotFound(f"no {spec} run in the database (run `siteaudit crawl` first)")
        return int(rows[idx][0])
    if not spec.isdigit():
        raise RunNotFound(f"--run must be 'latest', 'previous' or a run id, not {spec!r}")
    row = db.execute("SELECT id FROM runs WHERE id = ?", [int(spec)]).fetchone()
    if row is None:
        raise RunNotFound(f"run {spec} is not in the database")
    return int(row[0])


def run_info(db: sqlite_utils.Database, run_id: int) -> dict:
    row = db.execute("SELECT * FROM runs WHERE id = ?", [run_id]).fetchone()
    cols = [d[0] for d in db.execute("SELECT * FROM runs LIMIT 0").description]
    info = dict(zip(cols, row))
    info["start_urls"] = json.loads(info["start_urls"])
    info["settings"] = json.loads(info["settings"])
    return info


def query(db: sqlite_utils.Database, sql: str, params: list | tuple = ()) -> list[dict]:
    cur = db.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def link_report(db: sqlite_utils.Database, run_id: int, outcomes: Iterable[str] | None = None) -> list[dict]:
    """Every checked target of a run with its outcome and all its referrers.

    A link with a ``#fragment`` takes the fragment's outcome when the target
    page itself was fine.  Returns one dict per (target, fragment) with a
    ``sources`` list of ``{source, text, element, attribute, path, line}``.
    """
    wanted = set(outcomes) if outcomes else None
    checks = {
        (r["target"], r["fragment"]): r
        for r in query(db, "SELECT * FROM link_checks WHERE run_id = ?", [run_id])
    }
    grouped: dict[tuple[str, str], dict] = {}
    for edge in query(
        db,
        "SELECT source, target, fragment, element, attribute, text, path, line FROM links "
        "WHERE run_id = ? ORDER BY target, fragment, source, id",
        [run_id],
    ):
        key = (edge["target"], edge["fragment"])
        check = checks.get(key) or checks.get((edge["target"], ""))
        if check is None:
            continue
        if key not in grouped:
            grouped[key] = _check_row(check, edge["fragment"])
        grouped[key]["sources"].append(
            {k: edge[k] for k in ("source", "text", "element", "attribute", "path", "line")}
        )
    rows = [g for g in grouped.values() if wanted is None or g["outcome"] in wanted]
    rows.sort(key=lambda r: (r["outcome"] == "ok", r["target"], r["fragment"]))
    return rows


def _check_row(check: dict, fragment: str) -> dict:
    return {
        "target": check["target"],
        "fragment": fragment,
        "outcome": check["outcome"],
        "status": check["status"],
        "final_url": check["final_url"],
        "chain": json.loads(check["chain"] or "[]"),
        "error": check["error"],
        "reason": check["reason"],
        "method": check["method"],
        "elapsed": check["elapsed"],
        "sources": [],
    }
