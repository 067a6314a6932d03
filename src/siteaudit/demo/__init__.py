"""The bundled demo agency website, its fictitious partner site, and their server.

Dates on the demo pages are filled in when they are served, relative to
today, so the demo never ages: its correct pages were "reviewed" a month
ago and its planned closures are always ahead.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Iterator

from .server import LocalServer, serve_folder


def demo_folder(name: str) -> Path:
    """``site`` or ``partner``: the folder of static files."""
    return Path(str(resources.files(__name__) / name))


def _long(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def demo_replacements(today: date, partner_origin: str) -> dict[str, str]:
    """Placeholders in the demo pages and what they become for ``today``."""
    reviewed = today - timedelta(days=30)
    closure = today + timedelta(days=31)
    closure2 = today + timedelta(days=45)
    return {
        "__PARTNER__": partner_origin,
        "__REVIEWED__": _long(reviewed),
        "__CLOSURE1__": f"{closure:%A}, {_long(closure)}",
        "__CLOSURE2__": f"{closure2:%A}, {_long(closure2)}",
    }


@contextmanager
def serve_demo(today: date | None = None) -> Iterator[tuple[LocalServer, LocalServer]]:
    """Serve the demo site and its partner site on 127.0.0.1; yields (site, partner)."""
    partner = serve_folder(demo_folder("partner"))
    site = serve_folder(demo_folder("site"), demo_replacements(today or date.today(), partner.origin))
    try:
        yield site, partner
    finally:
        site.stop()
        partner.stop()
