"""siteaudit: review public-sector websites for contact information and broken links.

The library is pure and importable without Scrapy; the crawler lives in the
separate ``siteaudit_crawler`` package and the CLI in :mod:`siteaudit.cli`.
"""

from .errors import SiteauditError
from .model import Finding, LinkCheck, LinkEdge, Office, Outcome, Page, Segment

__version__ = "0.1.0"

__all__ = [
    "Finding",
    "LinkCheck",
    "LinkEdge",
    "Office",
    "Outcome",
    "Page",
    "Segment",
    "SiteauditError",
    "__version__",
]
