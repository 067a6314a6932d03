"""DNS resolution with the private-address guard: a public name may not lead inside.

The spider and :class:`~siteaudit_crawler.middlewares.PrivateAddressGuard`
judge a URL by its host name; a public-looking name whose DNS answer is a
private, loopback or link-local address (DNS rebinding, a stale record, a
partner's internal host) is caught here, after resolution and before any
connection.  The blocked names are left on ``spider.private_resolved`` so the
spider reports them as ``excluded`` instead of a DNS failure.
"""

from __future__ import annotations

import logging

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from siteaudit.urls import is_private_host

logger = logging.getLogger(__name__)


class PrivateAddressResolved(DNSLookupError):
    """A name resolved to an address the crawl may not reach."""


class GuardedResolver(CachingThreadedResolver):
    @classmethod
    def from_crawler(cls, crawler, reactor):
        # Scrapy passes the CrawlerProcess here (one resolver per reactor), not a Crawler.
        resolver = super().from_crawler(crawler, reactor)
        resolver.process = crawler
        return resolver

    def _spider(self):
        process = getattr(self, "process", None)
        for crawler in getattr(process, "crawlers", ()) or ():
            if getattr(crawler, "spider", None) is not None and hasattr(crawler.spider, "scope"):
                return crawler.spider
        return getattr(process, "spider", None)

    def lookup(self, name: str, timeout=()):
        """The plain resolution (tests override this to stay offline)."""
        return super().getHostByName(name, timeout)

    def getHostByName(self, name, timeout=()):  # noqa: N802 - Twisted's interface
        d = self.lookup(name, timeout)
        d.addCallback(self._guard, name)
        return d

    def _guard(self, address: str, name: str) -> str:
        if not is_private_host(address) or is_private_host(name):
            return address  # a private *name* was already judged by the spider and the middleware
        spider = self._spider()
        scope = getattr(spider, "scope", None)
        if scope is None or scope.allow_private or name.lower() in {h.split(":")[0] for h in scope.hosts}:
            return address
        spider.private_resolved[name.lower()] = address
        logger.info("%s resolves to private address %s: not fetched", name, address)
        raise PrivateAddressResolved(f"{name} resolves to a private address ({address})")
