"""A run's stored data, read once and shaped for rule evaluation.

Everything is read through :func:`siteaudit.store.query`.  Page text (up to
200 KB a page) is read lazily, one page at a time, and only for rules that
look at text.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date, datetime

from ..store import ensure_table, query, run_info
from .facts import PAGE_TEXT_DDL, detect_page_types

BROKEN = ("broken", "broken-fragment")
_PO_BOX = re.compile(r"\b(p\.?\s*o\.?\s*box|post office box|box \d+)\b", re.I)


def norm_url(url: str) -> str:
    """A URL for comparison: no fragment, no trailing slash on the path."""
    url = (url or "").split("#", 1)[0]
    return url[:-1] if url.endswith("/") else url


@dataclass
class PageData:
    url: str
    final_url: str = ""
    title: str = ""
    depth: int | None = None
    status: int | None = None
    content_type: str = ""
    headings: list[str] = field(default_factory=list)
    last_updated: str | None = None
    has_text: bool = False
    types: set[str] = field(default_factory=set)
    is_home: bool = False


@dataclass
class OfficeData:
    url: str
    key: int
    name: str
    path: str = ""
    line: int | None = None


class RunData:
    """Pages, findings, offices, links and link checks of one run."""

    def __init__(self, db, run_id: int, as_of: date | None = None):
        self.db = db
        self.run_id = run_id
        info = run_info(db, run_id)
        self.start_urls = [norm_url(u) for u in info.get("start_urls") or []]
        self.as_of = as_of or _date_of(info.get("started_at")) or date.today()
        ensure_table(db, PAGE_TEXT_DDL)
        self.pages: dict[str, PageData] = {}
        self._by_norm: dict[str, str] = {}
        self._text_cache: dict[str, str | None] = {}
        self._load_pages()
        self.findings: dict[str, list[dict]] = defaultdict(list)
        for f in query(db, "SELECT * FROM findings WHERE run_id = ? ORDER BY url, id", [run_id]):
            flags, data = _json(f.get("flags"), []), _json(f.get("data"), {})
            f["flags"] = [str(x) for x in flags] if isinstance(flags, list) else []
            f["data"] = data if isinstance(data, dict) else {}
            self.findings[f["url"]].append(f)
        self.offices: dict[str, list[OfficeData]] = defaultdict(list)
        for o in query(db, "SELECT url, office_key, name, path, line FROM offices WHERE run_id = ? "
                           "ORDER BY url, office_key", [run_id]):
            self.offices[o["url"]].append(OfficeData(o["url"], o["office_key"], o["name"] or "", o["path"] or "",
                                                     o["line"]))
        self.edges: dict[str, list[dict]] = defaultdict(list)
        for e in query(db, "SELECT source, target, fragment, element, text, path, line FROM links "
                           "WHERE run_id = ? ORDER BY id", [run_id]):
            self.edges[e["source"]].append(e)
        self.checks = {(c["target"], c["fragment"]): c for c in query(
            db, "SELECT target, fragment, outcome, status, error, reason FROM link_checks WHERE run_id = ?",
            [run_id])}
        self._distances: dict[str, int] | None = None

    # -- pages ----------------------------------------------------------
    def _load_pages(self) -> None:
        facts = {r["url"]: r for r in query(
            self.db, "SELECT url, headings, last_updated, text IS NOT NULL AS has_text FROM page_text "
                     "WHERE run_id = ?", [self.run_id])}
        for r in query(self.db, "SELECT url, final_url, status, content_type, title, depth FROM pages "
                                "WHERE run_id = ? ORDER BY depth, url", [self.run_id]):
            if not _is_html_ok(r):
                continue
            f = facts.get(r["url"], {})
            page = PageData(url=r["url"], final_url=r["final_url"] or "", title=r["title"] or "",
                            depth=r["depth"], status=r["status"], content_type=r["content_type"] or "",
                            headings=[str(h) for h in _as_list(_json(f.get("headings"), []))],
                            last_updated=f.get("last_updated"),
                            has_text=bool(f.get("has_text")))
            page.types = detect_page_types(page.url, page.title, page.headings)
            self.pages[page.url] = page
            self._by_norm.setdefault(norm_url(page.url), page.url)
            if page.final_url:
                self._by_norm.setdefault(norm_url(page.final_url), page.url)
        homes = [u for u in self.pages if norm_url(u) in self.start_urls
                 or norm_url(self.pages[u].final_url) in self.start_urls]
        if not homes:
            homes = [u for u, p in self.pages.items() if p.depth == 0]
        for u in homes:
            self.pages[u].is_home = True

    def page_for(self, url: str) -> PageData | None:
        """The crawled page a link target lands on (by URL or final URL)."""
        key = self._by_norm.get(norm_url(url))
        return self.pages.get(key) if key else None

    def text(self, url: str) -> str | None:
        """The page's visible text, or None when the crawl did not store it."""
        if url not in self._text_cache:
            rows = query(self.db, "SELECT text FROM page_text WHERE run_id = ? AND url = ?", [self.run_id, url])
            self._text_cache = {url: rows[0]["text"] if rows else None}  # keep one page in memory
        return self._text_cache[url]

    def distances(self) -> dict[str, int]:
        """Clicks from the home page(s) to each page (breadth-first over stored links)."""
        if self._distances is None:
            dist: dict[str, int] = {}
            queue = deque()
            for url, page in self.pages.items():
                if page.is_home:
                    dist[url] = 0
                    queue.append(url)
            while queue:
                url = queue.popleft()
                for edge in self.edges.get(url, ()):
                    target = self.page_for(edge["target"])
                    if target is not None and target.url not in dist:
                        dist[target.url] = dist[url] + 1
                        queue.append(target.url)
            self._distances = dist
        return self._distances

    def broken_links(self, url: str) -> list[dict]:
        """Links on a page whose target (or #fragment) is broken, with the check's evidence."""
        out = []
        for e in self.edges.get(url, ()):
            base = self.checks.get((e["target"], ""))
            frag = self.checks.get((e["target"], e["fragment"])) if e["fragment"] else None
            check = base if base is not None and base["outcome"] in BROKEN else frag
            if check is not None and check["outcome"] in BROKEN:
                out.append({"target": e["target"] + (f"#{e['fragment']}" if e["fragment"] else ""),
                            "text": e["text"] or "", "outcome": check["outcome"], "status": check["status"],
                            "reason": check["reason"] or check["error"] or "", "path": e["path"], "line": e["line"]})
        return out


