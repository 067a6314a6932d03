"""CSV import: header aliases, encoding and delimiter sniffing, row-level validation."""

from datetime import date

import pytest

from siteaudit.directory.importers import (
    CsvDirectorySource, map_headers, parse_date, parse_mapping, parse_phones, validate_records,
)
from siteaudit.errors import DirectoryImportError


def test_bad_rows_are_each_reported_with_row_column_and_reason(data_dir):
    result = CsvDirectorySource(data_dir / "bad_rows.csv").read()
    got = [(e.row, e.column, e.reason.split(":")[0]) for e in result.errors]
    assert got == [
        (3, "Email - Work", "not an email address"),
        (4, "Hire Date", "not a date"),
        (5, "Worker Status", "status must be active, leave or terminated"),
        (7, "Termination Date", "end date is before the start date"),
        (8, "Worker", "a person needs a name (for a mailbox or a main line set the type column to 'shared' or 'main line')"),
        (9, "Email - Work", "email already used on row 2"),
        (10, "Phone - Work", "not a full phone number with area code"),
        (11, "", "row has 11 cells but the header has 10 (an unquoted delimiter inside a value?)"),
        (12, "Public Contact", "public contact must be yes or no"),
    ]
    # nothing lost: every data row is either an entry or a rejected row, the blank line is counted
    assert result.rows_read == 11
    assert [e.row for e in result.entries] == [2, 13]
    assert len(result.entries) + len(result.rejected_rows) == result.rows_read
    assert result.blank_rows == 1


def test_good_rows_of_a_bad_file_are_fully_parsed(data_dir):
    entries = {e.row: e for e in CsvDirectorySource(data_dir / "bad_rows.csv").read().entries}
    chidi = entries[13]
    assert chidi.name == "Chidi Okafor"  # "Okafor, Chidi" turned around
    assert chidi.phones == ("+15035550120;ext=45",)
    assert chidi.status == "leave"
    assert chidi.start_date == date(2026, 11, 2)
    assert chidi.public_contact is True
    assert entries[2].email == "jane.doe@demo-agency.example.gov"


def test_outlook_export_in_windows_1252(data_dir):
    result = CsvDirectorySource(data_dir / "outlook_cp1252.csv").read()
    assert result.encoding == "cp1252"
    assert result.errors == []
    assert result.ignored_columns == ["Notes"]
    jose, renee = result.entries
    assert jose.name == "José A. Núñez"
    assert jose.email == "jose.nunez@demo-agency.example.gov"
    assert jose.phones == ("+15035550124", "+15035550125")  # business and mobile
    assert jose.title == "Director’s Aide"
    assert renee.name == "Renée O’Brien-Díaz"
    assert renee.phones == ("+15035550126;ext=7",)


def test_semicolon_delimiter_with_utf8_bom_and_a_shared_mailbox(data_dir):
    result = CsvDirectorySource(data_dir / "semicolon_bom.csv").read()
    assert (result.delimiter, result.encoding) == (";", "utf-8-sig")
    assert result.errors == []
    zoe, dupont, counter = result.entries
    assert zoe.name == "Zoë Ångström" and zoe.public_contact
    assert dupont.name == "Jean-Luc Dupont"
    assert dupont.phones == ("+15035550122", "+15035550123")
    assert dupont.status == "terminated" and dupont.end_date == date(2026, 11, 20)
    assert counter.entry_type == "shared" and counter.public_contact  # shared entries default to public
    assert counter.email == "permits@demo-agency.example.gov"


def test_excel_unicode_text_is_utf16_with_tabs(data_dir):
    result = CsvDirectorySource(data_dir / "excel_utf16.txt").read()
    assert (result.encoding, result.delimiter) == ("utf-16", "\t")
    assert [(e.name, e.phones) for e in result.entries] == [("Wei Chen", ("+15035550127",))]


