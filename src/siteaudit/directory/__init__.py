"""Staff directory vs. website: import a directory export, match it against a run's findings.

The library is pure: importers read a file into values, :func:`diff_directory`
compares entries with findings rows, :mod:`.store` keeps imports and results in
the run database.  Nothing here prints; the CLI lives in
:mod:`siteaudit.commands.directory`.
"""

from .business_days import DEFAULT_CALENDAR, BusinessCalendar
from .importers import CsvDirectorySource, DirectorySource, open_source, parse_mapping, validate_records
from .model import Category, DirectoryEntry, DirectoryResult, ImportResult, Occurrence, RowError
from .names import NameIndex, guess_person_names, name_key, names_match

__all__ = [
    "BusinessCalendar",
    "Category",
    "CsvDirectorySource",
    "DEFAULT_CALENDAR",
    "DirectoryEntry",
    "DirectoryResult",
    "DirectorySource",
    "ImportResult",
    "NameIndex",
    "Occurrence",
    "RowError",
    "guess_person_names",
    "name_key",
    "names_match",
    "open_source",
    "parse_mapping",
    "validate_records",
]
