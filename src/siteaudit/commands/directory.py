"""``siteaudit directory``: import a staff directory, diff it with a run, check one person."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from .. import store
from ..directory.model import Category
from ..errors import DirectoryImportError, InputError
from ..sanitize import strip_controls
from ._common import db_option, emit, format_option, run_option

DIFF_COLUMNS = ("category", "person", "value", "pages", "business_days", "window_passed", "detail")
REJECT_COLUMNS = ("row", "column", "value", "reason")
CHECK_COLUMNS = ("page", "match", "value", "text", "location", "office")

directory_option = click.option(
    "--directory", "directory_spec", default="latest", show_default=True,
    help="Directory import id or 'latest' (see `siteaudit directory list`).",
)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _note(message: str) -> None:
    """Context for a human, on stderr, so stdout stays clean CSV/JSON."""
    click.echo(strip_controls(message), err=True)


@click.group()
def directory() -> None:
    """Compare a staff directory export with the contact details on the site.

    Import a directory CSV, then `diff` it with a crawl run (departed staff
    still listed, mismatched phones/emails, unknown people, missing public
    contacts) or `check` where one person appears.
    """


@directory.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
@click.option("--map", "mappings", multiple=True, metavar="COLUMN=FIELD",
              help="Read COLUMN as FIELD (name, first_name, last_name, email, phone, ext, title, unit, "
                   "status, start_date, end_date, public_contact, type, id, preferred_name, ignore). Repeatable.")
@click.option("--strict", is_flag=True, help="Store nothing if any row is rejected (exit 2).")
@format_option()
def import_(file: str, db_path: str, mappings: tuple[str, ...], strict: bool, fmt: str) -> None:
    """Load a staff directory export (Workday- or Outlook-style CSV).

    Every rejected row is listed with its row number, column and reason; the
    good rows are stored unless --strict.  Each import is kept with its date.
    """
    from ..directory import store as dstore
    from ..directory.importers import open_source, parse_mapping

    result = open_source(file, parse_mapping(mappings)).read()  # the database is only touched to store
    rejects = [{"row": e.row, "column": e.column, "value": e.value, "reason": e.reason} for e in result.errors]
    if rejects:
        emit(rejects, REJECT_COLUMNS, fmt)
    rejected = len(result.rejected_rows)
    if rejected and strict:
        raise DirectoryImportError(f"{file}: {rejected} of {_n(result.rows_read, 'row')} rejected (listed above); "
                                   "nothing stored (--strict)")
    if not result.entries:
        raise DirectoryImportError(f"{file}: no valid rows ({rejected} rejected); nothing stored")
    import_id = dstore.save_import(store.open_db(db_path), result)
    extra = []
    if rejected:
        extra.append(f"{_n(rejected, 'row')} rejected (listed above)")
    if result.blank_rows:
        extra.append(f"{_n(result.blank_rows, 'blank row')} skipped")
    if result.ignored_columns:
        extra.append(f"columns not used: {', '.join(result.ignored_columns)}")
    delim = {"\t": "tab"}.get(result.delimiter, result.delimiter)
    _note(f"directory import #{import_id}: {len(result.entries)} of {result.rows_read} rows stored from {file} "
          f"(encoding {result.encoding}, delimiter {delim!r})" + "".join(f"; {x}" for x in extra))


def _as_of_option(f):
    return click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                        help="Count business days up to this date (YYYY-MM-DD) instead of today.")(f)


@directory.command("diff")
@db_option
@run_option
@directory_option
@_as_of_option
@click.option("--window", type=click.IntRange(0), default=3, show_default=True,
              help="Business days allowed to update the site after a departure or start.")
@click.option("--category", "categories", multiple=True, type=click.Choice([c.value for c in Category]),
              help="Only show these categories (repeatable).")
@format_option()
def diff(db_path: str, run_spec: str, directory_spec: str, as_of, window: int, categories: tuple[str, ...],
         fmt: str) -> None:
    """Where the site and the staff directory disagree (JSON lines carry every location)."""
    from ..directory import store as dstore
    from ..directory.audit import diff_run

    db = store.open_db(db_path, create=False)
    run_id = store.resolve_run(db, run_spec)
    import_id = dstore.resolve_import(db, directory_spec)
    day = as_of.date() if as_of else date.today()
    results = diff_run(db, run_id, import_id, as_of=day, window=window)
    info = dstore.import_info(db, import_id)
    counts = {c.value: sum(r.category is c for r in results) for c in Category}
    _note(f"run {run_id} vs directory import #{import_id} ({info['source']}, imported {info['imported_at']}), "
          f"as of {day.isoformat()}, window {window} business days: "
          + ", ".join(f"{n} {c}" for c, n in counts.items()))
    shown = [r.to_dict() for r in results if not categories or r.category.value in categories]
    emit(shown, DIFF_COLUMNS, fmt)


@directory.command("check")
@click.argument("person")
@db_option
@run_option
@directory_option
@format_option()
def check(person: str, db_path: str, run_spec: str, directory_spec: str, fmt: str) -> None:
    """Every page where PERSON (an email, phone or name) appears, with the exact text and location."""
    from ..directory import store as dstore
    from ..directory.check import check_person

    db = store.open_db(db_path, create=False)
    run_id = store.resolve_run(db, run_spec)
    entries = []
    if directory_spec != "latest" or dstore.list_imports(db):
        entries = dstore.load_entries(db, dstore.resolve_import(db, directory_spec))
    try:
        found = check_person(person, entries, dstore.load_findings(db, run_id) + dstore.load_page_lines(db, run_id))
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    who = "; ".join(
        f"{e.label} (directory row {e.row}, {e.status}{', ended ' + e.end_date.isoformat() if e.end_date else ''})"
        for e in found.entries) or "not in the directory"
    sought = ", ".join(found.emails + found.phones + found.names)
    _note(f"{person}: {who}; looked for {sought} in run {run_id}: "
          + (f"found on {_n(len(found.pages), 'page')}" if found.pages else "not found on any page"))
    rows = [{"page": o.url, "match": o.match, "value": o.value, "text": o.text,
             "location": f"{o.path}" + (f" (line {o.line})" if o.line else ""), "office": o.office,
             "label": o.label} for o in found.occurrences]
    emit(rows, CHECK_COLUMNS, fmt)


@directory.command("list")
@db_option
@click.option("--entries", is_flag=True, help="List the entries of one import instead of the imports.")
@directory_option
@format_option()
def list_(db_path: str, entries: bool, directory_spec: str, fmt: str) -> None:
    """The directory imports kept in the database (or the entries of one)."""
    from ..directory import store as dstore

    db = store.open_db(db_path, create=False)
    if not entries:
        emit(dstore.list_imports(db), ("id", "imported_at", "source", "rows_read", "accepted", "rejected"), fmt)
        return
    import_id = dstore.resolve_import(db, directory_spec)
    rows = [e.to_dict() for e in dstore.load_entries(db, import_id)]
    emit(rows, ("row", "name", "email", "phones", "status", "start_date", "end_date", "public_contact",
                "entry_type"), fmt)


def demo_step(ctx: click.Context, db, run_id: int, out) -> None:
    """Post-crawl step for ``siteaudit demo``: import the demo directory and diff the run."""
    from ..directory.audit import diff_run, import_file

    from importlib import resources

    csv_path = Path(str(resources.files("siteaudit.demo") / "directory.csv"))
    import_id, _ = import_file(db, csv_path, strict=True)
    if import_id is None:  # pragma: no cover - the bundled file is clean (tested)
        raise DirectoryImportError(f"{csv_path}: the demo directory has rejected rows")
    results = diff_run(db, run_id, import_id, as_of=date.today())
    counts = {c.value: sum(r.category is c for r in results) for c in Category if c is not Category.OK}
    db_path = (ctx.obj or {}).get("db_path", "siteaudit.db")
    click.echo("Directory vs site: " + ", ".join(f"{n} {c}" for c, n in counts.items())
               + f"  (siteaudit directory diff --db {db_path})")


COMMANDS = [directory]
