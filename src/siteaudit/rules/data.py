"""A run's stored data, shaped for rule evaluation without holding the run in memory.

Pages (one small record each) are read once, streamed from a cursor.  The
bulky tables are read on demand: a page's findings, office blocks and links
when a rule asks for them (:class:`PerUrl`, one indexed query a page), the
broken links of the whole run with one join of ``links`` and ``link_checks``
(only broken outcomes are kept), click distances by a breadth-first search run
level by level in SQL, kept as page numbers, and every finding with its office
block in one streamed query (:meth:`RunData.findings_with_blocks`).  Page text
(up to 200 KB a page) is read one page at a time, and only for rules that look
at text.  Checks that hold on almost every page ask first which pages could fail
them (:meth:`RunData.flagged_urls`, :meth:`RunData.texts_like`: one query each
for the run), so the other pages' rows are never read.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Callable, Iterator

from ..store import db_path_of, ensure_table, run_info, store_error
from .facts import PAGE_TEXT_DDL, detect_page_types

BROKEN = ("broken", "broken-fragment")
_PO_BOX = re.compile(r"\b(p\.?\s*o\.?\s*box|post office box|box \d+)\b", re.I)
_IN_BROKEN = "('broken', 'broken-fragment')"
# The distinct targets linked from a list of pages (a JSON array): the list drives the
# (run_id, source) index (given as a WHERE ... IN, the planner scans the run's links by target).
_LEVEL_TARGETS = ("SELECT DISTINCT l.target FROM json_each(?1) AS s CROSS JOIN links AS l "
                  "ON l.run_id = ?2 AND l.source = s.value")


def norm_url(url: str) -> str:
    """A URL for comparison: no fragment, no trailing slash on the path."""
    url = (url or "").split("#", 1)[0]
    return url[:-1] if url.endswith("/") else url


@dataclass(slots=True)
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


@dataclass(slots=True)
class OfficeData:
    url: str
    key: int
    name: str
    path: str = ""
    line: int | None = None


def rows(db, sql: str, params: list | tuple = ()) -> Iterator[dict]:
    """Stream a query's rows as dicts (one at a time, unlike :func:`siteaudit.store.query`)."""
    try:
        cur = db.execute(sql, list(params))
    except sqlite3.Error as exc:
        raise store_error(exc, db_path_of(db), "read") from exc
    cols = [d[0] for d in cur.description]
    for r in cur:
        yield dict(zip(cols, r))


def tuples(db, sql: str, params: list | tuple = ()) -> Iterator[tuple]:
    """Stream a query's rows as tuples; a SQLite failure, running or reading it, becomes a
    :class:`~siteaudit.errors.StoreError` naming the file."""
    try:
        yield from db.execute(sql, list(params))
    except sqlite3.Error as exc:
        raise store_error(exc, db_path_of(db), "read") from exc


class PerUrl:
    """A read-only ``{url: [row]}`` of one run that queries a page's rows when asked.

    ``sql`` selects by ``run_id = ? AND <column> = ?``.  The last few pages
    asked for are kept (a rule's checks ask for the same page in turn).
    """

    def __init__(self, db, run_id: int, sql: str, convert: Callable[[dict], object] | None = None, keep: int = 4):
        self.db, self.run_id, self.sql, self.convert, self.keep = db, run_id, sql, convert, keep
        self._cache: dict[str, list] = {}

    def get(self, url: str, default=None):
        found = self[url]
        return found if found else default

    def __getitem__(self, url: str) -> list:
        cached = self._cache.get(url)
        if cached is not None:
            return cached
        found = list(rows(self.db, self.sql, [self.run_id, url]))
        if self.convert is not None:
            found = [self.convert(r) for r in found]
        if len(self._cache) >= self.keep:
            del self._cache[next(iter(self._cache))]
        self._cache[url] = found
        return found

    def __contains__(self, url: str) -> bool:
        return bool(self[url])


def decode_flags(stored) -> list[str]:
    """A finding's ``flags`` column as a list of strings ([] when empty, unreadable or not a list)."""
    flags = [] if stored == "[]" else _json(stored, [])  # most findings: no flags
    return [str(x) for x in flags] if isinstance(flags, list) else []


def decode_data(stored) -> dict:
    """A finding's ``data`` column as a dict ({} when empty, unreadable or not a mapping)."""
    data = {} if stored == "{}" else _json(stored, {})
    return data if isinstance(data, dict) else {}


