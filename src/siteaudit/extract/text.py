"""Visible-text segmentation: an HTML tree into the lines a person reads.

Block elements and ``<br>`` end a line; inline elements run together.  Script,
style, template and noscript are skipped.  Content hidden until a click is kept:
it is on the page and a person can open it — Bootstrap modals, drop-down menus
with inline ``display:none``, collapsed panels, and elements with the ``hidden``
attribute, which is how the U.S. Web Design System's accordions and megamenus
wait for a click.  ``aria-hidden`` content is kept too: it is shown, only not read
aloud.

Each line remembers its block element (CSS path and source line), the nearest
heading above it, the grouping element it sits in (card, section, table row,
list item, ``<address>``) and the links inside it.

The site's own header, menus and footer — a template region (regions.py) that
sits in no group and outside ``<main>`` — stand apart from the content around
them: the heading above such a landmark does not reach into it (a footer's lines
are not "under" the last heading of the article before it), and
:func:`segment_spans` says where each one's lines are, so the extractors can
read them on their own (extract/__init__.py).  The lines after a landmark see
the last heading inside it, or, if it has none, the heading above it, as before.
A page with more than :data:`MAX_LANDMARKS` of them has none.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from lxml import etree, html

from ..model import Segment
from ..paths import PathFinder, css_path  # noqa: F401 - css_path is part of this module's API
from ..regions import RegionCache, Regions

SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "meta", "link",
     "svg", "canvas", "iframe", "object", "embed", "select", "option", "button"}
)
BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
     "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure",
     "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html",
     "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
     "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "label", "menu"}
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
GROUP_TAGS = frozenset({"section", "article", "address", "li", "tr", "aside", "dl",
                        "footer", "header", "fieldset", "details", "dialog"})
_MARKED = etree.XPath("descendant-or-self::*/@data-cfemail")
_CARD_CLASS = re.compile(r"\b(card|office|location|contact|vcard|panel|block|widget|col)\b", re.I)
_ID_RE = re.compile(r"[A-Za-z][\w-]*")


def parse_html(source: str | bytes, base_url: str | None = None) -> html.HtmlElement:
    """Parse a document into an lxml tree; never raises on malformed markup.

    Empty or unparseable input gives an empty ``<html>`` element.
    """
    if isinstance(source, str):
        # lxml refuses str input that carries an XML encoding declaration
        source = source.encode("utf-8")
        encoding: str | None = "utf-8"
    else:
        encoding = _sniff_encoding(source)
    if not source or source.isspace():  # not source.strip(), which copies the page to find out
        return html.fromstring("<html></html>")
    try:
        parser = _parser(encoding)
        return html.document_fromstring(source, parser=parser, base_url=base_url)
    except (etree.ParserError, ValueError):
        return html.fromstring("<html></html>")


_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w-]{1,40})""", re.I)
_PARSERS: dict[str | None, html.HTMLParser] = {}


def _html_classes() -> etree.ElementNamespaceClassLookup:
    """lxml.html's element classes (HtmlElement, FormElement, InputElement...), looked up in C.

    lxml.html's own lookup is a Python method that lxml calls each time it
    makes a Python object for an element, several times per element and pass
    on a page; this one maps the same tag names to the same classes without
    calling back into Python.
    """
    lookup = etree.ElementNamespaceClassLookup(etree.ElementDefaultClassLookup(
        element=html.HtmlElement, comment=html.HtmlComment, pi=html.HtmlProcessingInstruction,
        entity=html.HtmlEntity))
    lookup.get_namespace(None).update(html.HtmlElementClassLookup._default_element_classes)
    return lookup


def _parser(encoding: str | None) -> html.HTMLParser:
    if encoding not in _PARSERS:
        try:
            parser = html.HTMLParser(encoding=encoding)
        except LookupError:
            parser = html.HTMLParser()
        parser.set_element_class_lookup(_html_classes())
        _PARSERS[encoding] = parser
    return _PARSERS[encoding]


def _sniff_encoding(source: bytes) -> str | None:
    """The declared charset, else UTF-8 when the bytes decode as UTF-8.

    libxml2 falls back to Latin-1 for undeclared documents; most pages without
    a declaration today are UTF-8.
    """
    if source[:3] == b"\xef\xbb\xbf":
        return "utf-8"
    m = _CHARSET_RE.search(source[:4096])
    if m:
        return None  # let lxml honour the declaration
    try:
        source.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "utf-8"


