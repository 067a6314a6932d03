"""A DNS resolver for crawl tests: loopback names resolve, every other name fails.

Loaded in the crawler subprocess with ``-s TWISTED_DNS_RESOLVER=offline_resolver.OfflineResolver``
(``tests/`` on PYTHONPATH), so a test of "DNS failure for an external host"
sends no query to any real name server.
"""

from __future__ import annotations

from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from scrapy.resolver import CachingThreadedResolver

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


class OfflineResolver(CachingThreadedResolver):
    def getHostByName(self, name, timeout=()):  # noqa: N802 - Twisted's interface
        if name.lower() in LOOPBACK_NAMES:
            return defer.succeed("127.0.0.1")
        if name.replace(".", "").isdigit():
            return defer.succeed(name)
        return defer.fail(DNSLookupError(f"{name}: offline test resolver knows only loopback"))
