"""Peak memory of the rules phase (``siteaudit.rules.evaluate_run``) on a synthetic large run.

    .venv/bin/python bench/rules_memory.py [--pages 20000] [--links 35] [--db bench/out/rules-20000.db]
                                            [--src DIR] [--keep]

Builds (once; reused when ``--db`` exists) an agency-like run with plain sqlite3: a tree of
pages (8 children a page) with nav, breadcrumb, child, related, fragment, PDF, image and
external links (``--links`` a page, 35 by default: 20,000 pages give 700,000 link rows),
link checks (about N/400 broken targets of each kind, missing fragments), footer findings
and offices on every page, a field office every 25th page, and page text.  Then
evaluates the default rules in a fresh subprocess and prints its peak RSS
(``ru_maxrss``), the RSS after imports, the wall time, the result count and a digest of
the results (to compare two versions of the code: ``--src`` puts another checkout's
``src`` first on the child's ``sys.path``, e.g. one made with
``git archive HEAD~3 src | tar -x -C /tmp/base``).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = "https://agency.example.gov"
SECTIONS = ["services", "licenses", "programs", "offices", "news", "forms", "about", "resources"]
BRANCH = 8

CHILD = r"""
import hashlib, json, resource, sys, time
if sys.argv[1]:
    sys.path.insert(0, sys.argv[1])
import siteaudit.rules as rules
from siteaudit.store import open_db
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
db = open_db(sys.argv[2], create=False)
start = time.perf_counter()
results = rules.evaluate_run(db, int(sys.argv[3]), as_of=None, save=True)
wall = time.perf_counter() - start
digest = hashlib.sha256(json.dumps([r.to_dict() for r in results], sort_keys=True, default=str).encode()).hexdigest()
fails = sum(r.outcome == "fail" for r in results)
print(json.dumps({"module": rules.__file__, "rss_after_import_kib": base,
                  "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "wall_s": round(wall, 2),
                  "results": len(results), "failed": fails, "digest": digest[:16]}))
