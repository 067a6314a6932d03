"""The post-crawl phase, timed and compared: fragments, run counts, rule evaluation, saving.

    .venv/bin/python bench/rules_bench.py time DB [DB ...] [--repeat 3] [--src DIR]
    .venv/bin/python bench/rules_bench.py compare DB [DB ...] --base DIR [--keep DIR]

What the crawl command runs once the crawl ends, on a copy of a finished crawl's
database (the original is never written; its fragment checks and rule results
are deleted first, as they are not there yet when a crawl ends): ``resolve_fragments``, ``finish_run``
(run counts) and the default rules (``load_rules``, reading the run and
evaluating, ``save_results``), each in a fresh subprocess.  Like ``siteaudit crawl``,
the child loads the rules once before the timed phase (``--cold``: not).

``time`` prints CPU (``process_time``) and wall seconds of each phase, best and
median of ``--repeat`` runs, and the child's peak RSS (``ru_maxrss``).
``compare`` runs the phase with the checkout's ``src`` and with another one
(``--base``, e.g. ``git archive HEAD~3 src | tar -x -C /tmp/base``) and checks
that they store the same ``link_checks``, ``runs`` counts and ``rule_results``
(in order; ids and timestamps ignored) and return the same results.  Exit 1 on
a difference.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHASES = ("fragments", "counts", "load_rules", "evaluate", "save")

CHILD = r"""
import hashlib, json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from siteaudit.fragments import resolve_fragments
from siteaudit.rules import load_rules
from siteaudit.rules.evaluate import evaluate_rules, load_run
from siteaudit.rules.store import save_results
from siteaudit.store import finish_run, open_db, run_info

db = open_db(sys.argv[2], create=False)
run_id = int(sys.argv[3])
status = run_info(db, run_id)["status"]
if sys.argv[4] == "warm":
    load_rules(None)  # as `siteaudit crawl` does: it checks the rule files before crawling
base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
times = {}

def timed(name, fn, *args):
    c0, w0 = time.process_time(), time.perf_counter()
    out = fn(*args)
    times[name] = (time.process_time() - c0, time.perf_counter() - w0)
    return out

timed("fragments", resolve_fragments, db, run_id)
timed("counts", finish_run, db, run_id, status)
ruleset = timed("load_rules", load_rules, None)
results = timed("evaluate", lambda: evaluate_rules(load_run(db, run_id), ruleset.active))
timed("save", save_results, db, run_id, results)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # before the digest's own copies
digest = hashlib.sha256(json.dumps([r.to_dict() for r in results], default=str).encode()).hexdigest()
print(json.dumps({"module": __import__("siteaudit").__file__, "times": times, "results": len(results),
                  "digest": digest[:16], "rss_after_import_kib": base_rss,
                  "peak_rss_kib": peak}))
