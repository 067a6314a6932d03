"""Links: find every link on a parsed page, and turn a check's evidence into an outcome.

Pure functions: :func:`extract_links` takes an lxml tree, :func:`classify_http`
takes the facts of a finished check (status chain, headers, error).  The
crawler does the fetching.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote, urljoin, urlsplit

import phonenumbers
import validators
from lxml import etree

from .model import LinkCheck, LinkEdge, Outcome
from .paths import PathFinder
from .regions import RegionCache, Regions
from .urls import normalize_url, split_fragment

# (tag, attribute) pairs that are links; srcset is handled separately.
LINK_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "img": ("src",),
    "link": ("href",),
    "script": ("src",),
    "iframe": ("src",),
    "source": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
}
SRCSET_TAGS = ("img", "source")
# <link rel=...> values that name an origin or a hint, not a resource to check.
SKIP_LINK_RELS = {"preconnect", "dns-prefetch", "prefetch", "prerender", "profile", "pingback"}
HTTP_SCHEMES = {"http", "https"}
_SRCSET_ITEM = re.compile(r"\s*(\S+)(?:\s+[^,]*)?(?:,|$)")


def _text(el: etree._Element, tag: str, paths: PathFinder) -> str:
    text = paths.text(el) if tag == "a" or tag == "area" else ""  # segmentation reads a link's text too
    if not text:
        alt = el.get("alt") or el.get("title") or el.get("aria-label") or ""
        if not alt and tag == "a":
            img = next(iter(el.iter("img")), None)
            alt = img.get("alt", "") if img is not None else ""
        text = " ".join(alt.split())  # re.sub(r"\s+", " ", alt).strip(): the same, several times faster
    return text[:300]


def base_url_of(root: etree._Element, page_url: str) -> str:
    for base in root.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            return urljoin(page_url, href)
        break
    return page_url


def _clean_href(raw: str) -> str:
    """An attribute value without tabs and newlines, trimmed, as browsers read it."""
    return re.sub(r"[\t\n\r]", "", raw).strip()


def resolve(base: str, raw: str) -> str:
    """Resolve a raw attribute value against the base; strips whitespace/controls.

    A value that cannot be parsed (``http://[::1``) is returned as it is, so
    the link is still recorded and reported by :func:`url_problem`.
    """
    raw = _clean_href(raw)
    try:
        return urljoin(base, raw)
    except ValueError:
        return raw


_BAD_HOST = re.compile(r"[\s<>\"'`{}|\\^%]")


def url_problem(url: str) -> str | None:
    """Why an http(s) URL cannot be fetched (a broken link), or None when it can be."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError when out of range or not a number
        host = parts.hostname
    except ValueError as exc:
        return f"invalid URL: {exc}"
    if not host or not host.strip("."):
        return "invalid URL: no host name"
    if _BAD_HOST.search(host):
        return "invalid URL: bad host name"
    return None


def _cache_bases(base: str) -> tuple[str, str, str]:
    """(base, origin, scheme) of a page: what a raw href can depend on."""
    try:
        parts = urlsplit(base)
    except ValueError:
        return base, base, base
    return base, f"{parts.scheme}://{parts.netloc}/", f"{parts.scheme}:"


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _cache_base(bases: tuple[str, str, str], raw: str) -> str:
    """The least specific base that resolves ``raw`` the same way, so nav, footer
    and asset links shared by every page hit :func:`_target_of`'s cache."""
    if raw[:1] == "/":  # (a scheme starts with a letter: no need to look for one first)
        if raw.startswith("//"):
            return bases[2] if raw[2:3] not in ("", "/", "?", "#") else bases[0]
        return bases[1]
    if _SCHEME.match(raw):
        return ""  # absolute: no base needed
    return bases[0]


# A root-relative href whose path and query hold only these characters ("/about/contact.html",
# "/search?q=x&p=2") comes out of urljoin and normalize_url as it went in: no dot segments,
# ";params", "%" escapes, "//" or characters to quote.
_PLAIN_PATH = re.compile(r"(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?(?:\?[A-Za-z0-9._~=&-]+)?")
# The scheme and a plain host[:port] of an absolute href, up to its path.
_PLAIN_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?=/)")


