"""Staff directory vs. website: import a directory export, match it against a run's findings.

The library is pure: importers read a file into values, :func:`diff_directory`
compares entries with findings rows, :mod:`.store` keeps imports and results in
the run database.  Nothing here prints; the CLI lives in
:mod:`siteaudit.commands.directory`.
"""

from .._lazy import lazy_exports

# Where each public name lives; imported on first use (PEP 562), so the CLI (which registers
# the directory commands at every start) does not load the importers and name matching.
_EXPORTS = {
    "BusinessCalendar": "business_days", "DEFAULT_CALENDAR": "business_days",
    "CsvDirectorySource": "importers", "DirectorySource": "importers", "open_source": "importers",
    "parse_mapping": "importers", "validate_records": "importers",
    "Category": "model", "DirectoryEntry": "model", "DirectoryResult": "model", "ImportResult": "model",
    "Occurrence": "model", "RowError": "model",
    "NameIndex": "names", "guess_person_names": "names", "name_key": "names", "names_match": "names",
}


__getattr__ = lazy_exports(__name__, _EXPORTS)


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
