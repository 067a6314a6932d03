"""A DNS resolver for crawl tests: loopback names resolve, every other name fails.

Loaded in the crawler subprocess with ``-s TWISTED_DNS_RESOLVER=offline_resolver.OfflineResolver``
(``tests/`` on PYTHONPATH), so a test of "DNS failure for an external host"
sends no query to any real name server.  ``rebind.example.gov`` stands for a
public name whose DNS answer is a loopback address (it answers 127.0.0.1);
the private-address guard of the real resolver still applies.
"""

from __future__ import annotations

from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from siteaudit_crawler.resolver import GuardedResolver

FAKE_RECORDS = {"localhost": "127.0.0.1", "localhost.localdomain": "127.0.0.1", "rebind.example.gov": "127.0.0.1"}


class OfflineResolver(GuardedResolver):
    def lookup(self, name, timeout=()):
        if name.lower() in FAKE_RECORDS:
            return defer.succeed(FAKE_RECORDS[name.lower()])
        if name.replace(".", "").isdigit():
            return defer.succeed(name)
        return defer.fail(DNSLookupError(f"{name}: offline test resolver knows only loopback"))
