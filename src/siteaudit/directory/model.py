"""The values the directory layer passes around: entries, row errors, results."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from enum import Enum

ENTRY_FIELDS = (
    "name", "first_name", "middle_name", "last_name", "preferred_name", "email", "phone",
    "title", "unit", "status", "start_date", "end_date", "public_contact", "type", "id",
)
STATUSES = ("active", "leave", "terminated")
ENTRY_TYPES = ("person", "shared", "main_line")


@dataclass(slots=True)
class DirectoryEntry:
    """One row of a staff directory: a person, a shared/role mailbox or a main line.

    ``row`` is the source row number (the header is row 1); ``phones`` are E.164
    strings, with ``;ext=N`` for an extension, as the crawler stores them;
    ``aliases`` are other names the person goes by (the preferred name).
    """

    row: int
    name: str
    email: str = ""
    phones: tuple[str, ...] = ()
    title: str = ""
    unit: str = ""
    status: str = "active"
    start_date: date | None = None
    end_date: date | None = None
    public_contact: bool = False
    entry_type: str = "person"
    aliases: tuple[str, ...] = ()
    source_id: str = ""

    @property
    def is_person(self) -> bool:
        return self.entry_type == "person"

    @property
    def label(self) -> str:
        return self.name or self.email or (self.phones[0] if self.phones else f"row {self.row}")

    def to_dict(self) -> dict:
        d = asdict(self)
        d["phones"] = list(self.phones)
        d["aliases"] = list(self.aliases)
        for k in ("start_date", "end_date"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row of an import was rejected: row number, column header, value, reason."""

    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        col = f" column {self.column!r}" if self.column else ""
        return f"row {self.row}{col}: {self.reason}"


@dataclass(slots=True)
class ImportResult:
    """What an importer produced: the good entries, the rejects and how it read the source."""

    source: str
    source_kind: str
    entries: list[DirectoryEntry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0
    blank_rows: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # header -> field
    ignored_columns: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})


class Category(str, Enum):
    """The outcome of comparing one directory entry or site value with the other side."""

    DEPARTED = "departed"  # terminated staff still shown on the site
    UNKNOWN = "unknown"  # personal email / person's name on the site that matches nobody
    MISMATCH = "mismatch"  # the site shows a person with a phone/email the directory does not have
    MISSING = "missing"  # active public contact shown nowhere on the site
    OK = "ok"  # matched and consistent

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where a value or name was seen: a finding row of the run, and what matched."""

    url: str
    match: str  # email | phone | name
    value: str  # the normalized value, or the directory name for a name match
    text: str
    path: str = ""
    line: int | None = None
    office: str = ""
    label: str = ""
    finding_id: int | None = None


@dataclass(slots=True)
class DirectoryResult:
    """One line of the diff: a category, who, which value, where and how late.

    departed and ok are one line per person (``value`` lists what the site
    shows: emails, phones, then names); mismatch and unknown one line per
    value shown; missing one line per person with the directory's email/phone.

    ``business_days`` counts business days since the end date (departed) or
    start date (missing); ``window_passed`` tells whether the policy window is
    over (None when there is no date to count from).
    """

    category: Category
    person: str
    value: str
    value_kind: str  # email | phone | name, or what was seen for a person: "email,phone,name"
    occurrences: list[Occurrence] = field(default_factory=list)
    entry_row: int | None = None
    business_days: int | None = None
    window_passed: bool | None = None
    detail: str = ""

    @property
    def pages(self) -> list[str]:
        return sorted({o.url for o in self.occurrences})

    def to_dict(self) -> dict:
        return {
            "category": self.category.value,
            "person": self.person,
            "value": self.value,
            "value_kind": self.value_kind,
            "pages": self.pages,
            "business_days": self.business_days,
            "window_passed": self.window_passed,
            "detail": self.detail,
            "entry_row": self.entry_row,
            "occurrences": [asdict(o) for o in self.occurrences],
        }
