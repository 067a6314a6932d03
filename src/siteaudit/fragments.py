"""Fragment checks: does ``page#id`` point at an element that exists?

Run after a crawl: every ``(target, fragment)`` linked in the run whose target
is a crawled HTML page gets a ``link_checks`` row with outcome ``ok`` or
``broken-fragment``.  Targets that were not parsed (documents, external pages)
keep the target's own outcome.
"""

from __future__ import annotations

import json

from . import store

# Fragments every browser honours without a matching element.
ALWAYS_OK = {"top"}

_COLUMNS = ("run_id", "target", "fragment", "outcome", "method", "reason", "final_url", "checked_at")


def fragment_ok(fragment: str, anchors: set[str]) -> bool:
    if fragment in anchors or fragment.lower() in ALWAYS_OK:
        return True
    # Text fragments (#:~:text=) and PDF open parameters are not element ids.
    return fragment.startswith(":~:") or "=" in fragment


def linked_fragments(db, run_id: int):
    """The distinct ``(target, fragment, first link id)`` linked in a run, by target, then by first use.

    Read through the ``(run_id, source)`` index: a page's links are stored together, so the
    table is read page by page.  The planner's choice, the ``(run_id, target)`` index, looks
    up every link row at random (0.5 s instead of 0.1 s at 10,000 pages).
    """
    return db.execute("SELECT target, fragment, min(id) AS first FROM links INDEXED BY links_run_source "
                      "WHERE run_id = ? AND fragment != '' GROUP BY target, fragment ORDER BY target, first",
                      [run_id])


def resolve_fragments(db, run_id: int) -> int:
    """Write the fragment outcomes of a run; returns how many were broken."""
    # Each page's anchors as stored (JSON), by its URL and then by its final URL; a page's are
    # decoded when a fragment points at it (the links come by target: one page at a time).
    stored: dict[str, str | None] = {}
    for url, final_url, names in db.execute("SELECT url, final_url, anchors FROM pages WHERE run_id = ?",
                                            [run_id]):
        stored[url] = names
        if final_url:
            stored.setdefault(final_url, names)
    decoded: dict[str, set[str]] = {}

    def anchors(key: str) -> set[str] | None:
        if key not in stored:
            return None
        names = decoded.get(key)
        if names is None:
            if len(decoded) > 4:
                decoded.clear()
            names = decoded[key] = set(json.loads(stored[key] or "[]"))
        return names

    # A target that redirected: look up the page it ended on.
    finals = dict(db.execute("SELECT target, final_url FROM link_checks WHERE run_id = ? AND fragment = '' "
                             "AND outcome IN ('ok', 'redirect')", [run_id]))
    stamp = store.now_iso()
    broken = 0

    def rows():
        nonlocal broken
        for target, fragment, _ in linked_fragments(db, run_id):
            if target not in finals:
                continue
            final = finals[target]
            names = anchors(target) or anchors(final or "")
            if names is None:
                continue
            if fragment_ok(fragment, names):
                yield (run_id, target, fragment, "ok", "anchor", "", final, stamp)
            else:
                broken += 1
                yield (run_id, target, fragment, "broken-fragment", "anchor",
                       f"no element with id or name {fragment!r} on the page", final, stamp)

    with store.transaction(db, "write to link_checks"):
        store.write_tuples(db, "link_checks", _COLUMNS, rows(), replace=True)  # type: ignore[arg-type]
    return broken