def _is_group(el: etree._Element, tag: str) -> bool:
    if tag in GROUP_TAGS:
        return True
    if tag != "div":
        return False
    cls = el.get("class")
    return bool(cls) and _card_class(cls)


@lru_cache(maxsize=4096)  # a page repeats the same few class attributes on many of its divs
def _card_class(cls: str) -> bool:
    return _CARD_CLASS.search(cls) is not None


class _Builder:
    def __init__(self, paths: PathFinder | None = None) -> None:
        self.segments: list[Segment] = []
        self.parts: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.block: etree._Element | None = None
        self.heading = ""
        self.group_stack: list[etree._Element] = []
        self.header_stack: list[str] = []
        self.paths = paths if paths is not None else PathFinder()

    def flush(self) -> None:
        if not self.parts and not self.links:
            return
        raw = "".join(self.parts)
        text = _clean(raw)
        if text:
            block = self.block
            group = self.group_stack[-1] if self.group_stack else None
            self.segments.append(
                Segment(
                    text=text,
                    path=self.paths.path(block) if block is not None else "",
                    line=block.sourceline if block is not None else None,
                    heading=self.heading,
                    section=self.paths.path(group) if group is not None else "",
                    links=tuple(self.links),
                    column_header=self.header_stack[-1] if self.header_stack else "",
                )
            )
        self.parts.clear()
        self.links = []


def _squash(text: str) -> str:
    r"""Runs of whitespace as one space, trimmed.

    The same as ``re.sub(r"\s+", " ", text).strip()`` (``str.split`` and the
    regex agree on every whitespace character), several times faster.
    """
    return " ".join(text.split())


def _clean(raw: str) -> str:
    """Collapse whitespace; drop an image's alt text that repeats its caption ("Scanning Scanning")."""
    text = " ".join(raw.split())
    half = len(text) // 2
    if len(text) % 2 and text[half] == " " and text[:half] == text[half + 1:]:
        text = text[:half]
    return text


def _column_headers(table: etree._Element) -> list[str]:
    """The header cells of a table's first row that is all <th> (or thead row)."""
    for row in table.iter("tr"):
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("th", "td")]
        if cells and all(c.tag == "th" for c in cells):
            return [_cell_text(c) for c in cells]
        return []
    return []


def _cell_text(cell: etree._Element) -> str:
    """A header cell's text, a ``<br>`` or block inside it read as a space ("Sunday<br>Oct 12" is
    "Sunday Oct 12", where ``text_content`` gives "SundayOct 12"); iterative, like the walk."""
    parts: list[str] = []
    for event, el in etree.iterwalk(cell, events=("start", "end")):
        if event == "start":
            if el is not cell and isinstance(el.tag, str) and (el.tag == "br" or el.tag in BLOCK_TAGS):
                parts.append(" ")
            if el.text and isinstance(el.tag, str):
                parts.append(el.text)
        elif el is not cell and el.tail:
            parts.append(el.tail)
    return _squash("".join(parts))


# What segmentation made of the template regions of recent pages (see regions.py).
REGION_SEGMENTS = RegionCache()


# A page with more landmarks than this has none: each one is read on its own, and a page of
# 4,000 top-level <nav> blocks read as 8,000 parts cost 2.5 times its reading as one.
MAX_LANDMARKS = 16


class RegionSpan(NamedTuple):
    """Where a page landmark's lines are in a page's segments: ``segments[start:end]``.

    ``key`` is its region key when the caller passed ``regions`` (so what is made of its
    lines may be kept and reused; None otherwise or when it cannot be keyed), and
    ``first_line`` the source line of its element (line numbers move with the page).
    """

    start: int
    end: int
    key: tuple | None
    first_line: int | None


def segment(root: etree._Element, paths: PathFinder | None = None, regions: Regions | None = None) -> list[Segment]:
    """Split a parsed document (from :func:`parse_html`) into visible lines.

    Returns segments in document order.  Never raises on odd trees; the walk
    is iterative (lxml's ``iterwalk``), so deeply nested markup cannot
    overflow the stack, and each element is visited once.  ``paths`` lets the
    caller share one :class:`PathFinder` with link extraction on the same tree;
    with ``regions`` (made with that PathFinder) the lines of a template region
    another page had are reused from :data:`REGION_SEGMENTS`: the same lines.
    A page landmark's lines never carry the heading above it (module docstring).
    """
    return segment_spans(root, paths, regions)[0]


