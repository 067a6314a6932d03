"""URL normalisation, crawl scope and the private-address guard (pure functions)."""

from __future__ import annotations

import ipaddress
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

from w3lib.url import safe_url_string

DEFAULT_PORTS = {"http": 80, "https": 443}
_PRIVATE_NAMES = re.compile(r"(^|\.)(localhost|local|internal|intranet|home\.arpa)$", re.I)


def split_fragment(url: str) -> tuple[str, str]:
    """``http://a/b#x`` → (``http://a/b``, ``x``); the fragment is unquoted."""
    base, _, frag = url.partition("#")
    return base, unquote(frag)


def normalize_url(url: str) -> str:
    """Normalise an absolute http(s) URL so the same resource has one spelling.

    Lower-cases scheme and host, drops default ports and the fragment, resolves
    ``.``/``..`` segments, gives an empty path ``/``, percent-encodes unsafe
    characters; keeps the query (and its order) as is.  Idempotent.  Returns
    the input unchanged (minus fragment) when it is not an http(s) URL.
    """
    base = split_fragment(url.strip())[0].strip()  # "// #" → "//", not "// " (idempotent)
    try:
        parts = urlsplit(safe_url_string(base))
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return base
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not host:
        return base  # not http(s), or no host (``http:////``): nothing to normalise, and idempotent
    try:
        port = parts.port
    except ValueError:
        port = None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username:
        cred = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{cred}@{netloc}"
    path = parts.path or "/"
    if "/." in path:
        trailing = path.endswith("/") or path.endswith("/.") or path.endswith("/..")
        path = posixpath.normpath(path)
        path = re.sub(r"^/+", "/", path)  # normpath keeps a leading '//'
        if trailing and not path.endswith("/"):
            path += "/"
    return urlunsplit(SplitResult(scheme, netloc, path, parts.query, ""))


def host_key(url: str) -> str:
    """The ``host[:port]`` a URL belongs to (default ports dropped), lower-case;
    ``""`` for a URL that cannot be parsed.

    Only the scheme and authority matter, so the answer is cached per origin
    (``scheme://netloc``): a crawl asks this for every target and response."""
    cut = url.find("://")
    if cut < 0:
        return _host_key(url)
    ends = [i for i in (url.find(c, cut + 3) for c in "/?#") if i >= 0]
    return _origin_host_key(url[:min(ends)] if ends else url)


@lru_cache(maxsize=4096)
def _origin_host_key(origin: str) -> str:
    return _host_key(origin)


def _host_key(url: str) -> str:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None or port == DEFAULT_PORTS.get(parts.scheme.lower()):
        return host
    return f"{host}:{port}"


def is_private_host(host: str) -> bool:
    """True for loopback, private, link-local, reserved and local-only names.

    ``host`` may carry a port and IPv6 brackets.  Names are judged by their
    suffix only (``localhost``, ``*.local``, ``*.internal``); public names that
    resolve to private addresses are caught at connection time, not here.
    """
    h = host.strip().lower()
    if h.startswith("["):
        h = h[1:].split("]", 1)[0]
    elif h.count(":") == 1:
        h = h.split(":", 1)[0]
    h = h.rstrip(".")
    if not h:
        return False
    if _PRIVATE_NAMES.search(h):
        return True
    try:
        ip = ipaddress.ip_address(h)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_unspecified or ip.is_multicast


@dataclass
class Scope:
    """Which URLs are the site under audit (crawled) and which are external (only checked).

    A URL is in scope when its ``host[:port]`` is a start host or an allowed
    host and, if path prefixes are given, its path starts with one of them.
    """

    hosts: set[str] = field(default_factory=set)
    path_prefixes: tuple[str, ...] = ()
    allow_private: bool = False

    @classmethod
    def from_start_urls(cls, start_urls: list[str], allow_hosts=(), path_prefixes=(), allow_private=False) -> "Scope":
        hosts = {host_key(u) for u in start_urls}
        hosts |= {h.lower().strip() for h in allow_hosts if h.strip()}
        # A private or loopback start URL (intranet audit, local test) allows private targets.
        private_start = any(is_private_host(host_key(u)) for u in start_urls)
        return cls(hosts=hosts, path_prefixes=tuple(p for p in path_prefixes if p),
                   allow_private=allow_private or private_start)

    def in_scope(self, url: str) -> bool:
        key = host_key(url)
        if key not in self.hosts and key.split(":")[0] not in self.hosts:
            return False
        if not self.path_prefixes:
            return True
        path = urlsplit(url).path or "/"
        return any(path.startswith(p) for p in self.path_prefixes)

    def fetch_allowed(self, url: str) -> bool:
        """May this URL be requested?  Private hosts only when allowed or in scope."""
        key = host_key(url)
        if key in self.hosts:
            return True
        return self.allow_private or not is_private_host(key)
