"""Options and output helpers shared by the CLI commands (the edge of the program)."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Iterable, Sequence

import click

DEFAULT_DB = "siteaudit.db"

db_option = click.option(
    "--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
    help="SQLite database file.",
)
run_option = click.option(
    "--run", "run_spec", default="latest", show_default=True, help="Run id, 'latest' or 'previous'.",
)


def format_option(choices: Sequence[str] = ("table", "csv", "json")):
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=choices[0], show_default=True,
        help="Output format (json: one object per line).",
    )


# CSI sequences, OSC sequences (window title, hyperlinks), other ESC pairs, C0/C1 controls.
_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_terminal(text: object) -> str:
    """Strip ANSI escape sequences and control characters from crawled text."""
    return _CONTROL.sub("", "" if text is None else str(text))


_E164 = re.compile(r"\+\d{3,15}(;ext=\d{1,10})?")


def csv_safe(value: object) -> object:
    """Neutralise spreadsheet formula injection in a CSV cell (=, +, -, @, tab, CR).

    A normalised phone number (``+15035550100;ext=4``) is left as it is: it
    cannot call anything, and a quote in front would corrupt the value.
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _E164.fullmatch(value):
        return "'" + value
    return value


def emit(rows: Iterable[dict], columns: Sequence[str], fmt: str) -> None:
    """Print rows as an aligned table, CSV or JSON lines."""
    rows = list(rows)
    if fmt == "json":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False, default=str))
        return
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(columns)
        for r in rows:
            w.writerow([csv_safe(_flat(r.get(c))) for c in columns])
        click.echo(buf.getvalue(), nl=False)
        return
    table = [[" ".join(clean_terminal(_flat(r.get(c))).split()) for c in columns] for r in rows]
    widths = [min(60, max([len(c)] + [len(row[i]) for row in table])) for i, c in enumerate(columns)]
    click.echo("  ".join(c.upper().ljust(w) for c, w in zip(columns, widths)).rstrip())
    for row in table:
        click.echo("  ".join(_fit(v, w) for v, w in zip(row, widths)).rstrip())


def _flat(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return "; ".join(_flat(x) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, default=str)
    return str(v)


def _fit(v: str, w: int) -> str:
    return v.ljust(w) if len(v) <= w else v[: w - 1] + "…"
