"""CSS paths that locate an element on a page, computed in linear time.

``css_path`` in a loop over 50,000 sibling links would be quadratic (each call
scans its siblings); :class:`PathFinder` numbers each parent's children once.
"""

from __future__ import annotations

import re

from lxml import etree

_ID = re.compile(r"[A-Za-z][\w-]*\Z")


class PathFinder:
    """Memoising CSS-path builder for one document (and the text of its elements, see :meth:`text`).

    The caches are keyed by ``id()`` of lxml element proxies; lxml frees a
    proxy when nothing refers to it and the next proxy may reuse its id, so
    every keyed element is kept alive here for the finder's lifetime (else a
    link could get another element's path, and two parses of one page differ).
    """

    def __init__(self) -> None:
        # id(parent) -> (count of each child tag, id(child) -> its number among same-tag siblings)
        self._nth: dict[int, tuple[dict[str, int], dict[int, int]]] = {}
        self._paths: dict[int, str] = {}
        self._texts: dict[int, str] = {}
        self._alive: list[etree._Element] = []

    def _label(self, node: etree._Element, parent: etree._Element) -> str:
        # An only child (a third of all elements) needs no numbering.  (Not len(parent) == 1:
        # lxml counts children one by one, which would be quadratic over a long list.)
        if node.getprevious() is None and node.getnext() is None:
            return node.tag
        numbering = self._nth.get(id(parent))
        if numbering is None:
            # One pass over the children numbers them all; the label string is
            # only built for the children someone asks about.
            counts: dict[str, int] = {}
            numbers: dict[int, int] = {}
            children = []
            for child in parent:
                tag = child.tag
                if isinstance(tag, str):
                    n = counts[tag] = counts.get(tag, 0) + 1
                    numbers[id(child)] = n
                    children.append(child)
            self._alive += children
            self._alive.append(parent)
            numbering = self._nth[id(parent)] = (counts, numbers)
        counts, numbers = numbering
        n = numbers.get(id(node))
        if n is None:
            return str(node.tag)
        tag = node.tag
        return f"{tag}:nth-of-type({n})" if counts[tag] > 1 else tag

    def path(self, el: etree._Element) -> str:
        """A short CSS path that stops at the nearest ancestor with an id."""
        paths = self._paths
        result = paths.get(id(el))
        if result is not None:
            return result
        # Climb to the first ancestor whose path is known or ends a path (an id,
        # the top), then build the paths of the elements below it on the way down.
        below: list[tuple[etree._Element, etree._Element]] = []
        node = el
        while True:
            ident = node.get("id")
            if ident and _ID.match(ident):
                result = f"{node.tag}#{ident}"
                break
            parent = node.getparent()
            if parent is None or not isinstance(parent.tag, str):
                result = str(node.tag)
                break
            below.append((node, parent))
            node = parent
            result = paths.get(id(node))
            if result is not None:
                break
        if id(node) not in paths:
            paths[id(node)] = result
            self._alive.append(node)
        for child, parent in reversed(below):
            result = f"{result} > {self._label(child, parent)}"
            paths[id(child)] = result
            self._alive.append(child)
        return result

    def text(self, el: etree._Element) -> str:
        """``el``'s text content with each run of whitespace as one space, trimmed (an lxml.html element).

        Memoised like the paths: link extraction and segmentation both read the
        text of every link on a page.
        """
        key = id(el)
        text = self._texts.get(key)
        if text is None:
            # Most links hold only text: then .text is the text content, without an XPath evaluation.
            content = el.text_content() if len(el) else (el.text or "")
            text = self._texts[key] = " ".join(content.split())
            self._alive.append(el)
        return text


def css_path(el: etree._Element) -> str:
    """The CSS path of one element (use a :class:`PathFinder` for many on one page)."""
    return PathFinder().path(el)
