"""Keys that let two runs be compared, and the history of comparable runs.

A problem's *key* must be the same in two runs of the same site, so the report
can say which problems are new, fixed or still open.  URLs are compared as
they are, except when the two runs' start URLs differ only in ``host:port``
(the demo site is served on a new ephemeral port each time, a site moves from
staging to production): then a URL on a start host is keyed by its path and
query, and a URL on another host by host name (without port), path and query.
Anything that is not http(s) (``tel:``, ``mailto:``) is keyed as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..store import query

HISTORY_LIMIT = 12  # runs shown in the trend chart and searched for streaks


def _netloc(url: str) -> str:
    return urlsplit(url).netloc.lower()


def site_signature(start_urls: list[str]) -> tuple[str, ...]:
    """Start URLs without host:port: runs with the same signature audit the same site."""
    out = []
    for url in start_urls:
        parts = urlsplit(url)
        out.append(f"{parts.scheme}:{parts.path or '/'}{'?' + parts.query if parts.query else ''}")
    return tuple(sorted(out))


@dataclass(frozen=True)
class UrlKey:
    """Turns a URL of one run into its comparison key (see the module docstring)."""

    start_netlocs: frozenset[str]
    by_path: bool

    def __call__(self, url: str | None) -> str:
        if not url:
            return ""
        if not self.by_path:
            return url
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return url
        tail = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if parts.netloc.lower() in self.start_netlocs:
            return tail
        return f"//{(parts.hostname or '').lower()}{tail}"


def url_keys(start_a: list[str], start_b: list[str]) -> tuple[UrlKey, UrlKey]:
    """Key functions for runs A and B: exact when their start URLs are equal, else path-based
    when they differ only in host:port, else exact (different sites share nothing)."""
    same = sorted(start_a) == sorted(start_b)
    by_path = not same and site_signature(start_a) == site_signature(start_b)
    return (UrlKey(frozenset(_netloc(u) for u in start_a), by_path),
            UrlKey(frozenset(_netloc(u) for u in start_b), by_path))


def comparable_runs(db, run_id: int, start_urls: list[str], limit: int = HISTORY_LIMIT) -> list[dict]:
    """Earlier runs of the same site (same start URLs up to host:port), newest first, plus this one first."""
    sig = site_signature(start_urls)
    out = []
    for row in query(db, "SELECT id, start_urls, started_at, status, pages, links, targets, broken FROM runs "
                         "WHERE id <= ? ORDER BY id DESC", [run_id]):
        urls = json.loads(row["start_urls"])
        if site_signature(urls) != sig:
            continue
        row["start_urls"] = urls
        out.append(row)
        if len(out) >= limit:
            break
    return out


def streaks(current_keys: set[str], history: list[set[str]]) -> dict[str, int]:
    """How many runs in a row (this one included) each key has been present.

    ``history`` holds the key sets of earlier comparable runs, newest first.
    """
    out = {}
    for key in current_keys:
        n = 1
        for keys in history:
            if key not in keys:
                break
            n += 1
        out[key] = n
    return out