def segment_spans(root: etree._Element, paths: PathFinder | None = None,
                  regions: Regions | None = None) -> tuple[list[Segment], list[RegionSpan]]:
    """:func:`segment`, and where the lines of each page landmark that has any are (in order)."""
    if regions is not None:
        regions.require(paths)
    b = _Builder(paths)
    parts = b.parts
    add = parts.append
    found = regions if regions is not None else Regions(root, b.paths)
    landmarks = {ident for ident, el in found.roots.items() if _stands_alone(el)}
    if len(landmarks) > MAX_LANDMARKS:
        landmarks = set()  # hundreds of top-level <nav> or <header> blocks: content, not the site's frame
    spans: list[RegionSpan] = []
    apart = None  # [element, heading above it, index of its first line, key] while in a landmark
    table_headers: dict[int, tuple[etree._Element, list[str]]] = {}
    skipped: set[int] = set()  # ids of elements whose subtree is skipped (kept alive by the walk)
    # The few elements with a data-cfemail attribute, found by libxml2 in one pass: asking every
    # element for it costs more than the rest of the walk.
    owners = [value.getparent() for value in _MARKED(root)]  # kept alive: their ids are the keys
    marked = {id(el) for el in owners}
    recording = None  # while in a region new to the cache: see _enter_region
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    # The hot loop of a page: each lxml property (tag, text, tail) is read once,
    # and flush() is only called when there is something to flush.
    for event, el in walker:
        if event == "start":
            tag = el.tag
            special = marked and id(el) in marked
            if tag in SKIP_TAGS:
                walker.skip_subtree()
                skipped.add(id(el))
                continue
            if tag == "br":
                if parts or b.links:
                    b.flush()
                skipped.add(id(el))
                continue
            if tag in BLOCK_TAGS:
                if parts or b.links:
                    b.flush()
                if id(el) in found.roots:
                    if id(el) in landmarks:
                        apart = [el, b.heading, len(b.segments), found.key(el) if regions is not None else None]
                        b.heading = ""
                    replayed = False
                    if regions is not None:
                        replayed, recording = _enter_region(b, el, tag, regions)
                    if replayed:  # its lines are in, from the cache
                        walker.skip_subtree()
                        skipped.add(id(el))
                        b.block = _nearest_block(el.getparent())
                        if apart is not None:
                            _leave_landmark(b, apart, spans)
                            apart = None
                        continue
                b.block = el
                if _is_group(el, tag):
                    b.group_stack.append(el)
                if tag == "table":
                    table_headers[id(el)] = (el, _column_headers(el))
                elif tag == "td" or tag == "th":
                    b.header_stack.append(_cell_header(el, table_headers))
            elif tag == "a":
                if el.get("href"):
                    b.links.append(_link(el, b.paths))
            elif tag == "img":
                alt = el.get("alt")
                if alt:
                    add(" " + alt + " ")
            cf = el.get("data-cfemail") if special else None
            if cf is not None:
                # Cloudflare email protection: show what the browser's script shows.
                add(decode_cfemail(cf) or el.text_content())
                walker.skip_subtree()
                skipped.add(id(el))
                continue
            text = el.text
            if text:
                add(text)
        elif event == "end":
            if skipped and id(el) in skipped:
                skipped.discard(id(el))
            else:
                tag = el.tag
                if tag in BLOCK_TAGS:
                    if tag in HEADING_TAGS:
                        text = _clean("".join(parts))
                        if parts or b.links:
                            b.flush()
                        if text:
                            b.heading = text
                            if recording is not None and recording[3] is None:
                                recording[3] = len(b.segments)  # the region's lines above this one: the heading before
                    elif parts or b.links:
                        b.flush()
                    if b.group_stack and b.group_stack[-1] is el:
                        b.group_stack.pop()
                    if (tag == "td" or tag == "th") and b.header_stack:
                        b.header_stack.pop()
                    b.block = _nearest_block(el.getparent())
                    if recording is not None and recording[0] is el:
                        _leave_region(b, recording)
                        recording = None
                    if apart is not None and apart[0] is el:
                        _leave_landmark(b, apart, spans)
                        apart = None
            tail = el.tail
            if tail:
                add(tail)
        else:  # comment or processing instruction: only its tail is text
            tail = el.tail
            if tail:
                add(tail)
    b.flush()
    return b.segments, spans


def _stands_alone(el: etree._Element) -> bool:
    """Is this template region a page landmark: in no group (card, section, list item...) and not
    in the page's main content?  A footer inside an office's card belongs to the card."""
    for up in el.iterancestors():
        tag = up.tag
        if tag == "main" or _is_group(up, tag) or (up.get("role") or "").strip().lower() == "main":
            return False
    return True


