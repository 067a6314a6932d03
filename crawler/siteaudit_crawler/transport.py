"""Transport errors and headers of a fetch, in the terms the link report uses.

Scrapy and Twisted name the same failure several ways (Scrapy >= 2.13 wraps
Twisted's errors in its own); :func:`error_kind` maps each to one of ``dns``,
``refused``, ``timeout``, ``lost``, ``tls`` or ``other`` for
:func:`siteaudit.links.classify_http`, and :func:`describe_error` gives the
short evidence text.
"""

from __future__ import annotations

try:  # Scrapy >= 2.13 wraps transport errors in its own exceptions
    from scrapy.exceptions import (CannotResolveHostError, DownloadConnectionRefusedError, DownloadFailedError,
                                   DownloadTimeoutError, ResponseDataLossError)
except ImportError:  # pragma: no cover - older Scrapy
    class _Never(Exception):
        pass

    CannotResolveHostError = DownloadConnectionRefusedError = DownloadFailedError = _Never
    DownloadTimeoutError = ResponseDataLossError = _Never
from twisted.internet.error import (ConnectionLost, ConnectionRefusedError, DNSLookupError, TCPTimedOutError,
                                    TimeoutError)
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

# The response headers links.classify_http reads (a bot wall announces itself in one); only
# these are copied out of Scrapy's Headers, not every header of every response.
CLASSIFY_HEADERS = (b"cf-mitigated",)


def response_headers(response) -> dict[str, str]:
    """The headers :func:`siteaudit.links.classify_http` looks at, as text."""
    found = {}
    for name in CLASSIFY_HEADERS:
        value = response.headers.get(name)
        if value is not None:
            found[name.decode()] = value.decode("latin-1")
    return found


_ERROR_KINDS = (
    ((DNSLookupError, CannotResolveHostError), "dns", "DNS lookup failed"),
    ((ConnectionRefusedError, DownloadConnectionRefusedError), "refused", "connection refused"),
    ((TimeoutError, TCPTimedOutError, DownloadTimeoutError), "timeout", "timed out"),
    ((ConnectionLost, ResponseNeverReceived, ResponseFailed, ResponseDataLossError, DownloadFailedError),
     "lost", "connection lost"),
)


def error_kind(exc) -> str:
    for types, kind, _ in _ERROR_KINDS:
        if isinstance(exc, types):
            return kind
    name = type(exc).__name__.lower()
    if "ssl" in name or "tls" in name or "certificate" in name:
        return "tls"
    return "other"


def describe_error(exc) -> str:
    """A short, human description of a transport error (the evidence column)."""
    detail = str(exc).strip()
    for types, _, text in _ERROR_KINDS:
        if isinstance(exc, types):
            if detail.lower().startswith(text.lower()):
                return detail[:300]
            return f"{text}: {detail}"[:300] if detail else text
    return f"{type(exc).__name__}: {detail}"[:300] if detail else type(exc).__name__
