"""The HTTP(S) download handler: aiohttp on Scrapy's asyncio reactor.

Scrapy's default handler (Twisted's HTTP client) costs about three times the CPU
per request of aiohttp's C parser and connection pool, and a link checker makes
thousands of small requests: a bare Scrapy crawl of 2,700 targets takes 4.1 s of
CPU with Twisted and 1.4 s with aiohttp here.  This handler keeps everything else
of Scrapy (scheduler, middlewares, retries, robots.txt, the spider) and only
replaces the transport.

What it does beyond fetching, because a link check needs it:

- **Names are resolved by the reactor's resolver** (``TWISTED_DNS_RESOLVER``,
  :class:`~siteaudit_crawler.resolver.GuardedResolver`), so the private-address
  guard and Scrapy's DNS cache apply exactly as with Scrapy's own handler.
- **The body is read only when it is needed**, by the request's
  ``meta["sa_body"]``:

  ``"short"`` (a link check)
      the body is read only when its declared length is at most
      :data:`SHORT_BODY`; a longer one (a PDF behind a GET fallback) is not
      downloaded at all.
  ``"html"`` (a page)
      read unless the server says it is not HTML and it is not short.
  absent (robots.txt, sitemaps)
      read, up to the size limit.

  A short body is read rather than dropped because dropping it closes the
  keep-alive connection.  A response whose body was not read carries the flag
  ``download_stopped``.
- **The size limit** (``DOWNLOAD_MAXSIZE`` or ``meta["download_maxsize"]``): with a
  body policy, a larger body is an outcome, not an error: reading stops, the
  response is flagged ``download_stopped`` and ``meta["sa_too_large"]`` says
  why.  Without one, Scrapy's behaviour: :class:`DownloadCancelledError`.
- Errors become Scrapy's transport exceptions (``CannotResolveHostError``,
  ``DownloadConnectionRefusedError``, ``DownloadTimeoutError``,
  ``DownloadFailedError``, ``ResponseDataLossError``), which the retry
  middleware and :mod:`.transport` know.

Certificates are verified only with ``DOWNLOAD_VERIFY_CERTIFICATES`` (Scrapy's
default is not to: a link check asks whether a page answers, and an expired
certificate on a partner's site should not hide that).  The URL is sent as
Scrapy built it (already percent-encoded), the ``headers_received`` and
``bytes_received`` signals are not sent (the body policy replaces them), and
``DOWNLOAD_BIND_ADDRESS`` / the ``bindaddress`` meta key are not supported.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import ssl
import time

import aiohttp
import aiohttp.abc
import yarl
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
                               DownloadFailedError, DownloadTimeoutError, ResponseDataLossError,
                               UnsupportedURLSchemeError)
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.defer import maybe_deferred_to_future

logger = logging.getLogger(__name__)

SHORT_BODY = 16 * 1024  # a body this short is read even when not needed (dropping it costs the connection)
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Headers Scrapy's middlewares set themselves (HttpCompressionMiddleware decompresses, with the size
# limit that stops a gzip bomb, so aiohttp must neither ask for nor undo a compression).
_NO_AUTO_HEADERS = ("Accept", "Accept-Encoding", "Content-Type", "User-Agent")
_LONG_LINES = 64 * 1024  # aiohttp's default 8190-byte header line limit rejects real sites' long headers


class TLSError(Exception):
    """The TLS handshake failed (a bad or untrusted certificate when verifying)."""


class _LookupFailed(OSError):
    """A name did not resolve (aiohttp wraps an OSError from a resolver as a DNS error)."""


class ReactorResolver(aiohttp.abc.AbstractResolver):
    """aiohttp's name lookups, answered by the Twisted reactor's resolver."""

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET):
        from twisted.internet import reactor

        try:
            address = await maybe_deferred_to_future(reactor.resolve(host))
        except Exception as exc:  # DNSLookupError, the guard's PrivateAddressResolved, a timeout
            raise _LookupFailed(str(exc) or type(exc).__name__) from exc
        return [{"hostname": host, "host": address, "port": port,
                 "family": socket.AF_INET6 if ":" in address else socket.AF_INET,
                 "proto": 0, "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        pass


def ssl_context(settings) -> ssl.SSLContext:
    """The TLS context Scrapy's own handlers build from the same settings."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if settings.getbool("DOWNLOAD_VERIFY_CERTIFICATES"):
        ctx.load_default_certs()
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    versions = {"TLSv1.0": ssl.TLSVersion.TLSv1, "TLSv1.1": ssl.TLSVersion.TLSv1_1,
                "TLSv1.2": ssl.TLSVersion.TLSv1_2, "TLSv1.3": ssl.TLSVersion.TLSv1_3}
    if settings.get("DOWNLOAD_TLS_MIN_VERSION") in versions:
        ctx.minimum_version = versions[settings["DOWNLOAD_TLS_MIN_VERSION"]]
    if settings.get("DOWNLOAD_TLS_MAX_VERSION") in versions:
        ctx.maximum_version = versions[settings["DOWNLOAD_TLS_MAX_VERSION"]]
    if settings.get("DOWNLOADER_CLIENT_TLS_CIPHERS"):
        ctx.set_ciphers(settings["DOWNLOADER_CLIENT_TLS_CIPHERS"])
    return ctx


def scrapy_headers(raw) -> Headers:
    """``Headers(raw)`` for aiohttp's ``(name, value)`` byte pairs, built without the generic
    path's per-item type checks (a quarter of a response's cost in the handler).  Headers
    keeps ``name.title()`` -> list of values, exactly as built here."""
    headers = Headers()
    for name, value in raw:
        dict.setdefault(headers, name.title(), []).append(value)
    return headers


