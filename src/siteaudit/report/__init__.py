"""The HTML report a program contact designee opens, works through and signs off.

:func:`write_report` reads one run (and optionally the run to compare it
with) from the database, splits it by program (``siteaudit.toml``), and
writes a self-contained HTML report (CSS and JS inline, no network) plus CSV
and JSON of every table.  The library never prints.
"""

from __future__ import annotations

import logging
from pathlib import Path

import sqlite_utils

from ..store import open_db, resolve_run
from .export import export_tables, read_csv, write_exports
from .model import RuleProblem, Snapshot, classify_rule, load_snapshot
from .programs import DEMO_CONFIG, Designee, Program, ReportConfig, load_config
from .render import environment, render_report, safe_href
from .view import ReportView, build_report

__all__ = [
    "DEMO_CONFIG", "Designee", "Program", "ReportConfig", "ReportView", "Snapshot", "build_report",
    "export_tables", "load_config", "load_snapshot", "read_csv", "safe_href", "write_demo_config",
    "write_report",
]

log = logging.getLogger(__name__)


def write_report(db: str | Path | sqlite_utils.Database, run_id: int | str = "latest", out_dir: str | Path = "report",
                 compare: int | str | None = None, config_path: str | Path | None = None) -> Path:
    """Write the report of ``run_id`` into ``out_dir``; returns the path of ``index.html``.

    ``db`` is a database path or an open database; ``run_id`` an id or
    ``latest``/``previous``; ``compare`` an id, ``previous`` (the run before
    ``run_id``) or None; ``config_path`` a ``siteaudit.toml`` with
    ``[[programs]]`` (None: every page in one "All pages" section).  Raises
    StoreError, RunNotFound or ConfigError (naming the file and key).
    """
    database = db if isinstance(db, sqlite_utils.Database) else open_db(db, create=False)
    config = load_config(config_path)
    run = resolve_run(database, run_id)
    other = None
    if compare is not None:
        other = _resolve_compare(database, run, compare)
    out = Path(out_dir)
    snapshot = add_program_rules(database, load_snapshot(database, run), config)
    then = add_program_rules(database, load_snapshot(database, other), config) if other is not None else None
    report = build_report(database, snapshot, config, then)
    index, written = render_report(report, out)
    written += write_exports(report, out, environment())
    log.info("report of run %s: %d files in %s", run, len(written), out)
    return index


def add_program_rules(db, snapshot: Snapshot, config: ReportConfig) -> Snapshot:
    """Evaluate each program's own rule files on the run (not stored) and add their failures on its pages.

    The stored ``rule_results`` (``siteaudit check``) hold the agency-wide
    rules; a program's ``rules = [...]`` add checks that apply to its pages
    only, so they are evaluated here, for this report.
    """
    from ..rules import FAIL, evaluate_run

    assign = config.assigner()
    for program in config.programs:
        if not program.rules:
            continue
        for r in evaluate_run(db, snapshot.run["id"], program.rules, use_defaults=False, save=False):
            if r.outcome != FAIL or (r.url and assign(r.url) != program.slug):
                continue
            snapshot.rule_problems.append(RuleProblem(
                rule_id=r.rule_id, severity=r.severity, policy=r.policy, title=r.title, url=r.url or "",
                office=r.office or "", message=r.message, evidence=r.evidence,
                category=classify_rule(r.rule_id, r.evidence)))
        snapshot.rules_evaluated = True
    return snapshot


def _resolve_compare(db, run_id: int, spec: int | str) -> int:
    from ..errors import RunNotFound

    if str(spec) == "previous":
        row = db.execute("SELECT max(id) FROM runs WHERE id < ?", [run_id]).fetchone()
        if row[0] is None:
            raise RunNotFound(f"--compare previous: run {run_id} is the first run in the database")
        return int(row[0])
    other = resolve_run(db, spec)
    if other == run_id:
        raise RunNotFound(f"--compare {spec}: that is the run being reported; pick an earlier run")
    return other


def write_demo_config(out_dir: str | Path) -> Path:
    """Write the demo agency's ``siteaudit.toml`` (three programs with designees) into ``out_dir``."""
    path = Path(out_dir) / "siteaudit.toml"
    path.write_text(DEMO_CONFIG, encoding="utf-8")
    return path