_CHROME = re.compile(r"(^|>\s*)(footer|header|nav)\b")


def is_chrome(path: str | None) -> bool:
    """Is a CSS path inside the page's header, nav or footer (repeated site chrome)?"""
    return bool(path and _CHROME.search(path))


def _is_html_ok(row: dict) -> bool:
    ctype = (row.get("content_type") or "").lower()
    if ctype and "html" not in ctype:
        return False
    if not ctype and re.search(r"\.(pdf|docx?|xlsx?|pptx?|zip|jpe?g|png|gif|csv|txt)$", row["url"], re.I):
        return False
    status = row.get("status")
    return status is None or status < 400


def _as_list(value) -> list:
    return value if isinstance(value, list) else []


def _json(value, default):
    if value in (None, ""):
        return default
    if isinstance(value, (list, dict)):
        return value
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return default


def _date_of(stamp: str | None) -> date | None:
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp).date()
    except ValueError:
        return None


def field_matches(name: str, f: dict) -> bool:
    """Does finding ``f`` show field ``name`` (see FIELDS in schema.py)?  Invalid ones never do."""
    if "invalid" in (f.get("flags") or []):
        return False
    kind = f.get("kind")
    ptype = (f.get("phone_type") or "").lower()
    label = (f.get("label") or "").lower()
    if name == "phone":
        return kind == "phone" and ptype != "fax" and "fax" not in label
    if name == "tty":
        return kind in ("phone", "short_code") and (
            ptype in ("tty", "tdd") or bool(re.search(r"\b(tty|tdd|relay)\b", label)))
    if name == "fax":
        return kind == "phone" and (ptype == "fax" or "fax" in label)
    if name in ("walk_in_address", "mailing_address"):
        if kind != "address":
            return False
        akind = ((f.get("data") or {}).get("kind") or "unknown").lower()
        mailing_like = "mail" in label or bool(_PO_BOX.search(f.get("value") or f.get("text") or ""))
        if name == "mailing_address":
            return akind == "mailing" or mailing_like
        return akind == "physical" or (akind == "unknown" and not mailing_like)
    return kind == name