class AiohttpHandler(BaseDownloadHandler):
    """``DOWNLOAD_HANDLERS`` entry for ``http`` and ``https`` (see the module docstring)."""

    lazy = False

    def __init__(self, crawler):
        super().__init__(crawler)
        s = crawler.settings
        self.maxsize = s.getint("DOWNLOAD_MAXSIZE")
        self.fail_on_dataloss = s.getbool("DOWNLOAD_FAIL_ON_DATALOSS")
        self.limit = s.getint("CONCURRENT_REQUESTS")
        self.limit_per_host = s.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.ssl = ssl_context(s)
        self.session: aiohttp.ClientSession | None = None  # made on first use, inside the running loop
        if s.get("DOWNLOAD_BIND_ADDRESS"):
            logger.warning("DOWNLOAD_BIND_ADDRESS is not supported by siteaudit's download handler; ignored")

    def _session(self) -> aiohttp.ClientSession:
        if self.session is None:
            connector = aiohttp.TCPConnector(limit=self.limit, limit_per_host=self.limit_per_host,
                                             resolver=ReactorResolver(), use_dns_cache=False)
            self.session = aiohttp.ClientSession(
                connector=connector, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False,
                skip_auto_headers=_NO_AUTO_HEADERS, max_line_size=_LONG_LINES, max_field_size=_LONG_LINES)
        return self.session

    async def download_request(self, request):
        meta = request.meta
        timeout = meta.get("download_timeout") or 180
        # dict.items: Headers keeps normalised keys and lists of values already; its own items()
        # re-normalises every key and value on the way out
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in dict.items(request.headers)
                   if k != b"Proxy-Authorization" for v in vs]
        proxy, proxy_headers = meta.get("proxy"), None
        if proxy:
            proxy = proxy if "://" in proxy else f"http://{proxy}"
            auth = request.headers.get(b"Proxy-Authorization")
            proxy_headers = {"Proxy-Authorization": auth.decode("latin-1")} if auth else None
        started = time.monotonic()
        try:
            async with self._session().request(
                    request.method, yarl.URL(request.url, encoded=True), data=request.body or None,
                    headers=headers, timeout=aiohttp.ClientTimeout(total=timeout), ssl=self.ssl,
                    allow_redirects=False, proxy=proxy, proxy_headers=proxy_headers) as response:
                meta["download_latency"] = time.monotonic() - started  # AutoThrottle reads it
                return await self._response(request, response)
        except (asyncio.TimeoutError, TimeoutError) as exc:
            raise DownloadTimeoutError(f"Getting {request.url} took longer than {timeout} seconds.") from exc
        except aiohttp.ClientConnectorDNSError as exc:
            raise CannotResolveHostError(f"DNS lookup failed: {exc.os_error}") from exc
        except (aiohttp.ClientConnectorCertificateError, aiohttp.ClientConnectorSSLError, aiohttp.ClientSSLError,
                ssl.SSLError) as exc:
            raise TLSError(str(exc)) from exc
        except aiohttp.ClientConnectorError as exc:
            if exc.os_error is not None and exc.os_error.errno == errno.ECONNREFUSED:
                # worded as Twisted words it, so reasons read the same as in runs before this handler
                raise DownloadConnectionRefusedError(
                    f"Connection was refused by other side: {errno.ECONNREFUSED}: Connection refused.") from exc
            raise DownloadFailedError(str(exc)) from exc
        except (aiohttp.InvalidURL, aiohttp.NonHttpUrlClientError) as exc:
            raise UnsupportedURLSchemeError(str(exc)) from exc
        except aiohttp.ClientError as exc:
            raise DownloadFailedError(str(exc) or type(exc).__name__) from exc

    async def _response(self, request, response: aiohttp.ClientResponse):
        headers = scrapy_headers(response.raw_headers)
        flags: list[str] = []
        try:
            body = await self._body(request, response, flags)
        except aiohttp.ClientPayloadError as exc:
            if request.meta.get("download_fail_on_dataloss", self.fail_on_dataloss):
                raise ResponseDataLossError() from exc  # reported as "connection lost"
            body, flags = b"", ["dataloss"]
        url = request.url
        cls = responsetypes.from_args(headers=headers, url=url, body=body)
        result = cls(url=url, status=response.status, body=body, flags=flags,
                     protocol=f"HTTP/{response.version.major}.{response.version.minor}")
        result.headers = headers  # the setter keeps a Headers as is; the constructor would copy it
        return result

    async def _body(self, request, response: aiohttp.ClientResponse, flags: list[str]) -> bytes:
        if request.method == "HEAD":
            return b""
        meta = request.meta
        policy = meta.get("sa_body")
        maxsize = meta.get("download_maxsize", self.maxsize)
        length = response.content_length
        short = length is not None and 0 <= length <= SHORT_BODY
        if policy == "short" and not short:
            flags.append("download_stopped")
            return b""
        if policy == "html" and not short:
            ctype = response.headers.get("Content-Type", "").lower()
            if ctype and not any(t in ctype for t in HTML_TYPES):
                flags.append("download_stopped")
                return b""
        if maxsize and length is not None and length > maxsize:
            return self._too_large(request, flags, f"declared {length} bytes", maxsize)
        chunks, size = [], 0
        async for chunk in response.content.iter_any():
            size += len(chunk)
            if maxsize and size > maxsize:
                return self._too_large(request, flags, f"more than {maxsize} bytes", maxsize)
            chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    def _too_large(request, flags: list[str], why: str, maxsize: int) -> bytes:
        if request.meta.get("sa_body") is None:  # not ours to judge: Scrapy's behaviour
            raise DownloadCancelledError(f"Cancelling download of {request.url}: body {why}, larger than "
                                         f"download max size ({maxsize})")
        request.meta["sa_too_large"] = why
        flags.append("download_stopped")
        return b""

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None
