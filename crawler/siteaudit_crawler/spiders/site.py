"""The site spider: walk one agency site, check every link, extract contacts.

It only selects and yields: fetching policy lives in settings and
middlewares, parsing and classification in the siteaudit library, storage in
the pipeline.  Redirects are followed here, hop by hop, so every chain is
recorded, loops are caught, and each hop passes the scope and private-address
checks.

Arguments (strings from ``scrapy crawl -a``, or Python values from the CLI):
``start_urls`` (comma-separated), ``sitemap_urls``, ``allow_hosts``,
``allow_paths``, ``exclude`` (regexes), ``max_pages``, ``max_depth``,
``allow_private`` (true/false; default: allowed when a start URL is private),
``max_pattern_pages`` (crawler-trap cap per URL pattern, 0 = none), ``auth``
(``user:password`` for HTTP basic auth on in-scope hosts; never stored).
"""

from __future__ import annotations

import hashlib
import re
import time
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse

from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from siteaudit import links as linklib
from siteaudit.crawlstate import ResumeState
from siteaudit.model import LinkCheck, LinkEdge, Outcome, Page
from siteaudit.store import now_iso
from siteaudit.urls import Scope, normalize_url, split_fragment

from ..decoding import binary_kind, xml_problem
from ..download import HTML_TYPES
from ..items import CheckItem, EdgesItem, PageItem
from ..pagepool import PagePool, default_workers
from ..transport import describe_error, error_kind, response_headers
from ..traps import DEFAULT_PATTERN_PAGES, TrapGuard

MAX_REDIRECTS = 10
MAX_CHECK_URL_LENGTH = 8192
# What the download handler reads of a body, by mode (see download.py): a page's body when it is
# HTML, a link check's only when it is short (a PDF behind a HEAD-405 fallback is not downloaded).
BODY_POLICY = {"page": "html", "check": "short"}
DOCUMENT_EXT = re.compile(
    r"\.(pdf|docx?|xlsx?|pptx?|odt|ods|rtf|csv|zip|gz|jpe?g|png|gif|svg|webp|ico|bmp|tiff?|mp[34]|mov|avi|"
    r"wav|css|js|json|xml|txt|ics|woff2?|ttf|eot)$", re.I)


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def _as_bool(value) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    return str(value).lower() in ("1", "true", "yes", "on")