@lru_cache(maxsize=65536)
def _target_of(base: str, raw: str) -> tuple[str, str]:
    """(normalised target, fragment) of a raw href; other schemes keep their raw target.

    A site links to most of its pages from only a few others, and every page to
    parts of itself ("#main"), so many hrefs are new to this cache.  Three kinds
    skip URL parsing (each resolution costs ~25 us): against an http(s) base a
    "#..." is the target of "#" plus its fragment, and a plain root-relative or
    absolute href is the site's normalised root URL plus its path.  All give
    what :func:`_resolve_target` gives (tests/test_links.py checks them against it).
    """
    if raw[:1] == "#" and raw != "#":
        page, _ = _target_of(base, "#")
        if scheme_of(page) in HTTP_SCHEMES:
            return page, unquote(_clean_href(raw)[1:])
    elif raw[:1] == "/" and raw[1:2] != "/" and raw != "/":
        root, _ = _target_of(base, "/")
        if root.endswith("/") and scheme_of(root) in HTTP_SCHEMES:
            path, _, fragment = _clean_href(raw).partition("#")
            if _PLAIN_PATH.fullmatch(path):
                return root[:-1] + path, unquote(fragment)
    elif not base and (origin := _PLAIN_ORIGIN.match(raw)):
        # "https://www.agency.gov/about/": the same as the plain root-relative href on that site
        # (an absolute href is used as it is: no cleaning, see resolve())
        root, _ = _target_of(origin.group(0) + "/", "/")
        path, _, fragment = raw[origin.end():].partition("#")
        if root.endswith("/") and scheme_of(root) in HTTP_SCHEMES and _PLAIN_PATH.fullmatch(path):
            return root[:-1] + path, unquote(fragment)
    return _resolve_target(base, raw)


def _resolve_target(base: str, raw: str) -> tuple[str, str]:
    """The general :func:`_target_of`: resolve against the base, then normalise."""
    absolute = resolve(base, raw) if base else resolve(raw, "")
    if scheme_of(absolute) in HTTP_SCHEMES:
        target_raw, fragment = split_fragment(absolute)
        return normalize_url(target_raw), fragment
    return absolute, ""


def extract_links(root: etree._Element, page_url: str, paths: PathFinder | None = None,
                  regions: Regions | None = None) -> list[LinkEdge]:
    """Every link occurrence on the page, in document order.

    http(s) targets are normalised and their fragment kept apart; other
    schemes (mailto:, tel:, javascript:, data:) keep their raw target so the
    checker can classify them.  Empty hrefs and bare ``#`` are skipped (they
    link nowhere).  With ``regions`` (made with ``paths``), the links of a
    template region another page had are taken from :data:`REGION_LINKS` and
    only resolved against this page: the same edges.
    """
    base = base_url_of(root, page_url)
    bases = _cache_bases(base)
    edges: list[LinkEdge] = []
    paths = paths if paths is not None else PathFinder()
    if regions is not None:
        regions.require(paths)

    def read(el: etree._Element, kept: list | None = None) -> None:
        tag = el.tag
        if tag == "link":
            rels = set((el.get("rel") or "").lower().split())
            if rels & SKIP_LINK_RELS:
                return
        values = [(attr, value) for attr in LINK_ATTRS[tag] if (value := el.get(attr)) is not None]
        srcset = el.get("srcset") if tag in SRCSET_TAGS else None
        if srcset:
            values += [("srcset", m.group(1)) for m in _SRCSET_ITEM.finditer(srcset) if m.group(1)]
        about = None  # (text, path, line): the element's, shared by its links
        for attr, raw in values:
            raw = raw.strip()
            if not raw or raw == "#":
                continue
            if about is None:
                about = (_text(el, tag, paths), paths.path(el), el.sourceline)
            target, fragment = _target_of(_cache_base(bases, raw), raw)
            edges.append(LinkEdge(page_url, target, fragment, tag, attr, *about))
            if kept is not None:
                kept.append(raw)

    runs = _region_runs(regions) if regions is not None else {}
    elements = root.iter(*LINK_ATTRS.keys())
    for el in elements:
        run = runs.get(id(el)) if runs else None
        if run is None:
            read(el)
            continue
        region, members = run
        for _ in range(len(members) - 1):  # the region's other link elements: done here, not one by one
            next(elements)
        key = regions.key(region)
        cached = REGION_LINKS.get(key) if key is not None else None
        if cached is not None:
            first_line, kept = cached
            shift = region.sourceline - first_line
            edges += [LinkEdge(page_url, *_target_of(_cache_base(bases, raw), raw), element, attribute, text, path,
                               line + shift) for raw, element, attribute, text, path, line in kept]
            continue
        start, raws = len(edges), []
        for member in members:
            read(member, raws)
        if key is not None:
            REGION_LINKS.put(key, (region.sourceline, [(raw, e.element, e.attribute, e.text, e.path, e.line)
                                                       for raw, e in zip(raws, edges[start:])]))
    return edges


# What link extraction made of the template regions of recent pages (see regions.py).
REGION_LINKS = RegionCache()


def _region_runs(regions: Regions) -> dict[int, tuple[etree._Element, list[etree._Element]]]:
    """``id()`` of each region's first link element -> (the region, its link elements in order)."""
    runs = {}
    for region in regions.roots.values():
        members = list(region.iter(*LINK_ATTRS.keys()))
        if members:
            runs[id(members[0])] = (region, members)
    return runs


