"""The ``rule_results`` table: one row per rule result of a run.

Re-evaluating a run replaces its rows, so ``siteaudit check`` can be run again
with other rules without re-crawling.
"""

from __future__ import annotations

import json
from dataclasses import fields
from operator import attrgetter

from ..store import ensure_table, json_cell, now_iso, query, transaction, write_tuples
from .evaluate import RuleResult

RULE_RESULTS_DDL = """
CREATE TABLE IF NOT EXISTS rule_results (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    rule_id TEXT NOT NULL,
    severity TEXT NOT NULL,            -- error | warning | info
    policy TEXT,
    title TEXT,
    outcome TEXT NOT NULL,             -- pass | fail | not-applicable
    url TEXT,
    office TEXT,
    office_key INTEGER,
    message TEXT,
    evidence TEXT,                     -- JSON object
    evaluated_at TEXT
);
CREATE INDEX IF NOT EXISTS rule_results_run ON rule_results (run_id, outcome, severity);
"""

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def save_results(db, run_id: int, results: list[RuleResult]) -> int:
    """Replace the stored results of ``run_id`` with ``results``; returns the count."""
    ensure_table(db, RULE_RESULTS_DDL)
    stamp = now_iso()
    # One transaction: a crash keeps the old results.
    with transaction(db, "save rule results"):
        db.execute("DELETE FROM rule_results WHERE run_id = ?", [run_id])
        # One executemany over a generator: the rows are made as SQLite takes them (a 20,000-page
        # run has 120,000+ results: no second copy of them as rows).
        write_tuples(db, "rule_results", _COLUMNS,
                     ((run_id, *_head(r), json_cell(r.evidence), stamp) for r in results))  # type: ignore[arg-type]
    return len(results)


# Rows as tuples straight from the dataclass (asdict deep-copies every evidence dict); the
# columns come from its fields, evidence last, so the two cannot drift apart.
_FIELDS = [f.name for f in fields(RuleResult)]
assert _FIELDS[-1] == "evidence"
_head = attrgetter(*_FIELDS[:-1])
_COLUMNS = ("run_id", *_FIELDS, "evaluated_at")


def load_results(db, run_id: int, severity: str | None = None,
                 outcomes: tuple[str, ...] | None = ("fail",)) -> list[dict]:
    """Stored results of a run, most severe first.

    ``severity`` keeps that level and the more severe ones (``warning`` keeps
    errors and warnings); ``outcomes`` None keeps every outcome.
    """
    ensure_table(db, RULE_RESULTS_DDL)
    rows = query(db, "SELECT * FROM rule_results WHERE run_id = ? ORDER BY id", [run_id])
    limit = SEVERITY_ORDER.get(severity or "info", 2)
    out = []
    for r in rows:
        if SEVERITY_ORDER.get(r["severity"], 2) > limit:
            continue
        if outcomes is not None and r["outcome"] not in outcomes:
            continue
        r["evidence"] = json.loads(r["evidence"] or "{}")
        out.append(r)
    out.sort(key=lambda r: (SEVERITY_ORDER.get(r["severity"], 2), r["rule_id"], r["url"] or "", r["id"]))
    return out
