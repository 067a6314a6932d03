"""``siteaudit extract`` (one page, no crawl) and ``siteaudit contacts`` (a run's inventory)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import InputError
from ..store import open_db, query, resolve_run
from ._common import db_option, emit, format_option, run_option

KINDS = ("phone", "email", "address", "hours", "appointment", "short_code")
EXTRACT_COLUMNS = ("kind", "value", "phone_type", "label", "office", "source", "text", "flags", "line")
CONTACT_COLUMNS = ("url", "kind", "value", "phone_type", "label", "office", "source", "text", "flags")
_FETCH_LIMIT = 10 * 1024 * 1024
_USER_AGENT = "siteaudit (contact-information review; +https://github.com/siteaudit)"


def _read_source(target: str, timeout: float = 20.0) -> tuple[bytes | str, str]:
    """The document at a local path or an http(s) URL, and the URL to report.

    A response whose Content-Type names a charset is decoded with it; other
    documents stay bytes so the parser can read their ``<meta charset>``.
    """
    import urllib.error
    import urllib.request

    if target.startswith(("http://", "https://")):
        request = urllib.request.Request(target, headers={"User-Agent": _USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked
                body, url = response.read(_FETCH_LIMIT), response.geturl()
                charset = response.headers.get_content_charset()
            if charset:
                try:
                    return body.decode(charset, errors="replace"), url
                except LookupError:
                    pass
            return body, url
        except urllib.error.HTTPError as exc:
            raise InputError(f"{target}: HTTP {exc.code} {exc.reason}") from exc
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise InputError(f"{target}: cannot fetch: {reason} (check the URL and your connection)") from exc
    if "://" in target:
        raise InputError(f"{target}: only http(s) URLs and local files can be read")
    path = Path(target)
    if not path.is_file():
        raise InputError(f"{target}: no such file (give an HTML file or an http(s) URL)")
    try:
        return path.read_bytes(), path.resolve().as_uri()
    except OSError as exc:
        raise InputError(f"{target}: cannot read: {exc.strerror}") from exc


def _kinds(value: str | None) -> list[str] | None:
    if not value:
        return None
    kinds = [k.strip().replace("-", "_") for k in value.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise InputError(f"--kind: unknown kind {', '.join(unknown)} (choose from {', '.join(KINDS)})")
    return kinds


@click.command()
@click.argument("target", metavar="PATH_OR_URL")
@click.option("--kind", "kinds", help=f"Only these kinds, comma-separated ({', '.join(KINDS)}).")
@format_option(("table", "json"))
def extract(target: str, kinds: str | None, fmt: str) -> None:
    """Extract contact information from one HTML file or URL (no crawl)."""
    from ..extract import extract_page  # here: the extractors take a tenth of a second to import

    wanted = _kinds(kinds)
    source, url = _read_source(target)
    result = extract_page(source, url=url)
    rows = []
    for f in result.findings:
        if wanted and f.kind not in wanted:
            continue
        rows.append({"url": url, **f.to_dict()})
    emit(rows, EXTRACT_COLUMNS, fmt)
    if fmt == "table" and result.offices:
        click.echo("")
        emit([{"office": o.name, "kinds": ", ".join(sorted(o.kinds)), "findings": len(o.findings), "line": o.line}
              for o in result.offices], ("office", "kinds", "findings", "line"), fmt)


@click.command()
@db_option
@run_option
@click.option("--kind", "kinds", help=f"Only these kinds, comma-separated ({', '.join(KINDS)}).")
@format_option()
def contacts(db_path: str, run_spec: str, kinds: str | None, fmt: str) -> None:
    """List the contact inventory (phones, emails, addresses, hours...) of a crawl run."""
    wanted = _kinds(kinds)
    db = open_db(db_path, create=False)
    run_id = resolve_run(db, run_spec)
    sql = ("SELECT url, kind, value, text, label, office, source, phone_type, path, line, flags, data "
           "FROM findings WHERE run_id = ?")
    params: list = [run_id]
    if wanted:
        sql += f" AND kind IN ({', '.join('?' for _ in wanted)})"
        params += wanted
    sql += " ORDER BY url, kind, value, id"
    rows = []
    for row in query(db, sql, params):
        for key in ("flags", "data"):
            try:
                row[key] = json.loads(row[key]) if row[key] else ([] if key == "flags" else {})
            except ValueError:
                pass
        if row["kind"] not in ("phone", "short_code"):
            row.pop("phone_type")
        rows.append(row)
    emit(rows, CONTACT_COLUMNS, fmt)


COMMANDS = [contacts, extract]
