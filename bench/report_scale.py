"""How long the report takes on a big run: 20,000 pages and 200,000 links by default.

Builds a synthetic run (tests/report/report_synth.py: five programs, 1 % of
targets broken, three contact findings per page, a failed rule on every tenth
page), then times each stage of ``write_report`` and prints the ratio of the
whole report to its peers measured in the same run: reading the rows from
SQLite (the floor) and ``json.dump`` of the same rows (what any export costs).
It also prints the largest HTML file and the number of files, since "usable"
means no single page holds a giant table.

    .venv/bin/python bench/report_scale.py [--pages 20000] [--links-per-page 10] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "report"))

from report_synth import build_run, synth_config  # noqa: E402

from siteaudit.report import load_config, load_snapshot  # noqa: E402
from siteaudit.report.export import write_exports  # noqa: E402
from siteaudit.report.render import environment, render_report  # noqa: E402
from siteaudit.report.view import build_report  # noqa: E402
from siteaudit.store import open_db  # noqa: E402


def timed(label: str, results: dict, fn, *args, **kw):
    start = time.perf_counter()
    value = fn(*args, **kw)
    results[label] = time.perf_counter() - start
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--links-per-page", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="Keep the database and report in this folder.")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="siteaudit-report-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "bench.db"
    if db_path.exists():
        db_path.unlink()
    t: dict[str, float] = {}
    timed("build database", t, build_run, db_path, args.pages, args.links_per_page)
    db = open_db(db_path)
    run_id = db.execute("SELECT max(id) FROM runs").fetchone()[0]
    counts = {k: db.execute(f"SELECT count(*) FROM {k} WHERE run_id = ?", [run_id]).fetchone()[0]
              for k in ("pages", "links", "findings", "link_checks")}
    config = load_config(synth_config(folder))
    out = folder / "report"
    shutil.rmtree(out, ignore_errors=True)

    # Peers: read every row the report reads, and dump them as JSON.
    def read_rows():
        return {k: db.execute(f"SELECT * FROM {k} WHERE run_id = ?", [run_id]).fetchall()
                for k in ("pages", "findings", "link_checks", "rule_results")}
    rows = timed("peer: read rows", t, read_rows)
    timed("peer: json.dumps rows", t, lambda: json.dumps({k: [list(r) for r in v] for k, v in rows.items()}))

    start = time.perf_counter()
    snapshot = timed("load snapshot", t, load_snapshot, db, run_id)
    report = timed("build view", t, build_report, db, snapshot, config)
    _, written = timed("render HTML", t, render_report, report, out)
    written += timed("write CSV/JSON", t, write_exports, report, out, environment())
    total = time.perf_counter() - start

    html = [p for p in written if p.suffix == ".html"]
    largest = max(html, key=lambda p: p.stat().st_size)
    print(f"run: {counts['pages']:,} pages, {counts['links']:,} links, {counts['link_checks']:,} targets, "
          f"{counts['findings']:,} findings")
    for label, seconds in t.items():
        print(f"  {label:<24} {seconds:7.2f} s")
    print(f"  {'report total':<24} {total:7.2f} s   (budget 60 s: {'ok' if total < 60 else 'OVER'})")
    print(f"ratios: report / read rows = {total / t['peer: read rows']:.1f}x; "
          f"report / json.dumps = {total / max(t['peer: json.dumps rows'], 1e-9):.1f}x")
    print(f"files: {len(html):,} HTML, {len(written) - len(html):,} data; largest HTML {largest.name} "
          f"{largest.stat().st_size / 1e6:.2f} MB; index.html {(out / 'index.html').stat().st_size / 1e3:.0f} kB")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if total < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