class SiteSpider(scrapy.Spider):
    name = "site"
    run_id: int | None = None  # set by the store pipeline when it opens the run

    def __init__(self, start_urls=None, sitemap_urls=None, allow_hosts=None, allow_paths=None, exclude=None,
                 max_pages=None, max_depth=None, allow_private=None, resume_state=None, run_settings=None,
                 max_pattern_pages=DEFAULT_PATTERN_PAGES, auth=None, page_workers=None, **kwargs):
        super().__init__(**kwargs)
        self.page_workers = page_workers  # already spawned by the runner (pagework.spawn_workers), or None
        self.start_urls = [normalize_url(u) for u in _as_list(start_urls)]
        self.sitemap_urls = [normalize_url(u) for u in _as_list(sitemap_urls)]
        roots = self.start_urls or self.sitemap_urls
        private = _as_bool(allow_private)
        self.scope = Scope.from_start_urls(roots, _as_list(allow_hosts), _as_list(allow_paths),
                                           allow_private=bool(private))
        if private is False:
            self.scope.allow_private = False
        self.exclude = [re.compile(p) for p in _as_list(exclude)] if isinstance(exclude, str) else \
            [p if hasattr(p, "search") else re.compile(p) for p in (exclude or [])]
        self.max_pages = int(max_pages) if max_pages not in (None, "") else None
        self.max_depth = int(max_depth) if max_depth not in (None, "") else None
        self.run_settings = run_settings or {
            "start_urls": self.start_urls, "sitemap_urls": self.sitemap_urls, "max_pages": self.max_pages,
            "max_depth": self.max_depth, "allow_hosts": _as_list(allow_hosts), "exclude": _as_list(exclude)}
        self.resume: ResumeState = resume_state or ResumeState()
        self.seen: set[str] = set(self.resume.checked)
        self.pages_scheduled = self.resume.pages_done
        self.content_seen: dict[str, str] = dict(self.resume.content_hashes)
        self.private_resolved: dict[str, str] = {}  # name -> private address (filled by the resolver)
        cap = int(max_pattern_pages) if max_pattern_pages not in (None, "") else DEFAULT_PATTERN_PAGES
        self.traps = TrapGuard(cap or None)
        for url in self.resume.page_urls:
            self.traps.note(url)
        # Kept on the spider only (the auth middleware reads it): never in settings, logs or the database.
        self.basic_auth: tuple[str, str] | None = None
        if auth:
            user, _, password = str(auth).partition(":")
            self.basic_auth = (user, password)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        spider.extract_seconds = crawler.settings.getfloat("SITEAUDIT_EXTRACT_SECONDS", 30.0)
        workers = crawler.settings.get("SITEAUDIT_WORKERS")
        spider.pages = PagePool(default_workers() if workers in (None, "") else int(workers), spider.extract_seconds,
                                pool=spider.page_workers)
        crawler.signals.connect(spider.pages.close, signal=signals.spider_closed)
        # One bound method per callback: Scrapy caches its per-callback generator check by the
        # callable, and a fresh bound method per request would defeat the cache.
        spider.cb_response, spider.cb_error, spider.cb_sitemap = spider.on_response, spider.on_error, \
            spider.parse_sitemap
        return spider

    # -- start ---------------------------------------------------------------

    async def start(self):
        for item_or_request in self.start_requests_list():
            yield item_or_request

    def start_requests_list(self):
        for url in self.sitemap_urls:
            self.seen.add(url)
            yield scrapy.Request(url, callback=self.cb_sitemap, errback=self.cb_error, dont_filter=True,
                                 meta=self._meta(url, "sitemap", 0, "GET"))
        for url in self.start_urls:
            if url in self.seen:
                continue
            self.seen.add(url)
            self.pages_scheduled += 1
            self.traps.note(url)
            yield self._request(url, "page", 0, "GET")
        # Resume: targets linked from stored pages but not yet checked.
        for target, depth in self.resume.frontier:
            if target in self.seen:
                continue
            if self.sitemap_urls and target in self.resume.sitemap_only:
                continue  # the sitemaps are read again: they say whether it is a page or a child sitemap
            self.seen.add(target)  # else a page linking to it would schedule it a second time
            yield from self._schedule(target, depth)

    # -- requests ------------------------------------------------------------

    def _meta(self, target: str, mode: str, depth: int, method: str, chain=None) -> dict:
        meta = {"sa_target": target, "sa_mode": mode, "sa_depth": depth, "sa_chain": chain or [],
                "sa_started": time.monotonic(), "dont_redirect": True, "handle_httpstatus_all": True}
        if mode in BODY_POLICY:
            meta["sa_body"] = BODY_POLICY[mode]
        if not self.scope.in_scope(target):
            meta["dont_obey_robotstxt"] = True  # a single check of a link, not a crawl of that site
        return meta

    def _request(self, url: str, mode: str, depth: int, method: str, chain=None, target: str | None = None,
                 started: float | None = None):
        meta = self._meta(target or url, mode, depth, method, chain)
        if started is not None:
            meta["sa_started"] = started
        return scrapy.Request(url, method=method, callback=self.cb_response, errback=self.cb_error,
                              dont_filter=True, meta=meta, priority=-depth)

    def _schedule(self, target: str, depth: int):
        """Decide how to check one newly seen target; yields requests or items."""
        scheme = linklib.scheme_of(target)
        if scheme not in linklib.HTTP_SCHEMES:
            yield CheckItem(linklib.check_non_http(target))
            return
        problem = linklib.url_problem(target)
        if problem:
            yield CheckItem(LinkCheck(target, Outcome.BROKEN, reason=problem))
            return
        if len(target) > MAX_CHECK_URL_LENGTH:
            yield CheckItem(LinkCheck(target, Outcome.EXCLUDED,
                                      reason=f"URL longer than {MAX_CHECK_URL_LENGTH} characters (not fetched)"))
            return
        for pattern in self.exclude:
            if pattern.search(target):
                yield CheckItem(LinkCheck(target, Outcome.EXCLUDED, reason=f"matches --exclude {pattern.pattern!r}"))
                return
        if not self.scope.fetch_allowed(target):
            yield CheckItem(LinkCheck(target, Outcome.EXCLUDED,
                                      reason="private or loopback address (use --allow-private to check it)"))
            return
        internal = self.scope.in_scope(target)
        may_parse = (internal and not DOCUMENT_EXT.search(target.split("?", 1)[0])
                     and (self.max_depth is None or depth <= self.max_depth)
                     and (self.max_pages is None or self.pages_scheduled < self.max_pages))
        if may_parse:
            trap = self.traps.check(target)
            if trap:
                self.crawler.stats.inc_value("siteaudit/traps")
                yield CheckItem(LinkCheck(target, Outcome.EXCLUDED, reason=trap))
                return
            self.traps.note(target)
            self.pages_scheduled += 1
            yield self._request(target, "page", depth, "GET")
        else:
            yield self._request(target, "check", depth, "HEAD")

    # -- responses -----------------------------------------------------------

    async def on_response(self, response):
        """Classify a response; parse it when it is an in-scope HTML page (async: the
        parsing may run in a worker process while other responses are handled)."""
        meta = response.meta
        target, mode, depth = meta["sa_target"], meta["sa_mode"], meta["sa_depth"]
        chain = meta["sa_chain"] + [{"url": response.url, "status": response.status}]
        status = response.status

        location = response.headers.get(b"Location")
        if 300 <= status < 400 and location:
            for out in self._follow_redirect(response, chain, location.decode("latin-1")):
                yield out
            return
        if response.request.method == "HEAD" and status >= 400 and status != 429:
            # Many servers answer HEAD wrongly (405, 501, even 404): ask again with GET.
            yield self._request(response.url, mode, depth, "GET", chain=meta["sa_chain"], target=target,
                                started=meta["sa_started"])
            return
        outcome, reason = linklib.classify_http(status, chain=chain, headers=response_headers(response),
                                                internal=self.scope.in_scope(target))
        if meta.get("sa_too_large") and outcome in (Outcome.OK, Outcome.REDIRECT):
            # The link answers, but the page was not read: say so, do not call it broken or ok.
            outcome = Outcome.INDETERMINATE
            reason = (f"too large: body {meta['sa_too_large']}, over the {self.max_size}-byte size limit "
                      "(--max-size); not read")
        check = self._check(target, outcome, status=status, chain=chain, reason=reason, response=response)
        self.crawler.stats.inc_value("siteaudit/checked")
        if outcome.is_problem:
            self.crawler.stats.inc_value("siteaudit/broken")
        # The URL answered is usually the one asked for, already normalised (target).
        final = target if response.url == target else normalize_url(response.url)
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        parse = (mode == "page" and outcome in (Outcome.OK, Outcome.REDIRECT) and self.scope.in_scope(final)
                 and "download_stopped" not in response.flags
                 and (not ctype or any(t in ctype for t in HTML_TYPES)))
        if parse and (not_html := binary_kind(response.body)):
            parse = False
            check.check.reason = f"not parsed: {not_html} served as {ctype or 'HTML'}"
        checks = [check]
        if parse and final != target:
            if final in self.seen:
                parse = False  # the page it lands on is (being) crawled on its own
            else:
                self.seen.add(final)
                checks.append(self._check(final, Outcome.OK, status=status, chain=[chain[-1]], response=response))
        if not parse:
            for c in checks:
                yield c
            return
        # The page and its checks travel in one item, so they are stored in one batch.
        async for out in self.parse_page(response, final, depth, [c.check for c in checks]):
            yield out

    def _follow_redirect(self, response, chain, location):
        meta = response.meta
        target, mode, depth = meta["sa_target"], meta["sa_mode"], meta["sa_depth"]
        next_url = normalize_url(split_fragment(linklib.resolve(response.url, location))[0])
        problem = linklib.url_problem(next_url) if linklib.scheme_of(next_url) in linklib.HTTP_SCHEMES else None
        if problem:
            yield self._check(target, Outcome.BROKEN, status=response.status, chain=chain,
                              reason=f"redirects to an {problem}: {next_url[:200]}")
            return
        if linklib.scheme_of(next_url) not in linklib.HTTP_SCHEMES:
            yield self._check(target, Outcome.BROKEN, status=response.status, chain=chain,
                              reason=f"redirects to a non-HTTP URL: {next_url[:200]}")
            return
        if any(normalize_url(h["url"]) == next_url for h in chain):
            yield self._check(target, Outcome.BROKEN, status=response.status, chain=chain + [{"url": next_url}],
                              reason="redirect loop")
            self.crawler.stats.inc_value("siteaudit/broken")
            return
        if len(chain) > MAX_REDIRECTS:
            yield self._check(target, Outcome.BROKEN, status=response.status, chain=chain,
                              reason=f"more than {MAX_REDIRECTS} redirects")
            self.crawler.stats.inc_value("siteaudit/broken")
            return
        if not self.scope.fetch_allowed(next_url):
            yield self._check(target, Outcome.EXCLUDED, status=response.status, chain=chain + [{"url": next_url}],
                              reason="redirects to a private or loopback address (not followed)")
            return
        if mode == "page" and not self.scope.in_scope(next_url):
            mode = "check"  # left the site: check where it lands, do not crawl it
        method = response.request.method
        yield self._request(next_url, mode, depth, method, chain=chain, target=target, started=meta["sa_started"])

    def on_error(self, failure):
        request = failure.request
        meta = request.meta
        target, mode, depth = meta["sa_target"], meta["sa_mode"], meta["sa_depth"]
        exc = failure.value
        if isinstance(exc, IgnoreRequest) and "DOWNLOAD_MAXSIZE" in str(exc):
            # HttpCompressionMiddleware stopped decompressing: a compression bomb or a huge page.
            yield self._check(target, Outcome.INDETERMINATE, chain=meta["sa_chain"], method=request.method,
                              reason=f"too large: decompressed body over the {self.max_size}-byte size limit "
                                     "(--max-size); not read (possible compression bomb)")
            self.crawler.stats.inc_value("siteaudit/checked")
            return
        if isinstance(exc, IgnoreRequest):
            text = str(exc) or "ignored"
            reason = "disallowed by robots.txt" if text == "Forbidden by robots.txt" else text
            yield self._check(target, Outcome.EXCLUDED, chain=meta["sa_chain"], reason=reason)
            return
        kind = error_kind(exc)
        host = (urlsplit(request.url).hostname or "").lower()
        if kind == "dns" and host in self.private_resolved:
            yield self._check(target, Outcome.EXCLUDED, chain=meta["sa_chain"] + [{"url": request.url}],
                              method=request.method,
                              reason=f"{host} resolves to a private or loopback address "
                                     f"({self.private_resolved[host]}); not fetched (use --allow-private to check it)")
            return
        if request.method == "HEAD" and kind in ("lost", "other"):
            yield self._request(request.url, mode, depth, "GET", chain=meta["sa_chain"], target=target,
                                started=meta["sa_started"])
            return
        outcome, reason = linklib.classify_http(None, chain=meta["sa_chain"], error=describe_error(exc), error_kind=kind)
        yield self._check(target, outcome, chain=meta["sa_chain"] + [{"url": request.url, "error": kind}],
                          reason=reason, error=describe_error(exc), method=request.method)
        self.crawler.stats.inc_value("siteaudit/checked")
        if outcome.is_problem:
            self.crawler.stats.inc_value("siteaudit/broken")

    def _check(self, target, outcome, *, status=None, chain=(), reason="", response=None, error="", method=""):
        started = None
        if response is not None:
            started = response.meta.get("sa_started")
            method = response.request.method
        return CheckItem(LinkCheck(
            target=target, outcome=outcome, status=status, final_url=response.url if response is not None else "",
            chain=list(chain), error=error, reason=reason, method=method,
            elapsed=round(time.monotonic() - started, 4) if started else None))

    # -- pages ---------------------------------------------------------------

    async def parse_page(self, response, url: str, depth: int, checks):
        body = response.body
        digest = hashlib.sha256(body).hexdigest()[:32]
        original = self.content_seen.setdefault(digest, url)
        duplicate = original != url  # "/" and "/index.html" serve the same bytes: extract once
        ctype = response.headers.get(b"Content-Type") or b""
        # The body goes to the page worker as bytes: decoding it (and detecting its encoding) is work too.
        work = await self.pages.analyse(body, url, self.run_id, header_only=duplicate,
                                        text_response=isinstance(response, TextResponse), content_type=ctype)
        if work.note:
            self.logger.info("%s: %s", url, work.note)
        page = Page(url=url, final_url=response.url, status=response.status, content_type=ctype.decode("latin-1"),
                    title=work.title, content_hash=digest, depth=depth, fetched_at=now_iso(),
                    size=len(body), anchors=work.anchors, error=work.error or work.note or "",
                    duplicate_of=original if duplicate else "")
        if work.error:
            self.logger.warning("%s: %s", url, work.error)
            self.crawler.stats.inc_value("siteaudit/extract_errors")
        yield PageItem(page=page, rows=work.rows, checks=checks)
        self.crawler.stats.inc_value("siteaudit/pages")
        seen = self.seen
        for target in work.targets:
            if target not in seen:
                seen.add(target)
                for out in self._schedule(target, depth + 1):
                    yield out

    def parse_sitemap(self, response):
        meta = response.meta
        chain = meta["sa_chain"] + [{"url": response.url, "status": response.status}]
        if 300 <= response.status < 400 and response.headers.get(b"Location"):
            yield from self._follow_redirect(response, chain, response.headers[b"Location"].decode("latin-1"))
            return
        outcome, reason = linklib.classify_http(response.status, chain=chain, headers=response_headers(response),
                                                internal=True)
        check = self._check(meta["sa_target"], outcome, status=response.status, chain=chain, reason=reason,
                            response=response)
        if outcome not in (Outcome.OK, Outcome.REDIRECT):
            yield check
            return
        # The check is yielded once its reason is final: the pipeline copies an item when it gets it.
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.max_size)
            except Exception as exc:  # a corrupt or oversized gzip is one bad sitemap, not a crash
                check.check.reason = f"sitemap not read: cannot decompress ({type(exc).__name__})"
                yield check
                return
        try:
            sitemap = Sitemap(body)  # lxml, entities not resolved: no XML bombs
        except Exception as exc:
            check.check.reason = f"not a valid sitemap: {str(exc)[:200]}"
            yield check
            return
        if problem := xml_problem(body):  # e.g. an entity bomb that lxml stopped: say so on the sitemap's row
            check.check.reason = problem
        yield check
        edges = []
        for entry in sitemap:
            loc = entry.get("loc", "").strip()
            if not loc:
                continue
            target = normalize_url(linklib.resolve(response.url, loc))
            edges.append(LinkEdge(source=response.url, target=target, element="sitemap", attribute="loc", text=""))
            if target in self.seen:
                continue
            if sitemap.type == "sitemapindex":
                self.seen.add(target)
                if problem := linklib.url_problem(target):
                    yield CheckItem(LinkCheck(target, Outcome.BROKEN, reason=problem))
                elif self.scope.fetch_allowed(target):
                    yield scrapy.Request(target, callback=self.cb_sitemap, errback=self.cb_error,
                                         dont_filter=True, meta=self._meta(target, "sitemap", 0, "GET"))
            elif self.scope.in_scope(target):
                self.seen.add(target)
                yield from self._schedule(target, 0)
        if edges and response.url not in self.resume.edge_sources:  # a resumed run has them already
            yield EdgesItem(edges=edges)
