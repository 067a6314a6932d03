"""Downloader middlewares: retries with backoff and Retry-After, the private-address
guard, robots.txt as RFC 9309 says, and HTTP basic auth for in-scope hosts only."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.internet.error import ConnectionRefusedError as _Refused
from twisted.internet.error import DNSLookupError
from w3lib.http import basic_auth_header

from siteaudit.urls import host_key

try:  # Scrapy >= 2.13 wraps transport errors in its own exceptions
    from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError
except ImportError:  # pragma: no cover - older Scrapy
    CannotResolveHostError = DownloadConnectionRefusedError = None

_HOST_DOWN = tuple(t for t in (CannotResolveHostError, DownloadConnectionRefusedError, _Refused, DNSLookupError)
                   if isinstance(t, type))

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Parse a Retry-After header (seconds or an HTTP date); None if absent or bad."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isascii() and text.isdigit():  # str.isdigit() also accepts "²"
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, plus exponential backoff and Retry-After on 429/503.

    The wait happens before the retry is handed back, so the host gets the
    pause it asked for (capped by ``SITEAUDIT_RETRY_AFTER_MAX``).  After the
    last retry the response goes to the spider, which records the outcome
    (a 429 still limited is ``indeterminate``, a persisting 5xx ``broken``).
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff = settings.getfloat("SITEAUDIT_RETRY_BACKOFF", 0.25)
        self.retry_after_max = settings.getfloat("SITEAUDIT_RETRY_AFTER_MAX", 120)
        # host:port -> why, once one request to it has failed every retry without a connection
        # (DNS failure, refused).  Other links to that host then fail at once with the same
        # error instead of each waiting through the backoff: a site linking 300 pages of a
        # dead server costs 300 quick failures, not 900 attempts and their waits.
        self.down: dict[str, str] = {}

    async def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        delay = self._delay(request)
        if response.status in (429, 503):
            asked = retry_after_seconds(response.headers.get(b"Retry-After"))
            if asked is not None:
                delay = min(max(delay, asked), self.retry_after_max)
        if delay > 0:
            await asyncio.sleep(delay)
        return retry

    async def process_exception(self, request, exception, spider=None):
        if request.meta.get("dont_retry", False) or not isinstance(exception, self.exceptions_to_retry):
            return None
        host = urlparse_cached(request).netloc.lower()
        if isinstance(exception, _HOST_DOWN) and host in self.down:
            return None  # the host was already found down in this crawl: no retries
        retry = self._retry(request, exception)
        if retry is None:
            if isinstance(exception, _HOST_DOWN):
                self.down[host] = type(exception).__name__
            return None
        delay = self._delay(request)
        if delay > 0:
            await asyncio.sleep(delay)
        return retry

    def _delay(self, request) -> float:
        return self.backoff * (2 ** request.meta.get("retry_times", 0))


class PrivateAddressGuard:
    """Refuse requests to private/loopback/link-local hosts the user did not allow.

    The spider decides with its scope before it schedules anything; this
    middleware is the second line, so no code path (a redirect, a sitemap
    entry, a future feature) can reach an internal network by accident.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        spider = spider or self.crawler.spider
        scope = getattr(spider, "scope", None)
        if scope is not None and not scope.fetch_allowed(request.url):
            raise IgnoreRequest(f"private address not allowed: {host_key(request.url)}")
        return None


class _DisallowAll:
    """The robots parser for a host whose robots.txt could not be read."""

    def __init__(self, why: str):
        self.why = why

    def allowed(self, url, user_agent) -> bool:
        return False


_UNREAD = object()


class RobotsTxtConventionMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt handling, with RFC 9309's rules for failures.

    A 4xx robots.txt (none there) allows everything; a 5xx answer or an
    unreachable robots.txt (timeout, reset) means "assume complete disallow"
    for that host, reported on every URL it blocks.  A host that does not
    resolve or refuses connections is left to fail on each URL with that error.  Scrapy itself
    would parse a 5xx error page as rules and allow everything.
    """

    def process_request(self, request, spider=None):
        """Scrapy's check, answered at once when the host's robots.txt has been read
        (nearly every request): no coroutine per request.  The first requests to a host
        take Scrapy's way, which reads its robots.txt."""
        if request.meta.get("dont_obey_robotstxt"):
            return None
        parser = self._parsers.get(urlparse_cached(request).netloc, _UNREAD)
        if parser is _UNREAD or isinstance(parser, Deferred):  # not read yet, or being read
            return super().process_request(request)  # a coroutine: the middleware chain awaits it
        self.process_request_2(parser, request)
        return None

    async def robot_parser(self, request):
        # Scrapy's version logs a failed robots.txt download as an ERROR with a
        # traceback; here it is an expected outcome, reported on the URLs it blocks.
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            url = urlparse_cached(request)
            robotsreq = Request(f"{url.scheme}://{netloc}/robots.txt", priority=self.DOWNLOAD_PRIORITY,
                                meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
            try:
                resp = await self.crawler.engine.download_async(robotsreq)
                await self._parse_robots(resp, netloc, request)
            except Exception as exc:
                if not isinstance(exc, IgnoreRequest):
                    logger.warning("robots.txt of %s could not be read: %s", netloc, exc)
                self._robots_error(exc, netloc)
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            return await maybe_deferred_to_future(parser)
        return parser

    async def _parse_robots(self, response, netloc, request):
        if response.status >= 500:
            self._settle(netloc, _DisallowAll(f"robots.txt answered HTTP {response.status}"))
            return
        if 400 <= response.status < 500:
            self._settle(netloc, None)  # no robots.txt: everything allowed
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc, netloc):
        if isinstance(exc, IgnoreRequest) or isinstance(exc, _HOST_DOWN):
            # A host that does not resolve or refuses connections serves nothing at all:
            # let each URL fail with that error (clearer than "disallowed by robots.txt").
            return super()._robots_error(exc, netloc)
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._settle(netloc, _DisallowAll(f"robots.txt unreachable ({type(exc).__name__})"))

    def _settle(self, netloc, parser) -> None:
        pending = self._parsers[netloc]
        self._parsers[netloc] = parser
        if hasattr(pending, "callback"):
            pending.callback(parser)

    def process_request_2(self, rp, request):
        if isinstance(rp, _DisallowAll):
            self._stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest(f"{rp.why}: crawling the host is disallowed until it can be read (RFC 9309)")
        return super().process_request_2(rp, request)


class BasicAuthMiddleware:
    """HTTP basic auth (``--auth``) on the audited site's own hosts, nowhere else.

    The credentials live on the spider only; an external link or a redirect
    off the site is fetched without them.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        spider = spider or self.crawler.spider
        creds = getattr(spider, "basic_auth", None)
        if not creds:
            return None
        scope = spider.scope
        if host_key(request.url) in scope.hosts:
            request.headers[b"Authorization"] = basic_auth_header(*creds)
        else:
            request.headers.pop(b"Authorization", None)
        return None
