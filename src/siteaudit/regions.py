"""Template regions: the header, menus and footer a site repeats on its pages.

A site's pages share their header, navigation and footer, often byte for byte,
and segmenting them and reading their links is the same work on every page —
on an agency site a third or more of a page's markup.  :class:`Regions` finds
them on one parsed page and gives each a key; segmentation, link extraction and
(for the page landmarks among them, read on their own: extract/text.py) the
line extractors keep what they made of a region under its key
(:class:`RegionCache`) and reuse it when another page has the same region.

Reuse is exact, not a heuristic: the key holds everything a region's result is
made from — its markup as lxml serialises it, the CSS path of its element (the
paths inside it extend that one), and the source line of every node in it
relative to its first (the results carry line numbers).  The caller adds what
else it reads from outside the region (segmentation: the group it sits in; the
heading above it is put into the reused lines).  A region is an outermost
``<header>``, ``<footer>`` or ``<nav>``, or a block with the ARIA role banner,
navigation or contentinfo, that is not inside a table (cells read their column
headers from outside).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from lxml import etree

from .paths import PathFinder

_OWN_TAGS = ("header", "footer", "nav")
_ROLES = etree.XPath("descendant-or-self::*/@role")  # the values, each with its element (getparent)
_LANDMARK_ROLES = frozenset({"banner", "navigation", "contentinfo"})
# Block elements a landmark role may sit on: a region must end the line before it and start a
# new one after it, as blocks do, and hold nothing that reads state from around it (cells, headings).
_ROLE_TAGS = frozenset({"div", "section", "aside", "ul", "ol", "menu", "article"})
# Larger regions are not kept: a cache holds its keys' markup (at most 64 x 128 KB, a few KB each as a rule).
MAX_REGION_BYTES = 131_072


class Regions:
    """The template regions of one parsed page (see the module docstring), and their keys.

    ``roots`` maps ``id()`` of each region's element to the element (which it
    keeps alive, so the ids stay valid); :meth:`key` is computed on first use
    and shared by the readers of the page.
    """

    def __init__(self, root: etree._Element, paths: PathFinder) -> None:
        self.paths = paths
        # Two passes in libxml2 (~15 us on a generated page, ~0.1 ms on a 50 KB one); one XPath
        # expression asking every element for its tag, role and ancestors takes ten times that.
        found = list(root.iter(*_OWN_TAGS))
        for value in _ROLES(root):
            if value.strip().lower() in _LANDMARK_ROLES and (owner := value.getparent()).tag in _ROLE_TAGS:
                found.append(owner)
        candidates = {id(el) for el in found}
        self.roots: dict[int, etree._Element] = {}
        for el in found:
            if el.get("data-cfemail") is None and not any(
                    id(up) in candidates or up.tag == "table" for up in el.iterancestors()):
                self.roots[id(el)] = el
        self._keys: dict[int, tuple | None] = {}

    def require(self, paths: PathFinder | None) -> None:
        """Raise ValueError unless these regions were made with ``paths`` (their keys hold its CSS paths)."""
        if paths is not self.paths:
            raise ValueError("regions must be made with the PathFinder passed as paths")

    def key(self, el: etree._Element) -> tuple | None:
        """The region's key, or None when it cannot be keyed (no line numbers, unserialisable, too big)."""
        ident = id(el)
        if ident in self._keys:
            return self._keys[ident]
        key = None
        first = el.sourceline
        if first is not None:
            try:
                markup = etree.tostring(el, with_tail=False)
                lines = tuple(node.sourceline - first for node in el.iter())
            except (TypeError, ValueError, etree.LxmlError):  # a node without a line; odd markup
                markup = None
            if markup is not None and len(markup) <= MAX_REGION_BYTES:
                key = (self.paths.path(el), markup, lines)
        self._keys[ident] = key
        return key


class RegionCache:
    """A small least-recently-used map from region keys to what a reader made of them."""

    def __init__(self, maxsize: int = 64) -> None:
        self.maxsize = maxsize
        self._data: dict[Hashable, Any] = {}
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> Any:
        value = self._data.pop(key, None)
        if value is None:
            self.misses += 1
            return None
        self._data[key] = value  # most recently used last
        self.hits += 1
        return value

    def put(self, key: Hashable, value: Any) -> None:
        self._data[key] = value
        if len(self._data) > self.maxsize:
            self._data.pop(next(iter(self._data)), None)  # the least recently used

    def clear(self) -> None:
        self._data.clear()
        self.hits = self.misses = 0
