"""Crawler-trap limits: URLs a site can generate without end.

An agency site's calendar links to next month forever, a CMS appends a
session id to every link, a relative link (``<a href="more/">``) on a page
that answers every path makes ``/more/more/more/...``.  Each limit here turns
such a URL into an ``excluded`` outcome with a reason starting with
``crawler trap:`` instead of an endless crawl.  Pure logic, no Scrapy.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MAX_URL_LENGTH = 2048
MAX_SEGMENT_REPEATS = 3  # a path segment may appear this often, not more
MAX_PATH_SEGMENTS = 30
DEFAULT_PATTERN_PAGES = 1000

# Query parameters (lower-case) and path parameters that carry a session id.
SESSION_PARAMS = {"jsessionid", "phpsessid", "aspsessionid", "sid", "sessionid", "session_id", "sessid",
                  "cfid", "cftoken", "zenid", "oscsid"}
_PATH_SESSION = re.compile(r";(jsessionid|phpsessid|sessionid|sid)=[^/?#]*", re.I)
_DIGITS = re.compile(r"\d+")


def _split(url: str):
    try:
        return urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket; links.url_problem reports those
        return urlsplit("")


def session_free(url: str) -> str | None:
    """``url`` without session-id parameters, or None when it has none."""
    parts = _split(url)
    path = _PATH_SESSION.sub("", parts.path)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k.lower() not in SESSION_PARAMS and not k.lower().startswith("aspsessionid")]
    if path == parts.path and len(kept) == len(pairs):
        return None
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(kept), ""))


def url_pattern(url: str) -> str:
    """The shape of a URL: digits folded, query values dropped, keys sorted.

    ``/calendar?month=2026-07`` and ``/calendar?month=2031-01`` share the
    pattern ``/calendar?month``; ``/news/2024/05/item-12`` is ``/news/0/0/item-0``.
    """
    parts = _split(url)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{parts.netloc}{_DIGITS.sub('0', parts.path)}" + (f"?{'&'.join(keys)}" if keys else "")


class TrapGuard:
    """Decides, for each page the crawler would parse, whether it looks like a trap.

    ``pattern_pages`` caps how many pages may share one :func:`url_pattern`
    (None = no cap).  :meth:`note` records a page that is crawled (also for
    pages already stored when a run is resumed).
    """

    def __init__(self, pattern_pages: int | None = DEFAULT_PATTERN_PAGES):
        self.pattern_pages = pattern_pages
        self.patterns: Counter[str] = Counter()
        self.session_pages: dict[str, str] = {}

    def note(self, url: str) -> None:
        self.patterns[url_pattern(url)] += 1
        key = session_free(url)
        if key is not None:
            self.session_pages.setdefault(key, url)

    def check(self, url: str) -> str | None:
        """A reason (``crawler trap: ...``) when ``url`` should not be crawled, else None.

        Does not record the URL; call :meth:`note` when it is scheduled.
        """
        if len(url) > MAX_URL_LENGTH:
            return f"crawler trap: URL longer than {MAX_URL_LENGTH} characters"
        segments = [s for s in _split(url).path.split("/") if s]
        if len(segments) > MAX_PATH_SEGMENTS:
            return f"crawler trap: more than {MAX_PATH_SEGMENTS} path segments"
        if segments:
            segment, n = Counter(segments).most_common(1)[0]
            if n > MAX_SEGMENT_REPEATS:
                return f"crawler trap: path segment {segment[:40]!r} repeats {n} times"
        key = session_free(url)
        if key is not None and key in self.session_pages and self.session_pages[key] != url:
            return f"crawler trap: session id in URL (same page as {self.session_pages[key][:200]})"
        if self.pattern_pages is not None:
            pattern = url_pattern(url)
            if self.patterns[pattern] >= self.pattern_pages:
                return (f"crawler trap: more than {self.pattern_pages} pages match {pattern[:200]!r} "
                        "(raise --max-pattern-pages to crawl more)")
        return None