def test_mapping_overrides_header_aliases(tmp_path):
    p = tmp_path / "odd.csv"
    p.write_text("Who,Contact,Desk\nJane Doe,jane.doe@x.example.gov,5035550142\n", encoding="utf-8")
    with pytest.raises(DirectoryImportError, match="no name or email column"):
        CsvDirectorySource(p).read()
    result = CsvDirectorySource(p, parse_mapping(["Who=name", "Contact=email", "desk=phone"])).read()
    assert result.entries[0].phones == ("+15035550142",)
    assert result.columns == {"Who": "name", "Contact": "email", "Desk": "phone"}


def test_mapping_errors_name_the_problem(tmp_path):
    with pytest.raises(DirectoryImportError, match="unknown field 'telephone'"):
        parse_mapping(["Desk=telephone"])
    with pytest.raises(DirectoryImportError, match="use COLUMN=FIELD"):
        parse_mapping(["Desk"])
    with pytest.raises(DirectoryImportError, match="no column 'Cell'"):
        map_headers(["Name", "Email"], {"Cell": "phone"})


def test_file_level_problems_are_one_clear_error(tmp_path):
    with pytest.raises(DirectoryImportError, match="cannot read"):
        CsvDirectorySource(tmp_path / "nope.csv").read()
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    with pytest.raises(DirectoryImportError, match="no header row"):
        CsvDirectorySource(empty).read()
    xlsx = tmp_path / "book.csv"
    xlsx.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(DirectoryImportError, match="binary"):
        CsvDirectorySource(xlsx).read()


@pytest.mark.parametrize("text, expected", [
    ("2026-11-25", date(2026, 11, 25)),
    ("11/25/2026", date(2026, 11, 25)),
    ("11/25/26", date(2026, 11, 25)),
    ("25-Nov-2026", date(2026, 11, 25)),
    ("Nov 25, 2026", date(2026, 11, 25)),
    ("November 25 2026", date(2026, 11, 25)),
    ("2026-11-25 00:00:00", date(2026, 11, 25)),
    ("2026-11-25T08:30:00Z", date(2026, 11, 25)),
    ("1/5/2020 12:00 AM", date(2020, 1, 5)),
])
def test_dates_in_common_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2026-13-01", "next week", "31/12/2026", ""])
def test_bad_dates(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_phones_e164_with_extensions_and_lists():
    assert parse_phones("(503) 555-0142") == ["+15035550142"]
    assert parse_phones("503.555.0142 x12; 503-555-0100") == ["+15035550142;ext=12", "+15035550100"]
    assert parse_phones("503-555-0142 ext. 7 or 503-555-0142 ext. 7") == ["+15035550142;ext=7"]
    with pytest.raises(ValueError, match="area code"):
        parse_phones("555-0142")


def test_validate_records_is_the_interface_other_sources_use():
    records = [
        (1, [("cn", "name", "Jane Doe"), ("mail", "email", "Jane.Doe@X.example.gov"), ("ext", "ext", "12"),
             ("tel", "phone", "503 555 0142")]),
        (2, [("cn", "name", "Main line"), ("tel", "phone", "503 555 0100"), ("kind", "type", "main line")]),
        (3, [("cn", "name", "Bob"), ("kind", "type", "robot")]),
    ]
    entries, errors = validate_records(records)
    assert [(e.name, e.email, e.phones, e.entry_type) for e in entries] == [
        ("Jane Doe", "jane.doe@x.example.gov", ("+15035550142;ext=12",), "person"),
        ("Main line", "", ("+15035550100",), "main_line"),
    ]
    assert [(e.row, e.column) for e in errors] == [(3, "kind"), (3, "cn")]


def test_empty_status_with_end_date_means_terminated():
    entries, errors = validate_records([(2, [("n", "name", "Jane Doe"), ("e", "end_date", "2026-01-02")])])
    assert errors == [] and entries[0].status == "terminated"


def test_row_numbers_are_the_line_a_row_starts_on_even_after_a_multiline_cell(tmp_path):
    p = tmp_path / "notes.csv"
    p.write_text('Name,Email,Notes\nJane Doe,jane.doe@x.example.gov,"two\nlines"\nJohn Roe,not-an-email,\n',
                 encoding="utf-8")
    result = CsvDirectorySource(p).read()
    assert [e.row for e in result.entries] == [2]
    assert [(e.row, e.column) for e in result.errors] == [(4, "Email")]
