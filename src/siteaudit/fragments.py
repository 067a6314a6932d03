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


def fragment_ok(fragment: str, anchors: set[str]) -> bool:
    if fragment in anchors or fragment.lower() in ALWAYS_OK:
        return True
    # Text fragments (#:~:text=) and PDF open parameters are not element ids.
    return fragment.startswith(":~:") or "=" in fragment


def resolve_fragments(db, run_id: int) -> int:
    """Write the fragment outcomes of a run; returns how many were broken."""
    anchors: dict[str, set[str]] = {}
    for row in store.query(db, "SELECT url, final_url, anchors FROM pages WHERE run_id = ?", [run_id]):
        names = set(json.loads(row["anchors"] or "[]"))
        anchors[row["url"]] = names
        if row["final_url"]:
            anchors.setdefault(row["final_url"], names)
    # A target that redirected: look up the page it ended on.
    finals = {r["target"]: r["final_url"] for r in store.query(
        db, "SELECT target, final_url FROM link_checks WHERE run_id = ? AND fragment = '' "
            "AND outcome IN ('ok', 'redirect')", [run_id])}
    rows, broken = [], 0
    for pair in store.query(db, "SELECT DISTINCT target, fragment FROM links WHERE run_id = ? AND fragment != ''",
                            [run_id]):
        target, fragment = pair["target"], pair["fragment"]
        if target not in finals:
            continue
        names = anchors.get(target) or anchors.get(finals[target] or "")
        if names is None:
            continue
        ok = fragment_ok(fragment, names)
        broken += not ok
        rows.append({"run_id": run_id, "target": target, "fragment": fragment,
                     "outcome": "ok" if ok else "broken-fragment", "method": "anchor",
                     "reason": "" if ok else f"no element with id or name {fragment!r} on the page",
                     "final_url": finals[target], "checked_at": store.now_iso()})
    store.insert_rows(db, "link_checks", rows, replace=True)
    return broken
