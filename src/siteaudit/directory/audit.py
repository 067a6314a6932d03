"""The directory workflow on a run database: import a file, diff a run (what the CLI and demo call)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlite_utils

from ..errors import DirectoryImportError
from .business_days import DEFAULT_CALENDAR, BusinessCalendar
from .diff import diff_directory
from .importers import open_source
from .model import DirectoryResult, ImportResult
from .store import load_entries, load_findings, load_page_lines, save_import, save_results

__all__ = ["import_file", "diff_run"]


def import_file(db: sqlite_utils.Database, path: str | Path, mapping: dict[str, str] | None = None,
                *, strict: bool = False) -> tuple[int | None, ImportResult]:
    """Read and store a directory file; returns ``(import id, result)``.

    The id is None when nothing was stored: ``strict`` and some row rejected
    (the caller reports ``result.errors``), or no valid row at all.
    """
    result = open_source(path, mapping).read()
    if (strict and result.errors) or not result.entries:
        return None, result
    return save_import(db, result), result


def diff_run(db: sqlite_utils.Database, run_id: int, import_id: int, *, as_of: date, window: int = 3,
             calendar: BusinessCalendar = DEFAULT_CALENDAR) -> list[DirectoryResult]:
    """Diff one run with one import, store the results (replacing earlier ones) and return them."""
    if window < 0:
        raise DirectoryImportError(f"the window must be 0 or more business days, not {window}")
    results = diff_directory(load_entries(db, import_id), load_findings(db, run_id) + load_page_lines(db, run_id),
                             as_of=as_of, window=window,
                             calendar=calendar)
    save_results(db, run_id, import_id, results, as_of=as_of, window=window)
    return results
