"""``siteaudit report``: write the HTML report (plus CSV and JSON) of a stored run."""

from __future__ import annotations

import click

from ._common import db_option, run_option


@click.command()
@db_option
@run_option
@click.option("--compare", "compare", default=None, metavar="ID|previous",
              help="Show what is new and fixed since this run ('previous': the run before --run).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="siteaudit.toml with [[programs]] (URL prefixes, contact designees); see docs/report.md.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder to write the report into (e.g. reports/2026-annual/).")
def report(db_path: str, run_spec: str, compare: str | None, config_path: str | None, out_dir: str) -> None:
    """Write the review report of a run: index.html, one page per program, CSV and JSON.

    The HTML is self-contained (opens from disk, no network).  Each program's
    contact designee works through their page and prints the sign-off.
    """
    from ..report import write_report

    index = write_report(db_path, run_spec, out_dir, compare=compare, config_path=config_path)
    click.echo(f"Report: {index}")


def demo_step(ctx: click.Context, db, run_id: int, out) -> None:
    """Post-crawl step for ``siteaudit demo``: write the demo's siteaudit.toml and report, print the path.

    When the demo folder already holds an earlier run (``siteaudit demo`` run
    again), the report compares with it: the demo is served on new ports each
    time, so URLs are matched by path.
    """
    from pathlib import Path

    from ..report import write_demo_config, write_report

    config = write_demo_config(out)
    earlier = db.execute("SELECT max(id) FROM runs WHERE id < ?", [run_id]).fetchone()[0]
    index = write_report(db, run_id, Path(out) / "report", compare="previous" if earlier else None,
                         config_path=config)
    click.echo(f"Report: {index}" + (f"  (compared with run {earlier})" if earlier else ""))


COMMANDS = [report]
