"""What a stored run has done already, so ``--resume`` continues without refetching."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import store


@dataclass
class ResumeState:
    """``checked``: targets with a stored outcome; ``frontier``: (target, depth)
    linked from stored pages but not yet checked; ``pages_done``: stored pages."""

    checked: set[str] = field(default_factory=set)
    frontier: list[tuple[str, int]] = field(default_factory=list)
    pages_done: int = 0
    content_hashes: dict[str, str] = field(default_factory=dict)  # hash -> first URL with it
    page_urls: list[str] = field(default_factory=list)  # stored pages, in crawl order
    edge_sources: set[str] = field(default_factory=set)  # pages/sitemaps whose links are stored
    sitemap_only: set[str] = field(default_factory=set)  # frontier targets linked from sitemaps only


def load_resume_state(db, run_id: int) -> ResumeState:
    """Read a run's progress from the database (pages and checks are stored
    together per page, so a stored page always has its links)."""
    checked = {r["target"] for r in store.query(
        db, "SELECT target FROM link_checks WHERE run_id = ? AND fragment = ''", [run_id])}
    pages = store.query(db, "SELECT url, depth, content_hash FROM pages WHERE run_id = ? ORDER BY rowid", [run_id])
    depth = {r["url"]: r["depth"] or 0 for r in pages}
    hashes: dict[str, str] = {}
    for r in pages:
        hashes.setdefault(r["content_hash"], r["url"])
    frontier: dict[str, int] = {}
    sources: set[str] = set()
    from_pages: set[str] = set()
    for row in store.query(db, "SELECT DISTINCT source, target FROM links WHERE run_id = ?", [run_id]):
        target = row["target"]
        sources.add(row["source"])
        if target in checked:
            continue
        # Sitemap entries (source not a page) start at depth 0, like in the first pass.
        d = depth[row["source"]] + 1 if row["source"] in depth else 0
        if row["source"] in depth:
            from_pages.add(target)
        frontier[target] = min(d, frontier.get(target, d))
    return ResumeState(checked=checked, frontier=sorted(frontier.items(), key=lambda kv: (kv[1], kv[0])),
                       pages_done=len(depth), content_hashes=hashes, page_urls=[r["url"] for r in pages],
                       edge_sources=sources, sitemap_only=set(frontier) - from_pages)
