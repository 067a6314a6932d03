"""``siteaudit demo``: serve the bundled demo agency site on 127.0.0.1 and audit it."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .. import config as cfg
from .. import store


@click.command()
@click.option("--out", "out_dir", default="reports/demo", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the demo database and report.")
@click.option("--serve", is_flag=True, help="Keep serving the demo site after the audit (Ctrl-C to stop).")
@click.pass_context
def demo(ctx, out_dir, serve):
    """Serve the bundled demo agency website locally and run the full audit on it.

    No internet needed: the site and a fictitious "partner" site are served on
    127.0.0.1 with ephemeral ports.  The demo has deliberate defects (broken
    internal and external links, a bad tel: link, a missing #fragment, an
    office page without hours, a departed employee still listed).
    """
    from siteaudit_crawler.runner import run_crawl

    from ..demo import serve_demo

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    db_path = str(out / "siteaudit.db")
    with serve_demo() as (site, partner):
        click.echo(f"Demo site: {site.origin}/  (partner site: {partner.origin}/)")
        opts = cfg.layered({}, {"concurrency": 8, "timeout": 5.0})
        result = run_crawl([site.origin + "/"], opts, db_path)
        ctx.obj = {"run_id": result.run_id, "db_path": db_path, "out": out, "site": site.origin}
        db = store.open_db(db_path)
        c = store.run_info(db, result.run_id)  # counted as the run ended
        click.echo(f"Crawled run {result.run_id}: {c['pages']} pages, {c['links']} links, {c['targets']} targets, "
                   f"{c['broken']} broken, {c['findings']} contact findings")
        for step in _post_crawl_steps():
            step(ctx, db, result.run_id, out)
        click.echo(f"Database: {db_path}")
        click.echo(f"Try: siteaudit links --db {db_path} --outcome broken,broken-fragment")
        if serve:
            click.echo(f"Serving the demo site at {site.origin}/ ; press Ctrl-C to stop.")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass


def _rules_step(ctx, db, run_id: int, out: Path) -> None:
    from ..rules import evaluate_run
    from .rules import summarize

    for line in summarize(run_id, evaluate_run(db, run_id)):
        click.echo(line)


def _post_crawl_steps():
    """The audit steps after the crawl, in order: rules, directory, report."""
    from . import directory, report

    return [_rules_step, directory.demo_step, report.demo_step]


COMMANDS = [demo]
