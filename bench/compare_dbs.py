"""Do two siteaudit databases (crawls of the same served site) hold the same results?

    .venv/bin/python bench/compare_dbs.py A.db B.db

Compares every stored row of pages, links, link_checks, findings, offices,
page_text and rule_results, ignoring row ids, timestamps and timings.  Exit 1 on a difference.
Used to check that a speed change of the crawler changes nothing else (crawl the same served site
with the old and the new tree, then compare).
"""

from __future__ import annotations

import sqlite3
import sys

TABLES = {"pages": {"fetched_at"}, "links": {"id"}, "link_checks": {"checked_at", "elapsed"},
          "findings": {"id"}, "offices": set(), "page_text": set(), "rule_results": {"id", "evaluated_at"}}


def main(argv: list[str]) -> int:
    a, b = (sqlite3.connect(p) for p in argv[:2])
    same = True
    for table, ignore in TABLES.items():
        cols = [r[1] for r in a.execute(f"PRAGMA table_info({table})") if r[1] not in ignore]
        query = f"SELECT {', '.join(cols)} FROM {table}"
        rows_a, rows_b = sorted(map(repr, a.execute(query))), sorted(map(repr, b.execute(query)))
        print(f"{table:<12} {len(rows_a):>7} {len(rows_b):>7} {'same' if rows_a == rows_b else 'DIFFERENT'}")
        same &= rows_a == rows_b
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
