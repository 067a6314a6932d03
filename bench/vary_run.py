"""A copy of a crawl with the cases a generated site lacks, for ``rules_bench.py compare``.

    .venv/bin/python bench/vary_run.py SRC.db OUT.db [--seed 5]

The generated bench site has no closure notices, no flagged findings, no error or
non-HTML pages among its pages and every page reachable.  This rewrites a copy
(run 1) so that rules and fragment checks meet those cases too: closure notices
(past, current, undated, in capitals, with the long s, several on a line, a footer
notice on many pages), flagged findings (invalid, tel-mismatch, ``[ ]``, ``null``,
bad JSON), empty values, office blocks with generic names and in the chrome, pages
without stored text, 404 and PDF pages, pages no link reaches, redirected pages,
removed anchors.  Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3

NOTICES = [
    "Office closed on May 1, 2026 for training.",
    "Holiday closure: all offices will be closed 12/24/2026 and 12/25/2026.",
    "OFFICE CLOSURE NOVEMBER 11, 2025 (Veterans Day)",
    "The office will close at noon on 2027-01-02.",
    "Closing early on 3 March 2026; closed 4 March 2026",
    "cloſed on 2026-07-04",
    "Closures are posted on the alerts page.",
    "We are closed weekends.",
    "Enclosed forms must be signed.",
]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("src")
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=5)
    args = p.parse_args()
    rnd = random.Random(args.seed)
    shutil.copyfile(args.src, args.out)
    db = sqlite3.connect(args.out)
    urls = [u for (u,) in db.execute("SELECT url FROM pages WHERE run_id = 1 ORDER BY url")]
    footer = rnd.choice(NOTICES[:5])
    for url in urls:
        r = rnd.random()
        if r < 0.02:
            db.execute("UPDATE page_text SET text = NULL WHERE run_id = 1 AND url = ?", [url])
        elif r < 0.03:
            db.execute("DELETE FROM page_text WHERE run_id = 1 AND url = ?", [url])
        elif r < 0.45:
            extra = [rnd.choice(NOTICES) for _ in range(rnd.randrange(1, 4))]
            if r < 0.25:
                extra.append(footer)
            sep = rnd.choice(["\n", " ", "\n\n"])
            db.execute("UPDATE page_text SET text = text || ? WHERE run_id = 1 AND url = ?",
                       ["\n" + sep.join(extra), url])
        r = rnd.random()
        if r < 0.01:
            db.execute("UPDATE pages SET status = 404 WHERE run_id = 1 AND url = ?", [url])
        elif r < 0.02:
            db.execute("UPDATE pages SET content_type = 'application/pdf' WHERE run_id = 1 AND url = ?", [url])
        elif r < 0.04:
            db.execute("DELETE FROM links WHERE run_id = 1 AND target = ?", [url])  # nothing links here now
        elif r < 0.06:
            db.execute("UPDATE pages SET anchors = '[]' WHERE run_id = 1 AND url = ?", [url])
        elif r < 0.07:
            db.execute("UPDATE pages SET final_url = url || 'moved/' WHERE run_id = 1 AND url = ?", [url])
    ids = [i for (i,) in db.execute("SELECT id FROM findings WHERE run_id = 1")]
    for fid in rnd.sample(ids, len(ids) // 12):
        flags = rnd.choice(['["invalid"]', '["tel-mismatch"]', '["invalid", "tel-mismatch"]', '[ ]', 'null',
                            '[1', '["mailto-mismatch"]', '"invalid"'])
        db.execute("UPDATE findings SET flags = ? WHERE id = ?", [flags, fid])
    for fid in rnd.sample(ids, len(ids) // 50):
        db.execute("UPDATE findings SET value = ? WHERE id = ?", [rnd.choice(["", None]), fid])
    for fid in rnd.sample(ids, len(ids) // 30):
        db.execute("UPDATE findings SET office_key = NULL, path = ? WHERE id = ?",
                   [rnd.choice(["main > p", "footer > p", "div.header > p", "body > nav > ul"]), fid])
    rows = db.execute("SELECT url, office_key FROM offices WHERE run_id = 1").fetchall()
    for url, key in rnd.sample(rows, len(rows) // 10):
        db.execute("UPDATE offices SET name = ?, path = ? WHERE run_id = 1 AND url = ? AND office_key = ?",
                   [rnd.choice(["Call us", "Appointments", "Salem Field Office", "Portland office", ""]),
                    rnd.choice(["main > section", "footer > div", None]), url, key])
    db.commit()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
