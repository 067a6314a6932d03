"""The table values templates render: columns, rows of cells, pagination.

A cell is plain data (text, an optional URL, an optional sort key, optional
lines); the template escapes everything and decides whether a URL may be a
link.  A table longer than ``page_size`` rows is split: the first page is
shown in place, the rest go to their own HTML files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Cell:
    text: str = ""
    href: str | None = None  # a crawled URL: the template links it only if http(s)/mailto/tel
    sort: Any = None  # data-sort value when the text does not sort well
    badge: str | None = None  # badge style (broken, indeterminate, error, warning, info, new, fixed...)
    lines: list["Cell"] = field(default_factory=list)  # several values in one cell (sources, evidence)
    note: str = ""  # small secondary text (location, link text)
    mono: bool = False


def cell(value: Any, **kw) -> Cell:
    if isinstance(value, Cell):
        return value
    return Cell("" if value is None else str(value), **kw)


@dataclass
class Column:
    label: str
    numeric: bool = False
    nowrap: bool = False  # short labels (kinds, badges) that read badly when broken


@dataclass
class Table:
    id: str
    caption: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    empty: str = "Nothing to show."
    description: str = ""
    page: int = 1
    pages: int = 1
    total: int = 0
    page_files: list[str] = field(default_factory=list)  # file name of each page (page 1 = the host page)
    first_row: int = 1
    row_classes: list[str] = field(default_factory=list)  # optional, one per row (e.g. "group-start")

    def paginate(self, page_size: int, file_for_page) -> list["Table"]:
        """Split into pages of ``page_size`` rows; ``file_for_page(n)`` names page n's file (n >= 2)."""
        self.total = len(self.rows)
        if self.total <= page_size:
            return [self]
        chunks = [self.rows[i:i + page_size] for i in range(0, self.total, page_size)]
        classes = [self.row_classes[i:i + page_size] for i in range(0, self.total, page_size)] \
            if self.row_classes else [[] for _ in chunks]
        files = [None] + [file_for_page(n) for n in range(2, len(chunks) + 1)]
        out = []
        for n, (rows, row_classes) in enumerate(zip(chunks, classes), start=1):
            if row_classes and row_classes[0] == "group-cont":
                row_classes = ["group-start"] + row_classes[1:]  # a page starts a group
            out.append(Table(id=self.id, caption=self.caption, columns=self.columns, rows=rows, empty=self.empty,
                             description=self.description, page=n, pages=len(chunks), total=self.total,
                             page_files=files, first_row=(n - 1) * page_size + 1, row_classes=row_classes))
        return out

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.rows) - 1
