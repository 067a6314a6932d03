"""The ``siteaudit`` command line: a thin click layer over the library.

Each module in :mod:`siteaudit.commands` exports ``COMMANDS``, a list of click
commands; they are registered here.  Library errors (``SiteauditError``) are
turned into one-line messages with exit code 2 in one place,
:meth:`SiteauditGroup.invoke`.
"""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import sys

import click

from . import __version__, commands
from .errors import SiteauditError
from .sanitize import strip_controls


class SafeFormatter(logging.Formatter):
    """Log lines carry crawled text (URLs, titles): strip escape sequences before a terminal sees them."""

    def format(self, record: logging.LogRecord) -> str:
        return "\n".join(strip_controls(line) for line in super().format(record).split("\n"))


class UserError(click.ClickException):
    """A SiteauditError shown to the user: message only, exit code 2."""

    exit_code = 2


class SiteauditGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SiteauditError as exc:
            raise UserError(strip_controls(str(exc))) from exc

    def list_commands(self, ctx):  # keep --help in a stable, documented order
        return sorted(self.commands)


@click.group(cls=SiteauditGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="siteaudit")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """Review agency websites for contact information and broken links."""
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    # The level sits on the handler: Scrapy resets logger levels when a crawl starts.
    handler.setLevel(level)
    handler.setFormatter(SafeFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(level)


def _register() -> None:
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", []):
            main.add_command(command)


_register()


def run(argv: list[str] | None = None) -> None:
    """The ``siteaudit`` console command: :func:`main`, then an exit without the interpreter's
    teardown.  Freeing Scrapy's, Twisted's and a run's objects one by one took 0.15-0.3 s
    after every crawl; everything that matters is closed first (the databases, which folds
    their write-ahead logs back in; logging; stdout and stderr)."""
    try:
        main(args=argv)
        code = 0
    except SystemExit as exc:
        code = exc.code
    from . import store

    store.close_all()
    logging.shutdown()
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed or broken pipe: nothing more can be said
            pass
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    run()