def _leave_landmark(b: _Builder, apart: list, spans: list[RegionSpan]) -> None:
    """At the end of a page landmark: note its lines; the heading above it comes back unless it had one."""
    el, above, start, key = apart
    if not b.heading:  # no heading inside it: the lines after it are under the one above it again
        b.heading = above
    if len(b.segments) > start:
        spans.append(RegionSpan(start, len(b.segments), key, el.sourceline))


def _enter_region(b: _Builder, el: etree._Element, tag: str, regions: Regions) -> tuple[bool, list | None]:
    """At the start of a template region: add its lines from the cache (True, None), or say
    what :func:`_leave_region` needs to keep them once the walk has made them (False, ...).

    A region's lines read two things from around it: the heading above it (the lines before
    its own first heading carry it; that heading is put in on reuse) and the group it sits
    in, unless the region's element is a group itself (a header, a footer), which then holds
    all its lines.  The cell around it is in the key too, though regions are not in tables.
    """
    region = regions.key(el)
    if region is None:
        return False, None  # not cacheable: segmented as usual, nothing kept
    group = None
    if not _is_group(el, tag) and b.group_stack:
        group = b.paths.path(b.group_stack[-1])
    key = (region, group, b.header_stack[-1] if b.header_stack else "")
    cached = REGION_SEGMENTS.get(key)
    if cached is None:
        # [element, key, index of its first line, index of the first line after its first heading]
        return False, [el, key, len(b.segments), None]
    first_line, segments, above, heading = cached
    shift = el.sourceline - first_line
    entry = b.heading
    b.segments += [Segment(text=s.text, path=s.path, line=s.line + shift, heading=entry if n < above else s.heading,
                           section=s.section, links=s.links, column_header=s.column_header)
                   for n, s in enumerate(segments)]
    if heading is not None:
        b.heading = heading
    return True, None


def _leave_region(b: _Builder, recording: list) -> None:
    el, key, start, headed = recording
    made = b.segments[start:]
    # (lines made before the region's first heading, its last heading: None when it has none)
    above, heading = (len(made), None) if headed is None else (headed - start, b.heading)
    REGION_SEGMENTS.put(key, (el.sourceline, made, above, heading))


def decode_cfemail(hexstring: str) -> str | None:
    """Decode a Cloudflare ``data-cfemail`` / ``email-protection#`` hex string (None if malformed)."""
    try:
        data = bytes.fromhex(hexstring.strip())
    except ValueError:
        return None
    if len(data) < 2:
        return None
    try:
        return bytes(b ^ data[0] for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _link(a: etree._Element, paths: PathFinder) -> tuple[str, str]:
    """``(href, anchor text)`` of a link, with Cloudflare-protected addresses decoded."""
    href = a.get("href").strip()
    text = paths.text(a)  # link extraction read it already, with the same PathFinder
    address = None
    if "/cdn-cgi/l/email-protection#" in href:
        address = decode_cfemail(href.rsplit("#", 1)[1])
        if address:
            href = "mailto:" + address
    if "]" in text and "protected]" in text.lower():  # Cloudflare's "[email protected]" placeholder
        node = next(a.iterfind(".//*[@data-cfemail]"), None)
        shown = decode_cfemail(node.get("data-cfemail")) if node is not None else address
        if shown:
            text = text.replace(text[text.lower().index("[email"):text.lower().index("protected]") + 10], shown) \
                if "[email" in text.lower() else shown
    return href, text


def _nearest_block(el: etree._Element | None) -> etree._Element | None:
    while el is not None and not (isinstance(el.tag, str) and el.tag in BLOCK_TAGS):
        el = el.getparent()
    return el


def _cell_header(cell: etree._Element, table_headers: dict[int, list[str]]) -> str:
    row = cell.getparent()
    if row is None:
        return ""
    table = row.getparent()
    while table is not None and table.tag != "table":
        table = table.getparent()
    if table is None:
        return ""
    hit = table_headers.get(id(table))
    headers = hit[1] if hit is not None and hit[0] is table else []
    if not headers:
        return ""  # most tables (layout, data without a header row): no need to find the cell's column
    cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
    idx = cells.index(cell) if cell in cells else -1
    if 0 <= idx < len(headers) and headers[idx] != _squash(cell.text_content()):
        return headers[idx]
    return ""


def visible_text(root: etree._Element) -> str:
    """All visible lines joined by newlines (handy for regex passes and tests)."""
    return "\n".join(s.text for s in segment(root))