# The attribute values straight from libxml2: no Python object for every element of the page.
_IDS = etree.XPath("descendant-or-self::*/@id", smart_strings=False)
_A_NAMES = etree.XPath("descendant-or-self::a/@name", smart_strings=False)


def anchors_of(root: etree._Element) -> list[str]:
    """Every fragment target on a page: element ids and ``<a name>`` values."""
    found = {value for value in _IDS(root) if value}
    found |= {value for value in _A_NAMES(root) if value}
    return sorted(found)


def scheme_of(target: str) -> str:
    scheme = target.split(":", 1)[0] if ":" in target else ""
    return scheme.lower() if re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme) else ""


def check_non_http(target: str) -> LinkCheck:
    """Outcome of a link that is not fetched: mailto:, tel:, javascript:, data:, others."""
    scheme = scheme_of(target)
    if scheme == "mailto":
        return check_mailto(target)
    if scheme == "tel":
        return check_tel(target)
    return LinkCheck(target=target, outcome=Outcome.UNSUPPORTED, reason=f"{scheme or 'no'} scheme is not checked")


def check_mailto(target: str) -> LinkCheck:
    """A mailto: link is ok when every address in it is syntactically valid."""
    body = unquote(target.split(":", 1)[1]).split("?", 1)[0]
    addresses = [a.strip() for a in body.split(",") if a.strip()]
    if not addresses:
        return LinkCheck(target=target, outcome=Outcome.BROKEN, reason="mailto: without an address", method="syntax")
    bad = [a for a in addresses if validators.email(a) is not True]
    if bad:
        return LinkCheck(target=target, outcome=Outcome.BROKEN, method="syntax",
                         reason=f"invalid email address: {', '.join(bad)}")
    return LinkCheck(target=target, outcome=Outcome.OK, method="syntax", reason="valid address syntax")


def check_tel(target: str) -> LinkCheck:
    """A tel: link is ok when phonenumbers parses it into a valid (US-default) number."""
    raw = unquote(target.split(":", 1)[1]).strip()
    digits = re.sub(r"[^\d+*#]", "", raw)
    if re.fullmatch(r"[2-9]11|[*#]\d{2,6}", digits):  # 311, 711 relay, *911 and similar codes
        return LinkCheck(target=target, outcome=Outcome.OK, method="parse", reason="short code")
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException as exc:
        return LinkCheck(target=target, outcome=Outcome.BROKEN, method="parse", reason=f"unparseable number: {exc}")
    if not phonenumbers.is_valid_number(number):
        return LinkCheck(target=target, outcome=Outcome.BROKEN, method="parse",
                         reason=f"not a valid phone number: {raw}")
    return LinkCheck(target=target, outcome=Outcome.OK, method="parse",
                     final_url=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


BOT_WALL_STATUSES = {999}


def classify_http(status: int | None, *, chain: list[dict], headers: dict[str, str] | None = None,
                  error: str = "", error_kind: str = "", internal: bool = False) -> tuple[Outcome, str]:
    """Decide the outcome of an HTTP(S) check from its evidence.

    ``status`` is the final status (None when no response came); ``chain`` the
    hops ``[{url, status}]`` (more than one means redirects); ``error_kind`` one
    of ``dns``, ``refused``, ``timeout``, ``lost``, ``tls``, ``loop``,
    ``too-many-redirects``, ``other``.  Returns (outcome, human reason).
    """
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    if status is None:
        if error_kind == "timeout":
            if error.lower().startswith("timed out"):
                return Outcome.INDETERMINATE, error
            return Outcome.INDETERMINATE, f"timed out{': ' + error if error else ''}"
        if error_kind in ("loop", "too-many-redirects"):
            return Outcome.BROKEN, error or "redirect loop"
        return Outcome.BROKEN, error or "no response"
    redirected = len(chain) > 1
    if 200 <= status < 300:
        if redirected:
            permanent = all(h.get("status") in (301, 308) for h in chain[:-1])
            return Outcome.REDIRECT, "permanent redirect" if permanent else "temporary redirect"
        return Outcome.OK, ""
    if 300 <= status < 400:
        return Outcome.BROKEN, f"redirect {status} without a usable Location"
    if status in BOT_WALL_STATUSES or "cf-mitigated" in headers:
        return Outcome.INDETERMINATE, f"bot wall ({status}{', cf-mitigated' if 'cf-mitigated' in headers else ''})"
    if status in (401, 403):
        if internal:
            return Outcome.BROKEN, f"access denied ({status})"
        return Outcome.INDETERMINATE, f"access denied ({status}); may be a bot wall"
    if status == 429:
        return Outcome.INDETERMINATE, "still rate limited (429) after retries"
    suffix = " after redirects" if redirected else ""
    if status >= 500:
        return Outcome.BROKEN, f"server error {status}{suffix} (persisted after retries)"
    return Outcome.BROKEN, f"HTTP {status}{suffix}"
