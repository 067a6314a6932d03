"""CSS paths that locate an element on a page, computed in linear time.

``css_path`` in a loop over 50,000 sibling links would be quadratic (each call
scans its siblings); :class:`PathFinder` numbers each parent's children once.
"""

from __future__ import annotations

import re

from lxml import etree

_ID = re.compile(r"[A-Za-z][\w-]*\Z")


class PathFinder:
    """Memoising CSS-path builder for one document.

    The caches are keyed by ``id()`` of lxml element proxies; lxml frees a
    proxy when nothing refers to it and the next proxy may reuse its id, so
    every keyed element is kept alive here for the finder's lifetime (else a
    link could get another element's path, and two parses of one page differ).
    """

    def __init__(self) -> None:
        self._nth: dict[int, dict[int, str]] = {}
        self._paths: dict[int, str] = {}
        self._alive: list[etree._Element] = []

    def _label(self, node: etree._Element, parent: etree._Element) -> str:
        labels = self._nth.get(id(parent))
        if labels is None:
            counts: dict[str, int] = {}
            for child in parent:
                if isinstance(child.tag, str):
                    counts[child.tag] = counts.get(child.tag, 0) + 1
            seen: dict[str, int] = {}
            labels = {}
            for child in parent:
                if isinstance(child.tag, str):
                    seen[child.tag] = seen.get(child.tag, 0) + 1
                    n = seen[child.tag]
                    labels[id(child)] = f"{child.tag}:nth-of-type({n})" if counts[child.tag] > 1 else child.tag
                    self._alive.append(child)
            self._nth[id(parent)] = labels
            self._alive.append(parent)
        return labels.get(id(node), str(node.tag))

    def path(self, el: etree._Element) -> str:
        """A short CSS path that stops at the nearest ancestor with an id."""
        key = id(el)
        cached = self._paths.get(key)
        if cached is not None:
            return cached
        ident = el.get("id")
        parent = el.getparent()
        if ident and _ID.match(ident):
            result = f"{el.tag}#{ident}"
        elif parent is None or not isinstance(parent.tag, str):
            result = str(el.tag)
        else:
            result = f"{self.path(parent)} > {self._label(el, parent)}"
        self._paths[key] = result
        self._alive.append(el)
        return result


def css_path(el: etree._Element) -> str:
    """The CSS path of one element (use a :class:`PathFinder` for many on one page)."""
    return PathFinder().path(el)
