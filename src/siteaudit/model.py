"""Dataclasses shared by every layer: crawler, extractors, store, rules, report.

They are plain values: no I/O, no Scrapy.  ``asdict`` of each is what the
store writes, so field names are the column names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Outcome(str, Enum):
    """The outcome of checking one link target (lychee-style: a value, not an error)."""

    OK = "ok"
    REDIRECT = "redirect"  # ends in a success after one or more redirects
    BROKEN = "broken"  # 404/410/5xx after retries/DNS/refused/loop
    INDETERMINATE = "indeterminate"  # bot wall, 429 still limited, timeout
    EXCLUDED = "excluded"  # user pattern, robots.txt, private address guard
    UNSUPPORTED = "unsupported"  # javascript:, data:, unknown schemes
    BROKEN_FRAGMENT = "broken-fragment"  # page fine, #fragment not on it

    def __str__(self) -> str:  # so f-strings and click print the value
        return self.value

    @property
    def is_problem(self) -> bool:
        return self in (Outcome.BROKEN, Outcome.BROKEN_FRAGMENT)


@dataclass(slots=True, unsafe_hash=True)
class Segment:
    """One line of visible text, as a person reads it, with where it came from.

    Not frozen, like the other models: segmentation makes hundreds of them per page,
    and a frozen dataclass's ``__init__`` (``object.__setattr__`` per field) costs three
    times a plain one's.  Nothing changes a segment once made, so it still hashes by
    value, as it did when frozen (sets and dict keys of segments keep working).

    ``heading`` is the text of the nearest heading above the line; ``section``
    is the CSS path of the nearest grouping element (section, article, card,
    table row, list item, address) so lines shown together can be grouped into
    an office; ``links`` are the ``(href, anchor text)`` pairs inside the line;
    ``column_header`` is the table header of the cell holding the line.
    """

    text: str
    path: str
    line: int | None = None
    heading: str = ""
    section: str = ""
    links: tuple[tuple[str, str], ...] = ()
    column_header: str = ""


@dataclass(slots=True)
class Finding:
    """One piece of contact information found on a page.

    ``kind`` is phone, email, address, hours, appointment or short_code;
    ``value`` is normalized (E.164, lower-cased email, "street, city, ST zip",
    opening_hours syntax, appointment methods); ``text`` is the text as shown;
    ``label`` the context word that qualifies it ("TTY", "Mailing address");
    ``office`` the heading/office it sits under; ``source`` text, link or
    structured; ``path``/``line`` locate it; ``flags`` note problems
    (``tel-mismatch``, ``invalid``, ``no-tel-link``...); ``data`` holds parsed
    components.
    """

    kind: str
    value: str
    text: str
    label: str = ""
    office: str = ""
    source: str = "text"
    path: str = ""
    line: int | None = None
    phone_type: str | None = None
    flags: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    section: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class Office:
    """A contact block: a name and the findings shown together under it."""

    name: str
    path: str = ""
    line: int | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def kinds(self) -> set[str]:
        return {f.kind for f in self.findings}


@dataclass(slots=True)
class LinkEdge:
    """One occurrence of a link on a page (40 pages linking X = 40 edges)."""

    source: str
    target: str  # absolute, normalized, without fragment
    fragment: str = ""
    element: str = "a"
    attribute: str = "href"
    text: str = ""
    path: str = ""
    line: int | None = None


@dataclass(slots=True)
class LinkCheck:
    """The outcome of checking one unique target, with its evidence."""

    target: str
    outcome: Outcome
    status: int | None = None
    final_url: str = ""
    chain: list[dict] = field(default_factory=list)  # [{url, status}] per hop
    error: str = ""
    elapsed: float | None = None
    method: str = ""
    reason: str = ""
    fragment: str = ""


@dataclass(slots=True)
class Page:
    """A crawled in-scope page (HTML pages are parsed; others only checked)."""

    url: str
    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    title: str = ""
    content_hash: str = ""
    depth: int = 0
    fetched_at: str = ""
    size: int = 0
    anchors: list[str] = field(default_factory=list)
    error: str = ""
    duplicate_of: str = ""  # same content as this earlier page: not extracted twice
