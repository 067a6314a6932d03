"""The crawl's stats collector: Scrapy's in-memory one without its deprecation shims.

Scrapy's ``StatsCollector`` answers every attribute access through a Python
``__getattribute__`` (which builds a name, tries a cache, catches an
AttributeError) and wraps every method in a checker that warns about a
``spider`` argument: about 20,000 calls in a 2,000-page crawl (Scrapy's
scheduler and CoreStats count every request and response), each paying both.
The methods themselves, and what they store, are Scrapy's.
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class LeanStats(MemoryStatsCollector):
    """:class:`scrapy.statscollectors.MemoryStatsCollector` with plain attribute access."""

    __getattribute__ = object.__getattribute__
