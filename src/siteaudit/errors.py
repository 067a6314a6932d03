"""The exceptions siteaudit raises for its own failures and for bad user input.

Outcomes of checking a website (a broken link, a missing phone number) are
values, never exceptions.  Exceptions are for problems the user must fix before
the program can do its job; each message says what is wrong, where (file, line,
row, URL, key) and what to do.  The CLI turns every ``SiteauditError`` into a
one-line message and exit code 2.
"""

from __future__ import annotations


class SiteauditError(Exception):
    """Base class: a problem the user can fix; ``str(err)`` is the full message."""


class ConfigError(SiteauditError):
    """A configuration file or option is invalid (names the file and key)."""


class RuleFileError(SiteauditError):
    """A rule file is malformed: unknown key, bad regex, wrong type (file:line)."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


class DirectoryImportError(SiteauditError):
    """A staff-directory file cannot be imported (names the file and row)."""


class StoreError(SiteauditError):
    """The database cannot be opened or written (locked, read-only, disk full)."""


class RunNotFound(SiteauditError):
    """The run asked for does not exist in the database."""


class InputError(SiteauditError):
    """A URL, path or other input given on the command line is unusable."""
