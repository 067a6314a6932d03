"""Staff-directory importers: one small interface, a CSV implementation, row validation.

An importer turns a source (a CSV export today; LDAP or an HR API later) into
an :class:`ImportResult`: the good :class:`DirectoryEntry` rows and one
:class:`RowError` per problem, each naming the row, the column and the reason.
Nothing is dropped silently: blank rows are counted and columns that map to no
field are listed.

A new source implements :class:`DirectorySource` (``kind`` and ``read()``) and
hands ``(row, [(column, field, value), ...])`` records to
:func:`validate_records`, so every source gets the same validation.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Protocol

import phonenumbers

from ..errors import DirectoryImportError
from .model import ENTRY_FIELDS, DirectoryEntry, ImportResult, RowError
from .names import fold_text, name_key

__all__ = [
    "CsvDirectorySource",
    "DirectorySource",
    "HEADER_ALIASES",
    "map_headers",
    "open_source",
    "parse_date",
    "parse_mapping",
    "parse_phones",
    "read_text",
    "sniff_delimiter",
    "validate_records",
]

log = logging.getLogger(__name__)


class DirectorySource(Protocol):
    """Anything that can produce a directory import (CSV file, LDAP query, HR API)."""

    kind: str
    source: str

    def read(self) -> ImportResult:
        """Read the whole source; raise DirectoryImportError only when nothing is usable."""
        ...


# Header names seen in Workday and Outlook exports, folded (lower case, letters
# and digits only).  ``--map`` overrides these.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "display name", "worker", "employee", "employee name",
             "legal name", "staff name", "contact name", "person"),
    "first_name": ("first name", "given name", "first", "legal first name", "firstname"),
    "middle_name": ("middle name", "middle initial", "middle"),
    "last_name": ("last name", "surname", "family name", "last", "legal last name", "lastname"),
    "preferred_name": ("preferred name", "preferred first name", "nickname", "goes by"),
    "email": ("email", "e-mail", "email address", "e-mail address", "work email", "email - work",
              "email work", "primary work email", "business email", "mail", "smtp address",
              "primary smtp address", "e-mail 1 - value"),
    "phone": ("phone", "phone number", "work phone", "phone - work", "phone work", "business phone",
              "business phone 2", "telephone", "office phone", "primary work phone", "desk phone",
              "direct line", "mobile phone", "mobile", "cell", "cell phone", "work mobile"),
    "ext": ("ext", "extension", "phone extension", "work extension"),
    "title": ("title", "job title", "business title", "position", "position title", "job profile",
              "working title"),
    "unit": ("department", "program", "unit", "division", "office", "supervisory organization",
             "organization", "team", "section", "program unit"),
    "status": ("status", "worker status", "employee status", "employment status", "active status"),
    "start_date": ("start date", "hire date", "original hire date", "start", "date hired",
                   "hired", "begin date"),
    "end_date": ("end date", "termination date", "separation date", "last day", "last day of work",
                 "term date", "end", "terminated on"),
    "public_contact": ("public contact", "public", "publicly listed", "show on website", "listed",
                       "web listed", "public facing", "website contact"),
    "type": ("type", "entry type", "kind", "account type", "contact type", "record type"),
    "id": ("employee id", "employee number", "worker id", "id", "emplid", "employee #"),
}
FIELDS = ENTRY_FIELDS + ("ext",)
MULTI_FIELDS = frozenset({"phone"})  # several columns may feed these


def _fold_header(h: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", fold_text(h))


_ALIAS_LOOKUP = {_fold_header(a): f for f, aliases in HEADER_ALIASES.items() for a in aliases}

_STATUS = {
    # yes/no: Workday's "Active Status" column
    "active": ("active", "a", "employed", "current", "working", "yes", "y", "true"),
    "leave": ("leave", "on leave", "loa", "leave of absence", "paid leave", "unpaid leave",
              "leave with pay", "leave without pay"),
    "terminated": ("terminated", "term", "t", "inactive", "separated", "departed", "retired",
                   "resigned", "former", "ended", "no longer employed", "withdrawn", "left", "no", "n", "false"),
}
_STATUS_LOOKUP = {_fold_header(v): s for s, vs in _STATUS.items() for v in vs}
_TYPE = {
    "person": ("person", "employee", "staff", "individual", "user", "worker", "contractor"),
    "shared": ("shared", "shared mailbox", "role", "role mailbox", "mailbox", "group", "generic",
               "resource", "distribution list", "team mailbox"),
    "main_line": ("main line", "main", "line", "main number", "general line", "phone line",
                  "switchboard", "hotline"),
}
_TYPE_LOOKUP = {_fold_header(v): t for t, vs in _TYPE.items() for v in vs}
_TRUE = {"yes", "y", "true", "t", "1", "x", "public", "listed"}
_FALSE = {"no", "n", "false", "f", "0", "private", "unlisted", ""}

_DATE_FORMATS = (
    "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d", "%m-%d-%Y", "%d-%b-%Y", "%d-%b-%y",
    "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y", "%d %b %Y", "%d %B %Y", "%Y%m%d",
    "%m.%d.%Y",
)
_TIME_SUFFIX = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)$")
_EMAIL = re.compile(r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")
_PHONE_SPLIT = re.compile(r"\s*(?:[;,/|]|\bor\b)\s*", re.I)


def parse_date(text: str) -> date:
    """Parse a date in a common export format (US month-first when ambiguous).

    Accepts ISO (2026-11-25, with or without a time), 11/25/2026, 11/25/26,
    25-Nov-2026, "Nov 25, 2026" and similar.  Raises ValueError otherwise.
    """
    s = _TIME_SUFFIX.sub("", text.strip())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD or MM/DD/YYYY)")


def parse_phones(text: str, region: str = "US") -> list[str]:
    """Parse one or more phone numbers ("503-555-0142 x12; 503-555-0100") into E.164.

    An extension is kept as ``;ext=N``, the way the crawler stores it.  Raises
    ValueError naming the first part that is not a full phone number.
    """
    out: list[str] = []
    for part in _PHONE_SPLIT.split(text.strip()):
        if not part:
            continue
        try:
            num = phonenumbers.parse(part, region)
        except phonenumbers.NumberParseException as exc:
            raise ValueError(f"not a phone number: {part!r}") from exc
        if phonenumbers.is_possible_number_with_reason(num) != phonenumbers.ValidationResult.IS_POSSIBLE:
            raise ValueError(f"not a full phone number with area code: {part!r}")
        value = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
        if num.extension:
            value += f";ext={num.extension}"
        if value not in out:
            out.append(value)
    return out


def read_text(path: Path) -> tuple[str, str]:
    """Read ``path`` and sniff its encoding; returns ``(text, encoding)``.

    A BOM decides (UTF-8, UTF-16); otherwise UTF-8 if it decodes, then
    Windows-1252 (what Excel writes on Windows), then Latin-1.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DirectoryImportError(f"{path}: cannot read: {exc.strerror}") from exc
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise DirectoryImportError(f"{path}: starts with a {enc} BOM but does not decode: {exc}") from exc
    if b"\x00" in raw[:4096]:
        raise DirectoryImportError(f"{path}: looks like a binary file (an .xlsx?); export it as CSV")
    for enc in ("utf-8", "cp1252", "latin-1"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the most frequent of , ; tab | (comma on a tie)."""
    header = next((ln for ln in text.splitlines() if ln.strip()), "")
    header = re.sub(r'"[^"]*"', "", header)  # delimiters inside quoted headers do not count
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``["Work Cell=phone", "Notes=ignore"]`` -> ``{"Work Cell": "phone", ...}``; validates fields."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, fld = pair.partition("=")
        fld = fld.strip().lower().replace("-", "_").replace(" ", "_")
        if not sep or not column.strip() or not fld:
            raise DirectoryImportError(f"--map {pair!r}: use COLUMN=FIELD, e.g. 'Work Cell=phone'")
        if fld not in FIELDS and fld != "ignore":
            raise DirectoryImportError(f"--map {pair!r}: unknown field {fld!r}; fields: {', '.join(FIELDS)}, ignore")
        mapping[column.strip()] = fld
    return mapping


def map_headers(headers: list[str], overrides: dict[str, str] | None = None) -> tuple[list[str | None], list[str]]:
    """The field each column feeds (None = ignored) and the list of ignored headers.

    ``overrides`` (from ``--map``) win over the alias table; a header named in
    ``overrides`` that is not in the file is an error.  Only phone may come
    from several columns; a second column for another field is ignored.
    """
    overrides = overrides or {}
    folded = {_fold_header(h): i for i, h in enumerate(headers)}
    by_index: dict[int, str] = {}
    for column, fld in overrides.items():
        idx = folded.get(_fold_header(column))
        if idx is None:
            raise DirectoryImportError(f"--map {column}={fld}: no column {column!r}; columns are: {', '.join(headers)}")
        by_index[idx] = fld
    fields: list[str | None] = []
    taken = {f for f in by_index.values() if f not in MULTI_FIELDS}
    for i, h in enumerate(headers):
        if i in by_index:
            fields.append(None if by_index[i] == "ignore" else by_index[i])
            continue
        key = _fold_header(h)
        fld = _ALIAS_LOOKUP.get(key) or _ALIAS_LOOKUP.get(key.rstrip("0123456789"))
        if fld and (fld in MULTI_FIELDS or fld not in taken):
            taken.add(fld)
            fields.append(fld)
        else:
            fields.append(None)
    ignored = [h for h, f in zip(headers, fields) if f is None]
    return fields, ignored


class CsvDirectorySource:
    """A CSV (or TSV/semicolon) directory export: Workday- or Outlook-style headers."""

    kind = "csv"

    def __init__(self, path: str | Path, mapping: dict[str, str] | None = None, region: str = "US"):
        self.path = Path(path)
        self.source = str(path)
        self.mapping = mapping or {}
        self.region = region

    def read(self) -> ImportResult:
        text, encoding = read_text(self.path)
        delimiter = sniff_delimiter(text)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header: list[str] | None = None
        line_end = 0
        result = ImportResult(source=self.source, source_kind=self.kind, encoding=encoding, delimiter=delimiter)
        records: list[tuple[int, list[tuple[str, str, str]]]] = []
        fields: list[str | None] = []
        try:
            for cells in reader:
                row, line_end = line_end + 1, reader.line_num
                if not any(c.strip() for c in cells):
                    if header is not None:
                        result.blank_rows += 1
                    continue
                if header is None:
                    header = [c.strip() for c in cells]
                    fields, result.ignored_columns = map_headers(header, self.mapping)
                    self._check_header(header, fields)
                    result.columns = {h: f for h, f in zip(header, fields) if f}
                    continue
                result.rows_read += 1
                if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                    result.errors.append(RowError(
                        row, "", delimiter.join(cells[len(header):]),
                        f"row has {len(cells)} cells but the header has {len(header)} "
                        "(an unquoted delimiter inside a value?)"))
                    continue
                records.append((row, [(h, f, c) for h, f, c in zip(header, fields, cells) if f]))
        except csv.Error as exc:
            raise DirectoryImportError(f"{self.path}:{line_end + 1}: malformed CSV: {exc}") from exc
        if header is None:
            raise DirectoryImportError(f"{self.path}: empty file, no header row")
        entries, errors = validate_records(records, region=self.region)
        result.entries = entries
        result.errors = sorted(result.errors + errors, key=lambda e: e.row)
        return result

    def _check_header(self, header: list[str], fields: list[str | None]) -> None:
        present = set(fields)
        if not present & {"name", "first_name", "last_name", "email"}:
            raise DirectoryImportError(
                f"{self.path}: no name or email column among {', '.join(header)}; "
                "map one with --map 'COLUMN=name' or --map 'COLUMN=email'")


def open_source(path: str | Path, mapping: dict[str, str] | None = None) -> DirectorySource:
    """The importer for ``path`` (CSV-like files today)."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xls", ".ods"):
        raise DirectoryImportError(f"{p}: spreadsheets are not read directly; save it as CSV")
    return CsvDirectorySource(p, mapping)


