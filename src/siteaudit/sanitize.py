"""Making crawled text safe for every output: terminals, CSV files, JSON.

Crawled pages may carry terminal escape sequences (a title that clears the
screen or sets the window title), C0/C1 control characters and text that a
spreadsheet would run as a formula.  Every output goes through these helpers;
the HTML report also relies on jinja2's autoescaping.
"""

from __future__ import annotations

import json
import re
from typing import Any

# OSC (window title, hyperlinks) with its terminator, CSI (colours, cursor, clear screen),
# other ESC pairs, and control characters except tab, newline and CR.
_CONTROLS = re.compile(
    r"(\x1b\]|\x9d)[^\x07\x1b\x9c]*(\x07|\x1b\\|\x9c)"
    r"|(\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|\x1b[@-_]?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_C1 = re.compile(r"[\x7f-\x9f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_E164 = re.compile(r"\+\d{3,15}(;ext=\d{1,10})?")


def strip_controls(text: Any) -> str:
    """Remove escape sequences and control characters (tab, newline and CR are kept)."""
    return _CONTROLS.sub("", "" if text is None else str(text))


def neutralise_formula(value: str) -> str:
    """Make a CSV cell inert in spreadsheets; :func:`restore_formula` undoes it.

    A cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading
    apostrophe, and so does one that already starts with an apostrophe (so
    the change is reversible).  A normalised phone number (``+15035550100``,
    ``;ext=4``) is left as it is: it cannot call anything, and an apostrophe
    would corrupt the value for whoever imports it.
    """
    if (value[:1] in FORMULA_START and not _E164.fullmatch(value)) or value[:1] == "'":
        return "'" + value
    return value


def restore_formula(value: str) -> str:
    return value[1:] if value[:1] == "'" else value


def csv_cell(value: Any) -> str:
    """How a value is written to CSV: None empty, booleans true/false, lists and
    dicts as JSON, controls stripped, formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict, tuple, set)):
        value = json.dumps(sorted(value) if isinstance(value, set) else value, ensure_ascii=False, default=str)
    return neutralise_formula(strip_controls(value))


def json_text(obj: Any, **kwargs) -> str:
    """``json.dumps`` that keeps non-ASCII text readable but escapes C1 controls
    (json escapes C0 ones itself): the same data, nothing raw on a terminal."""
    text = json.dumps(obj, ensure_ascii=False, default=str, **kwargs)
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