def _finding(f: dict) -> dict:
    f["flags"] = decode_flags(f.get("flags"))
    f["data"] = decode_data(f.get("data"))
    return f


def _office(o: dict) -> OfficeData:
    return OfficeData(o["url"], o["office_key"], o["name"] or "", o["path"] or "", o["line"])


class RunData:
    """Pages of one run, with its findings, offices, links and link checks read on demand."""

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
        self.derived: dict = {}  # whole-run values a check computes once (attributions, prefilters)
        self._load_pages()
        self.findings = PerUrl(db, run_id, "SELECT * FROM findings WHERE run_id = ? AND url = ? ORDER BY id",
                               _finding)
        self.offices = PerUrl(db, run_id, "SELECT url, office_key, name, path, line FROM offices "
                                          "WHERE run_id = ? AND url = ? ORDER BY office_key", _office)
        self.edges = PerUrl(db, run_id, "SELECT source, target, fragment, element, text, path, line FROM links "
                                        "WHERE run_id = ? AND source = ? ORDER BY id")
        self._distances: dict[str, int] | None = None
        self._broken: dict[str, list[tuple]] | None = None

    # -- pages ----------------------------------------------------------
    def _load_pages(self) -> None:
        cur = tuples(self.db, "SELECT p.url, p.final_url, p.status, p.content_type, p.title, p.depth, "
                              "t.headings, t.last_updated, t.text IS NOT NULL AS has_text "
                              "FROM pages p LEFT JOIN page_text t ON t.run_id = p.run_id AND t.url = p.url "
                              "WHERE p.run_id = ? ORDER BY p.depth, p.url", [self.run_id])
        for url, final_url, status, content_type, title, depth, headings, last_updated, has_text in cur:
            if not _html_ok(url, content_type, status):
                continue
            page = PageData(url=url, final_url=final_url or "", title=title or "", depth=depth, status=status,
                            content_type=content_type or "",
                            headings=[str(h) for h in _as_list(_json(headings, []))],
                            last_updated=last_updated, has_text=bool(has_text))
            page.types = detect_page_types(page.url, page.title, page.headings)
            self.pages[url] = page
            self._by_norm.setdefault(norm_url(url), url)
            if page.final_url:
                self._by_norm.setdefault(norm_url(page.final_url), url)
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
            found = self.db.execute("SELECT text FROM page_text WHERE run_id = ? AND url = ?",
                                    [self.run_id, url]).fetchone()
            self._text_cache = {url: found[0] if found else None}  # keep one page in memory
        return self._text_cache[url]

    def distances(self) -> dict[str, int]:
        """Clicks from the home page(s) to each page (breadth-first over stored links).

        Level by level: one query a level reads the distinct targets of that
        level's pages (through the ``(run_id, source)`` index), so Python sees
        each level's targets once, not every link; the search stops as soon as
        every page is reached (the last, largest level's links are not read).
        """
        if self._distances is None:
            urls = list(self.pages)
            number = {u: i for i, u in enumerate(urls)}
            landing: dict[str, int] = {}  # link target -> page number, -1 when no crawled page
            dist = [-1] * len(urls)
            frontier = [i for i, url in enumerate(urls) if self.pages[url].is_home]
            for i in frontier:
                dist[i] = 0
            unreached, depth = len(urls) - len(frontier), 0
            while frontier and unreached:
                depth += 1
                reached = []
                for (target,) in self.db.execute(_LEVEL_TARGETS, [json.dumps([urls[i] for i in frontier]),
                                                                  self.run_id]):
                    j = landing.get(target)
                    if j is None:
                        page = self.page_for(target)
                        j = landing[target] = number[page.url] if page is not None else -1
                    if j >= 0 and dist[j] < 0:
                        dist[j] = depth
                        reached.append(j)
                frontier = reached
                unreached -= len(reached)
            self._distances = {urls[i]: d for i, d in enumerate(dist) if d >= 0}
        return self._distances

    def findings_with_blocks(self) -> Iterator[tuple]:
        """Every finding of the run that has a value, with its office block, page by page and in
        the page's order: ``(url, kind, value, flags, path, phone_type, label, data, in_block,
        block_name, block_path)``.  One query for the run (not two a page); ``flags`` is None when
        stored empty, ``data`` only for addresses (the only kind whose data is read)."""
        return tuples(
            self.db,
            "SELECT f.url, f.kind, f.value, NULLIF(f.flags, '[]'), f.path, f.phone_type, f.label, "
            "CASE WHEN f.kind = 'address' THEN f.data END, o.office_key IS NOT NULL, o.name, o.path "
            "FROM findings AS f LEFT JOIN offices AS o "
            "ON o.run_id = f.run_id AND o.url = f.url AND o.office_key = f.office_key "
            "WHERE f.run_id = ? AND f.value IS NOT NULL AND f.value != '' ORDER BY f.url, f.id", [self.run_id])

    def flagged_urls(self) -> set[str]:
        """Pages with at least one finding whose ``flags`` column is not empty (a superset of
        the pages with a flagged finding): the others need not be read to find none."""
        found = self.derived.get("flagged_urls")
        if found is None:
            found = self.derived["flagged_urls"] = {url for (url,) in self.db.execute(
                "SELECT DISTINCT url FROM findings WHERE run_id = ? AND flags IS NOT NULL AND flags NOT IN ('', '[]')",
                [self.run_id])}
        return found

    def texts_like(self, *patterns: str) -> set[str]:
        """Pages whose stored text matches one of the SQL LIKE ``patterns`` (``%`` for any text;
        ASCII letters match either case, other characters only themselves), found in SQL
        without reading the texts into Python."""
        key = ("texts_like", patterns)
        found = self.derived.get(key)
        if found is None:
            where = " OR ".join("text LIKE ?" for _ in patterns)
            found = self.derived[key] = {url for (url,) in self.db.execute(
                f"SELECT url FROM page_text WHERE run_id = ? AND ({where})", [self.run_id, *patterns])}
        return found

    def _load_broken(self) -> dict[str, list[tuple]]:
        """source -> [(target, fragment, text, path, line, outcome, status, reason)] of its broken links.

        One join: every link whose target (check fragment '') or whose own
        ``#fragment`` has a broken check; when both are broken the target's
        check is the evidence.  CROSS JOIN keeps the few broken checks as the
        outer loop (the planner otherwise walks every link of the run, at
        random, and probes its checks).
        """
        out: dict[str, list[tuple]] = {}
        last_id = None
        cur = self.db.execute(
            "SELECT l.id, l.source, l.target, l.fragment, l.text, l.path, l.line, "
            "c.outcome, c.status, c.reason, c.error "
            "FROM link_checks c CROSS JOIN links l ON l.run_id = c.run_id AND l.target = c.target "
            "AND (c.fragment = '' OR c.fragment = l.fragment) "
            f"WHERE c.run_id = ? AND c.outcome IN {_IN_BROKEN} "
            "ORDER BY l.source, l.id, c.fragment != ''", [self.run_id])
        for link_id, source, target, fragment, text, path, line, outcome, status, reason, error in cur:
            if link_id == last_id:
                continue  # the fragment's check, after the target's own
            last_id = link_id
            out.setdefault(source, []).append((target, fragment, text, path, line, outcome, status,
                                               reason or error or ""))
        return out

    def broken_links(self, url: str) -> list[dict]:
        """Links on a page whose target (or #fragment) is broken, with the check's evidence."""
        if self._broken is None:
            self._broken = self._load_broken()
        return [{"target": target + (f"#{fragment}" if fragment else ""), "text": text or "", "outcome": outcome,
                 "status": status, "reason": reason, "path": path, "line": line}
                for target, fragment, text, path, line, outcome, status, reason in self._broken.get(url, ())]


_CHROME = re.compile(r"(^|>\s*)(footer|header|nav)\b")


@lru_cache(maxsize=4096)  # the chrome's paths repeat on every page
def is_chrome(path: str | None) -> bool:
    """Is a CSS path inside the page's header, nav or footer (repeated site chrome)?"""
    return bool(path and _CHROME.search(path))


def _html_ok(url: str, content_type: str | None, status: int | None) -> bool:
    ctype = (content_type or "").lower()
    if ctype and "html" not in ctype:
        return False
    if not ctype and re.search(r"\.(pdf|docx?|xlsx?|pptx?|zip|jpe?g|png|gif|csv|txt)$", url, re.I):
        return False
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