"""


def url_of(i: int) -> str:
    if i == 0:
        return SITE + "/"
    return f"{SITE}/{SECTIONS[i % len(SECTIONS)]}/p{i}/"


def page_name(i: int) -> tuple[str, list[str]]:
    if i == 0:
        return "Department of Examples", ["Welcome to the Department"]
    if i == 3:
        return "Contact Us | Department", ["Contact us"]
    if i == 4:
        return "Field Offices | Department", ["Field offices"]
    if i == 5:
        return "Customer Service | Department", ["Customer service"]
    if i % 25 == 0:
        return f"Town{i} Field Office | Department", [f"Town{i} Field Office", "Hours", "Directions"]
    return f"Topic {i} | Department", [f"Topic {i}", "Overview", "Details", "Related"]


def build(path: Path, pages: int, per_page: int, src: str = "", seed: int = 7) -> int:
    sys.path.insert(0, src or str(ROOT / "src"))
    from siteaudit.rules.facts import PAGE_TEXT_DDL
    from siteaudit.store import ensure_table, open_db, start_run

    db = open_db(path)
    ensure_table(db, PAGE_TEXT_DDL)
    run_id = start_run(db, [SITE + "/"], {"bench": "rules_memory"})
    db.conn.execute("UPDATE runs SET started_at = '2026-06-01T12:00:00+00:00', status = 'finished' WHERE id = ?",
                    [run_id])
    db.conn.commit()
    conn: sqlite3.Connection = db.conn
    rnd = random.Random(seed)
    every = max(1, pages // 400)
    broken_pages = {f"{SITE}/gone/{k}/" for k in range(every)}
    broken_pdfs = {f"{SITE}/files/missing-{k}.pdf" for k in range(every)}
    dead_ext = {f"https://ext.example.org/dead/{k}" for k in range(every)}
    words = ("the department provides residents with information about applications renewals inspections "
             "eligibility requirements deadlines fees schedules and appeals").split()
    checks: dict[tuple[str, str], tuple[str, int | None]] = {}
    page_rows, text_rows, link_rows, finding_rows, office_rows = [], [], [], [], []

    def flush() -> None:
        with conn:
            conn.executemany("INSERT INTO pages (run_id, url, final_url, status, content_type, title, depth) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)", page_rows)
            conn.executemany("INSERT INTO page_text (run_id, url, headings, text, last_updated) "
                             "VALUES (?, ?, ?, ?, ?)", text_rows)
            conn.executemany("INSERT INTO links (run_id, source, target, fragment, element, attribute, text, path, line)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", link_rows)
            conn.executemany("INSERT INTO findings (run_id, url, kind, value, text, label, office, office_key, source,"
                             " phone_type, path, line, flags, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             finding_rows)
            conn.executemany("INSERT INTO offices (run_id, url, office_key, name, path, line, kinds) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)", office_rows)
        for rows in (page_rows, text_rows, link_rows, finding_rows, office_rows):
            rows.clear()

    depth = [0] * pages
    for i in range(1, pages):
        depth[i] = depth[(i - 1) // BRANCH] + 1
    for i in range(pages):
        url = url_of(i)
        title, headings = page_name(i)
        page_rows.append((run_id, url, url, 200, "text/html; charset=utf-8", title, depth[i]))
        body = " ".join(rnd.choice(words) for _ in range(300))
        if i in (0, 5):
            body += "\nCustomer service standards: we respond within two business days.\nFile a complaint online."
        if i % 97 == 0:
            body += "\nThe office will be closed on January 1, 2026 for the holiday."
        updated = f"2025-{1 + i % 12:02d}-15" if i % 3 else None
        text_rows.append((run_id, url, json.dumps(headings), body, updated))
        out: list[tuple[str, str, str, str]] = []  # target, fragment, text, path
        out += [(url_of(0), "", "Home", "header > nav > a")]
        out += [(f"{SITE}/{s}/", "", s.title(), "header > nav > a") for s in SECTIONS]
        out += [(url_of(3), "", "Contact us", "footer > a"), (url_of(5), "", "Customer service", "footer > a"),
                (f"{SITE}/policy/010-033", "", "Customer service policy", "footer > a"),
                (f"{SITE}/accessibility", "", "Accessibility", "footer > a")]
        if i:
            out.append((url_of((i - 1) // BRANCH), "", "Up", "main > nav.breadcrumb > a"))
        out += [(url_of(c), "", f"Topic {c}", "main > ul > li > a")
                for c in range(BRANCH * i + 1, min(BRANCH * i + BRANCH + 1, pages))]
        if i == 0:
            out.append((url_of(4), "", "Find an office", "main > a"))
        while len(out) < per_page - 6:
            out.append((url_of(rnd.randrange(pages)), "", "Related", "main > aside > a"))
        out.append((url, "details", "Details", "main > a"))
        out.append((url_of(rnd.randrange(pages)), "section-2", "See section", "main > p > a"))
        out.append((f"{SITE}/files/form-{rnd.randrange(200)}.pdf", "", "Form (PDF)", "main > p > a"))
        out.append((f"{SITE}/img/photo-{rnd.randrange(300)}.png", "", "", "main > img"))
        out.append((f"https://ext.example.org/page/{rnd.randrange(500)}", "", "Partner", "main > p > a"))
        if i % 50 == 7:
            out.append((rnd.choice(sorted(broken_pages)), "", "Old page", "main > p > a"))
        elif i % 50 == 19:
            out.append((rnd.choice(sorted(broken_pdfs)), "", "Old form", "main > p > a"))
        elif i % 50 == 31:
            out.append((rnd.choice(sorted(dead_ext)), "", "Old partner", "main > p > a"))
        elif i % 50 == 43:
            out.append((url_of(rnd.randrange(pages)), "missing", "Gone anchor", "main > p > a"))
        else:
            out.append((url_of(rnd.randrange(pages)), "", "More", "main > p > a"))
        for line, (target, fragment, text, css) in enumerate(out[:per_page], start=20):
            link_rows.append((run_id, url, target, fragment, "a", "href", text, css, line))
            if (target, "") not in checks:
                bad = target in broken_pages or target in broken_pdfs or target in dead_ext
                checks[(target, "")] = ("broken", 404) if bad else ("ok", 200)
            if fragment and (target, fragment) not in checks:
                checks[(target, fragment)] = ("broken-fragment", 200) if fragment == "missing" else ("ok", 200)
        # the footer's contact block on every page (a generic name: a named one, the same on 20,000 pages,
        # makes consistency.office_inconsistencies compare every pair of pages); a field office every 25th page
        office_rows.append((run_id, url, 0, "Contact us", "footer > div", 900, '["phone","email"]'))
        finding_rows += [
            (run_id, url, "phone", "+15035550100", "(503) 555-0100", "Phone", "", 0, "text", "voice", "footer > p", 901,
             "[]", "{}"),
            (run_id, url, "email", "info@agency.example.gov", "info@agency.example.gov", "Email", "", 0, "link", None,
             "footer > a", 902, "[]", "{}"),
            (run_id, url, "address", "100 Main St, Salem, OR 97301", "100 Main St, Salem, OR 97301", "", "", 0, "text",
             None, "footer > p", 903, "[]", '{"kind": "physical"}'),
        ]
        if i % 25 == 0 and i or i in (3, 4):
            k = i % 40
            office_rows.append((run_id, url, 1, f"Town{i} Field Office", "main > section", 50, '["phone","hours"]'))
            finding_rows += [
                (run_id, url, "phone", f"+1503555{1000 + k:04d}", "phone", "Phone", "", 1, "text", "voice",
                 "main > section > p", 51, "[]", "{}"),
                (run_id, url, "hours", "Mo-Fr 08:00-17:00" if k % 3 else "Mo-Fr 07:30-18:30", "hours", "Hours", "", 1,
                 "text", None, "main > section > p", 52, "[]", "{}"),
                (run_id, url, "address", f"{i} Oak St, Town{i}, OR 97000", "addr", "", "", 1, "text", None,
                 "main > section > p", 53, "[]", '{"kind": "physical"}'),
                (run_id, url, "email", f"town{i}@agency.example.gov" if k % 7 else "bad@@x", "email", "Email", "", 1,
                 "link", None, "main > section > a", 54, '["invalid"]' if k % 7 == 0 else "[]", "{}"),
            ]
        if len(link_rows) > 50_000:
            flush()
    flush()
    with conn:
        conn.executemany("INSERT INTO link_checks (run_id, target, fragment, outcome, status, reason) "
                         "VALUES (?, ?, ?, ?, ?, ?)",
                         [(run_id, t, f, o, s, "" if o == "ok" else f"HTTP {s}" if o == "broken" else "no such anchor")
                          for (t, f), (o, s) in checks.items()])
    from siteaudit.store import update_run_counts

    print(f"built {path}: {update_run_counts(db, run_id)}", file=sys.stderr)
    db.conn.close()
    return run_id


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=20000)
    ap.add_argument("--links", type=int, default=35, help="link rows a page (default 35)")
    ap.add_argument("--db", type=Path, help="default bench/out/rules-PAGES.db")
    ap.add_argument("--src", default="", help="a checkout's src/ to import siteaudit from (default: the venv's)")
    ap.add_argument("--rebuild", action="store_true", help="build the database again")
    args = ap.parse_args(argv)
    path = args.db or ROOT / "bench" / "out" / f"rules-{args.pages}.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    if args.rebuild and path.exists():
        path.unlink()
    if not path.exists():
        t0 = time.perf_counter()
        build(path, args.pages, args.links, args.src)
        print(f"built in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    run_id = sqlite3.connect(path).execute("SELECT max(id) FROM runs").fetchone()[0]
    proc = subprocess.run([sys.executable, "-c", CHILD, args.src, str(path), str(run_id)], capture_output=True,
                          text=True, cwd=ROOT)
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        return proc.returncode
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"{path.name}: {res['results']} results ({res['failed']} failed), digest {res['digest']}, "
          f"{res['wall_s']} s; RSS after imports {res['rss_after_import_kib'] / 1024:.0f} MiB, "
          f"peak {res['peak_rss_kib'] / 1024:.0f} MiB  [{res['module']}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
