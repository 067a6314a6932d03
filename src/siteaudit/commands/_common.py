"""Options and output helpers shared by the CLI commands (the edge of the program)."""

from __future__ import annotations

import csv
import io
from typing import Iterable, Sequence

import click

from ..sanitize import csv_cell, json_text, strip_controls

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


def emit(rows: Iterable[dict], columns: Sequence[str], fmt: str) -> None:
    """Print rows as an aligned table, CSV or JSON lines."""
    rows = list(rows)
    if fmt == "json":
        for r in rows:
            click.echo(json_text(r))
        return
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(columns)
        for r in rows:
            w.writerow([csv_cell(_flat(r.get(c))) for c in columns])
        click.echo(buf.getvalue(), nl=False)
        return
    table = [[" ".join(strip_controls(_flat(r.get(c))).split()) for c in columns] for r in rows]
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
        return json_text(v)
    return str(v)


def _fit(v: str, w: int) -> str:
    return v.ljust(w) if len(v) <= w else v[: w - 1] + "…"
