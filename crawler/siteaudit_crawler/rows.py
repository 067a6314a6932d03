"""The store's rows: how each value the crawl collects becomes a row of its table.

The store pipeline writes these rows; the page worker (pagework.py) builds a
page's rows itself, so what crosses the process boundary is plain tuples of
SQLite values (cheap to pickle: about a fifth of the dataclasses' cost) and the
crawler process only appends them to its write buffers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter

from siteaudit import store
from siteaudit.model import Finding, LinkCheck, LinkEdge, Office, Page


class TableRows:
    """How one dataclass becomes rows of one table: the columns, and a tuple per object.

    Rows are tuples in column order, built with one ``attrgetter`` call (C), so a
    page's 40 link rows cost microseconds; only the list/dict fields are JSON-encoded.
    The table's own columns come from the dataclass, so the two cannot drift apart.
    """

    def __init__(self, table: str, cls, *, before: tuple[str, ...] = ("run_id",), drop: tuple[str, ...] = (),
                 as_json: tuple[str, ...] = (), as_str: tuple[str, ...] = (), after: tuple[str, ...] = ()):
        names = [f.name for f in fields(cls) if f.name not in drop]
        self.table = table
        self.columns = (*before, *names, *after)
        self.get = attrgetter(*names)
        self.convert = (tuple((names.index(n), store.json_cell) for n in as_json)
                        + tuple((names.index(n), str) for n in as_str))

    def values(self, obj) -> tuple:
        values = self.get(obj)
        if self.convert:
            values = list(values)
            for i, convert in self.convert:
                values[i] = convert(values[i])
        return tuple(values)


PAGES = TableRows("pages", Page, as_json=("anchors",))
LINKS = TableRows("links", LinkEdge)
FINDINGS = TableRows("findings", Finding, before=("run_id", "url", "office_key"), drop=("section",),
                     as_json=("flags", "data"))
CHECKS = TableRows("link_checks", LinkCheck, as_json=("chain",), as_str=("outcome",), after=("checked_at",))
OFFICE_COLUMNS = ("run_id", "url", "office_key", "name", "path", "line", "kinds")
PAGE_TEXT_COLUMNS = ("run_id", "url", "headings", "text", "last_updated")


@dataclass
class PageRows:
    """One page's rows for ``links``, ``findings``, ``offices`` and ``page_text``."""

    links: list[tuple] = field(default_factory=list)
    findings: list[tuple] = field(default_factory=list)
    offices: list[tuple] = field(default_factory=list)
    text: list[tuple] = field(default_factory=list)  # at most one row


def page_rows(run_id: int, url: str, edges: list[LinkEdge], findings: list[Finding], offices: list[Office],
              facts: dict | None) -> PageRows:
    """The rows of one analysed page (``facts`` None: no page_text row)."""
    keys = {id(f): i for i, office in enumerate(offices) for f in office.findings}
    rows = PageRows(
        links=[(run_id, *LINKS.get(e)) for e in edges],
        findings=[(run_id, url, keys.get(id(f)), *FINDINGS.values(f)) for f in findings],
        offices=[(run_id, url, i, o.name, o.path, o.line, store.json_cell(sorted(o.kinds)))
                 for i, o in enumerate(offices)])
    if facts is not None:
        rows.text.append((run_id, url, store.json_cell(facts.get("headings") or []), facts.get("text") or "",
                          facts.get("last_updated")))
    return rows