"""


def run_once(src: Path, db: Path, run_id: int, keep: Path | None = None, cold: bool = False) -> dict:
    """The post-crawl phase on a fresh copy of ``db`` with the code in ``src``."""
    with tempfile.TemporaryDirectory(dir=db.parent, prefix=".rules-bench-") as tmp:
        copy = Path(tmp) / db.name
        shutil.copyfile(db, copy)
        with sqlite3.connect(copy) as conn:  # as the crawl leaves it: fragments not resolved, no rules run
            conn.execute("DELETE FROM link_checks WHERE run_id = ? AND method = 'anchor'", [run_id])
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'rule_results'").fetchone():
                conn.execute("DELETE FROM rule_results WHERE run_id = ?", [run_id])
        conn.close()
        out = subprocess.run([sys.executable, "-c", CHILD, str(src), str(copy), str(run_id),
                              "cold" if cold else "warm"],
                             check=True, capture_output=True, text=True)
        if keep is not None:
            shutil.copyfile(copy, keep)
    return json.loads(out.stdout.strip().splitlines()[-1])


def time_main(args) -> int:
    src = Path(args.src or ROOT / "src")
    for db in args.dbs:
        runs = [run_once(src, Path(db), args.run, cold=args.cold) for _ in range(args.repeat)]
        print(f"{db}: {runs[0]['results']} results, digest {runs[0]['digest']}, "
              f"peak RSS {max(r['peak_rss_kib'] for r in runs) / 1024:.0f} MiB "
              f"(after imports {runs[0]['rss_after_import_kib'] / 1024:.0f})")
        print(f"  {'phase':<11} {'cpu best':>9} {'cpu med':>8} {'wall best':>10} {'wall med':>9}")
        for name in (*PHASES, "total"):
            if name == "total":
                cpu = [sum(r["times"][p][0] for p in PHASES) for r in runs]
                wall = [sum(r["times"][p][1] for p in PHASES) for r in runs]
            else:
                cpu = [r["times"][name][0] for r in runs]
                wall = [r["times"][name][1] for r in runs]
            print(f"  {name:<11} {min(cpu):9.3f} {statistics.median(cpu):8.3f} "
                  f"{min(wall):10.3f} {statistics.median(wall):9.3f}")
    return 0


# What must not change: ids, timestamps and timings aside, row for row (rule results in order).
STORED = {
    "runs": "SELECT id, start_urls, settings, started_at, status, pages, links, targets, broken, findings "
            "FROM runs ORDER BY id",
    "link_checks": "SELECT run_id, target, fragment, outcome, status, final_url, chain, error, method, reason "
                   "FROM link_checks ORDER BY run_id, target, fragment",
    "(written in order)": "SELECT run_id, target, fragment FROM link_checks ORDER BY rowid",
    "rule_results": "SELECT run_id, rule_id, severity, policy, title, outcome, url, office, office_key, message, "
                    "evidence FROM rule_results ORDER BY id",
}


def same_rows(a: Path, b: Path) -> bool:
    same = True
    with sqlite3.connect(a) as da, sqlite3.connect(b) as dbb:
        for table, sql in STORED.items():
            rows_a, rows_b = da.execute(sql).fetchall(), dbb.execute(sql).fetchall()
            ok = rows_a == rows_b
            print(f"  {table:<18} {len(rows_a):>7} {len(rows_b):>7} {'same' if ok else 'DIFFERENT'}")
            same &= ok
    return same


def compare_main(args) -> int:
    keep = Path(args.keep or tempfile.mkdtemp(prefix="rules-compare-"))
    keep.mkdir(parents=True, exist_ok=True)
    same = True
    for db in map(Path, args.dbs):
        old, new = keep / f"{db.stem}-base.db", keep / f"{db.stem}-new.db"
        r_old = run_once(Path(args.base), db, args.run, old)
        r_new = run_once(ROOT / "src", db, args.run, new)
        print(f"{db}: base {r_old['results']} results {r_old['digest']}, new {r_new['results']} results "
              f"{r_new['digest']}")
        same &= r_old["digest"] == r_new["digest"] and r_old["results"] == r_new["results"]
        same &= same_rows(old, new)
        if not args.keep:
            old.unlink()
            new.unlink()
    print("identical" if same else "DIFFERENT")
    return 0 if same else 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("time", help="time each phase")
    t.add_argument("dbs", nargs="+")
    t.add_argument("--repeat", type=int, default=3)
    t.add_argument("--src", help="the src folder to run (default: this checkout's)")
    t.add_argument("--cold", action="store_true",
                   help="no load_rules before the timed phase (the crawl command makes one: it checks the rules first)")
    c = sub.add_parser("compare", help="same stored rows as another checkout?")
    c.add_argument("dbs", nargs="+")
    c.add_argument("--base", required=True, help="the src folder of the code to compare with")
    c.add_argument("--keep", help="keep the two result databases in this folder")
    for s in (t, c):
        s.add_argument("--run", type=int, default=1, help="run id (default 1)")
    args = p.parse_args(argv)
    return time_main(args) if args.cmd == "time" else compare_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