def validate_records(
    records: Iterable[tuple[int, list[tuple[str, str, str]]]], region: str = "US"
) -> tuple[list[DirectoryEntry], list[RowError]]:
    """Validate raw records into entries; every problem becomes a RowError.

    Each record is ``(row, [(column, field, raw value), ...])``.  A row with any
    error is rejected whole (a half-read person would give wrong diffs).  The
    second row with an email already used is rejected too.
    """
    entries: list[DirectoryEntry] = []
    errors: list[RowError] = []
    seen_email: dict[str, int] = {}
    for row, cells in records:
        entry, row_errors = _validate_row(row, cells, region)
        if entry is not None and entry.email and entry.email in seen_email:
            col = next((c for c, f, _ in cells if f == "email"), "email")
            row_errors.append(RowError(row, col, entry.email, f"email already used on row {seen_email[entry.email]}"))
        if row_errors:
            errors.extend(row_errors)
            continue
        assert entry is not None
        if entry.email:
            seen_email[entry.email] = row
        entries.append(entry)
    return entries, errors


def _validate_row(row: int, cells: list[tuple[str, str, str]], region: str) -> tuple[DirectoryEntry | None, list[RowError]]:
    errs: list[RowError] = []
    values: dict[str, tuple[str, str]] = {}
    phones: list[str] = []
    for column, fld, raw in cells:
        raw = raw.strip()
        if fld == "phone":
            if raw:
                try:
                    phones.extend(p for p in parse_phones(raw, region) if p not in phones)
                except ValueError as exc:
                    errs.append(RowError(row, column, raw, str(exc)))
            continue
        values.setdefault(fld, (column, raw))

    def get(fld: str) -> str:
        return values.get(fld, ("", ""))[1]

    def col(fld: str) -> str:
        return values.get(fld, (fld, ""))[0]

    ext = get("ext")
    if ext:
        digits = re.sub(r"^(?:ext\.?|x)\s*", "", ext, flags=re.I)
        if not digits.isdigit():
            errs.append(RowError(row, col("ext"), ext, "extension must be digits"))
        elif not phones:
            errs.append(RowError(row, col("ext"), ext, "extension given without a phone number"))
        elif ";ext=" not in phones[0]:
            phones[0] = f"{phones[0]};ext={digits}"

    email = get("email").lower().removeprefix("mailto:").strip("<> ")
    if email and not _EMAIL.match(email):
        errs.append(RowError(row, col("email"), get("email"), "not an email address"))

    name = get("name")
    if not name:
        name = " ".join(p for p in (get("first_name"), get("middle_name"), get("last_name")) if p)
    elif "," in name and name_key(name) is not None:  # "Last, First M." -> "First M. Last"
        last, _, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}"

    raw_type = get("type")
    if raw_type:
        entry_type = _TYPE_LOOKUP.get(_fold_header(raw_type))
        if entry_type is None:
            errs.append(RowError(row, col("type"), raw_type, "type must be person, shared (mailbox) or main line"))
            entry_type = "person"
    else:  # shared mailboxes and main lines must say so: a row without a name is an error
        entry_type = "person"

    if entry_type == "person":
        if not name:
            errs.append(RowError(row, col("name"), "", "a person needs a name "
                                 "(for a mailbox or a main line set the type column to 'shared' or 'main line')"))
        elif name_key(name) is None:
            errs.append(RowError(row, col("name"), name, "a person's name needs a first and a last name"))
    elif not (email or phones):
        errs.append(RowError(row, col("email"), "", f"a {entry_type.replace('_', ' ')} needs an email or a phone"))

    dates: dict[str, date | None] = {}
    for fld in ("start_date", "end_date"):
        raw = get(fld)
        dates[fld] = None
        if raw:
            try:
                dates[fld] = parse_date(raw)
            except ValueError as exc:
                errs.append(RowError(row, col(fld), raw, str(exc)))
    if dates["start_date"] and dates["end_date"] and dates["end_date"] < dates["start_date"]:
        errs.append(RowError(row, col("end_date"), get("end_date"), "end date is before the start date"))

    raw_status = get("status")
    if raw_status:
        status = _STATUS_LOOKUP.get(_fold_header(raw_status))
        if status is None:
            errs.append(RowError(row, col("status"), raw_status, "status must be active, leave or terminated"))
            status = "active"
    else:  # no status: an end date means the person has gone
        status = "terminated" if dates["end_date"] else "active"

    raw_public = get("public_contact")
    if fold_text(raw_public) in _TRUE:
        public = True
    elif fold_text(raw_public) in _FALSE:
        public = bool(not raw_public and entry_type != "person")  # shared/main default to public
    else:
        errs.append(RowError(row, col("public_contact"), raw_public, "public contact must be yes or no"))
        public = False

    aliases: tuple[str, ...] = ()
    preferred = get("preferred_name")
    key = name_key(name) if name else None
    if preferred and key is not None:
        alias = f"{preferred} {key.last}" if len(preferred.split()) == 1 else preferred
        if alias != name:
            aliases = (alias,)

    if errs:
        return None, errs
    return DirectoryEntry(
        row=row, name=name, email=email, phones=tuple(phones), title=get("title"), unit=get("unit"),
        status=status, start_date=dates["start_date"], end_date=dates["end_date"],
        public_contact=public, entry_type=entry_type, aliases=aliases, source_id=get("id"),
    ), []
