"""Render the view model to HTML files with jinja2 (autoescaped; CSS and JS inline).

Everything that came from a crawled page reaches the HTML through jinja's
autoescaping; a crawled URL becomes a link only when it is http(s), mailto or
tel (:func:`safe_href`), and links carry ``rel="noopener noreferrer"``.  A
Content-Security-Policy allows only the report's own inline script (by hash),
so even a markup bug could not run a crawled ``<script>``.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .chart import trend_chart
from .sections import program_tables
from .table import Table
from .view import ProgramView, ReportView

SAFE_SCHEMES = ("http", "https", "mailto", "tel")
INDEX = "index.html"


def safe_href(url: object) -> str | None:
    """``url`` if it may be an href in the report (http, https, mailto, tel), else None.

    ``javascript:``, ``data:``, ``vbscript:`` and anything unparsable are
    shown as text only.  Control characters and whitespace inside the scheme
    (``java\\tscript:``) do not sneak through: browsers strip them, so we
    refuse any URL containing them.
    """
    if not isinstance(url, str) or not url:
        return None
    if any(ord(ch) < 33 or ord(ch) == 127 for ch in url):
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in SAFE_SCHEMES else None


def _static(name: str) -> str:
    return (resources.files("siteaudit.report") / "templates" / name).read_text(encoding="utf-8")


def environment() -> Environment:
    env = Environment(loader=PackageLoader("siteaudit.report", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_href"] = safe_href
    env.filters["num"] = lambda n: f"{n:,}" if isinstance(n, int) else n
    return env


def program_file(slug: str) -> str:
    return f"program-{slug}.html"


class Renderer:
    """Writes index.html, one page per program and the overflow pages of long tables."""

    def __init__(self, report: ReportView, out_dir: Path):
        self.report = report
        self.out = out_dir
        self.env = environment()
        css, js = _static("report.css"), _static("report.js")
        digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode()
        self.common = {
            "report": report, "css": Markup(css), "js": Markup(js),
            "csp": f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'; "
                   "base-uri 'none'; form-action 'none'",
            "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "programs": report.programs, "program_file": program_file, "index": INDEX,
        }
        self.written: list[Path] = []

    def _write(self, name: str, template: str, **context) -> Path:
        html = self.env.get_template(template).render(**self.common, **context)
        path = self.out / name
        path.write_text(html, encoding="utf-8")
        self.written.append(path)
        return path

    def _paginate(self, host_file: str, slug: str, tables: dict[str, Table], view: ProgramView) -> dict[str, Table]:
        first_pages = {}
        page_size = self.report.config.page_size
        for key, table in tables.items():
            pages = table.paginate(page_size, lambda n, k=key: f"{host_file[:-5]}-{k}-{n}.html")
            for page in pages:
                if page.pages > 1:
                    page.page_files[0] = host_file
            first_pages[key] = pages[0]
            for page in pages[1:]:
                self._write(page.page_files[page.page - 1], "table_page.html", view=view, table=page,
                            host_file=host_file, current=slug)
        return first_pages

    def render(self) -> Path:
        report = self.report
        for view in report.programs:
            host = program_file(view.slug)
            tables = self._paginate(host, view.slug, program_tables(report, view), view)
            self._write(host, "program.html", view=view, tables=tables, current=view.slug)
        return self._write(INDEX, "index.html", view=report.overall, chart=trend_chart(report.history),
                           current="overview")


def render_report(report: ReportView, out_dir: Path) -> tuple[Path, list[Path]]:
    """Write the HTML pages into ``out_dir``; returns (index.html, every file written)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    # Pages of an earlier report in the same folder (a program since renamed, a table now shorter)
    # would otherwise linger and be opened by mistake.
    for stale in out_dir.glob("program-*.html"):
        stale.unlink()
    renderer = Renderer(report, out_dir)
    index = renderer.render()
    return index, renderer.written
