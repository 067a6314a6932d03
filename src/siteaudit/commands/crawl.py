"""``siteaudit crawl`` and ``siteaudit links``."""

from __future__ import annotations

import sys

import click

from .. import config as cfg
from .. import store
from ..errors import InputError
from ..sanitize import strip_controls
from ._common import db_option, emit, format_option, run_option

FAIL_ON = ("never", "broken", "indeterminate")


def crawl_options(f):
    """The crawl options, shared by ``crawl`` (and documented once in config.py)."""
    opts = [
        click.option("--config", "config_path", type=click.Path(dir_okay=False),
                     help="TOML file whose [crawl] table sets defaults for these options."),
        click.option("--max-pages", type=int, help=cfg._BY_NAME["max_pages"].help),
        click.option("--max-depth", type=int, help=cfg._BY_NAME["max_depth"].help),
        click.option("--allow-host", "allow_hosts", multiple=True, help=cfg._BY_NAME["allow_hosts"].help),
        click.option("--allow-path", "allow_paths", multiple=True, help=cfg._BY_NAME["allow_paths"].help),
        click.option("--exclude", multiple=True, help=cfg._BY_NAME["exclude"].help),
        click.option("--ignore-robots", is_flag=True, default=None, help=cfg._BY_NAME["ignore_robots"].help),
        click.option("--sitemap", "sitemaps", multiple=True, help=cfg._BY_NAME["sitemaps"].help),
        click.option("--concurrency", type=click.IntRange(1, 64), help=cfg._BY_NAME["concurrency"].help),
        click.option("--timeout", type=click.FloatRange(0.1), help=cfg._BY_NAME["timeout"].help),
        click.option("--retries", type=click.IntRange(0, 10), help=cfg._BY_NAME["retries"].help),
        click.option("--retry-after-max", type=click.FloatRange(0), help=cfg._BY_NAME["retry_after_max"].help),
        click.option("--allow-private/--deny-private", default=None, help=cfg._BY_NAME["allow_private"].help),
        click.option("--user-agent", help=cfg._BY_NAME["user_agent"].help),
        click.option("--contact-url", help=cfg._BY_NAME["contact_url"].help),
        click.option("--max-size", type=click.IntRange(1024), help=cfg._BY_NAME["max_size"].help),
        click.option("--max-pattern-pages", type=click.IntRange(0), help=cfg._BY_NAME["max_pattern_pages"].help),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def _parse_sets(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        if "=" not in v:
            raise InputError(f"--set expects KEY=VALUE (a Scrapy setting), got {v!r}")
        k, _, val = v.partition("=")
        out[k.strip()] = val
    return out


class Progress:
    """Live progress on a terminal (stderr); silent under cron unless verbose."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, live: dict) -> None:
        if self.enabled:
            sys.stderr.write(f"\r  pages {live['pages']:>6}  ·  links checked {live['checked']:>6}  ·  "
                             f"broken so far {live['broken']:>4}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


@click.command()
@click.argument("urls", nargs=-1)
@db_option
@crawl_options
@click.option("--resume", "resume", is_flag=False, flag_value="latest", default=None, metavar="[RUN]",
              help="Continue an interrupted run (default: the latest) without refetching what is stored.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="never", show_default=True,
              help="Exit 1 when the run found broken (or also indeterminate) links.")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False),
              help="Extra rule files to evaluate after the crawl (repeatable).")
@click.option("--no-default-rules", is_flag=True, help="Do not evaluate the default policy rules.")
@click.option("--no-rules", is_flag=True, help="Skip rule evaluation entirely (a plain link check).")
@click.option("-s", "--set", "scrapy_settings", multiple=True, metavar="KEY=VALUE",
              help="Set any Scrapy setting (advanced).")
@click.option("--auth", envvar="SITEAUDIT_AUTH", metavar="USER:PASSWORD", show_envvar=True,
              help="HTTP basic auth for the site's own hosts (never sent elsewhere, stored or printed). "
                   "Prefer the environment variable: a command line is visible to other users.")
@click.option("-q", "--quiet", is_flag=True, help="No progress line.")
@click.pass_context
def crawl(ctx, urls, db_path, config_path, resume, fail_on, rule_files, no_default_rules, no_rules, scrapy_settings,
          auth, quiet, **cli_values):
    """Crawl a site from URLS: check every link, extract contacts, store a run.

    In-scope pages (the start hosts plus --allow-host) are parsed and followed;
    other targets are checked with HEAD (GET when HEAD fails) and never
    crawled.  Every run is kept in the database (--db).

    Exit codes: 0 done, 1 --fail-on matched, 2 bad input or database error,
    3 interrupted (SIGINT/SIGTERM; continue with --resume).
    """
    from siteaudit_crawler.runner import spawn_page_workers

    extra_settings = _parse_sets(scrapy_settings)
    page_workers = spawn_page_workers(extra_settings)  # first: they boot while the rest starts
    try:
        result = _crawl_with(page_workers, ctx, urls, db_path, config_path, resume, rule_files, no_default_rules,
                             no_rules, extra_settings, auth, quiet, cli_values)
    finally:
        if page_workers is not None:
            page_workers.close()
    return _report_run(ctx, result, db_path, fail_on, rule_files, no_default_rules, no_rules)


def _crawl_with(page_workers, ctx, urls, db_path, config_path, resume, rule_files, no_default_rules, no_rules,
                extra_settings, auth, quiet, cli_values):
    """Check the options and rule files, then crawl (``crawl``'s first half)."""
    from siteaudit_crawler.runner import run_crawl

    file_values = cfg.load_file(config_path) if config_path else {}
    if resume:
        # A resumed run keeps its own options (scope, limits, sitemaps) unless given again.
        file_values = {**_stored_options(db_path, resume), **file_values}
    opts = cfg.layered(file_values, cli_values)
    if not no_rules:
        from ..rules.load import load_rules

        load_rules(rule_files, use_defaults=not no_default_rules)  # a bad rule file fails before the crawl
    if not urls and not opts["sitemaps"] and not resume:
        raise click.UsageError("give at least one start URL, --sitemap URL, or --resume")
    if auth is not None and ":" not in auth:
        raise InputError("--auth / SITEAUDIT_AUTH expects USER:PASSWORD")
    verbose = ctx.find_root().params.get("verbose", 0)
    log_level = {0: "WARNING", 1: "INFO"}.get(verbose, "DEBUG")
    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    try:
        return run_crawl(list(urls), opts, db_path, resume_run=resume, log_level=log_level,
                         extra_settings=extra_settings, progress=progress, auth=auth or None,
                         page_workers=page_workers)
    finally:
        progress.done()


def _report_run(ctx, result, db_path, fail_on, rule_files, no_default_rules, no_rules):
    """The summary after a crawl: counts, rule results, exit code."""
    db = store.open_db(db_path)
    run_id = result.run_id
    info = store.run_info(db, run_id)
    c = {k: info[k] for k in ("pages", "links", "targets", "broken", "findings")}  # counted as the run ended
    if info["status"] != "interrupted":
        _check_start_urls(db, run_id, info["start_urls"], c["pages"])  # nothing crawled: one error line
    click.echo(f"Run {run_id} {info['status']}: {c['pages']} pages, {c['links']} links, "
               f"{c['targets']} targets checked, {c['broken']} broken, {c['findings']} contact findings "
               f"(database: {db_path})")
    if info["status"] == "interrupted":
        click.echo(f"Run {run_id} was interrupted; continue it with: siteaudit crawl --resume {run_id} --db {db_path}",
                   err=True)
        ctx.exit(3)
    if not no_rules:
        from ..rules import evaluate_run
        from .rules import summarize

        for line in summarize(run_id, evaluate_run(db, run_id, rule_files, use_defaults=not no_default_rules)):
            click.echo(line)
    if c["broken"]:
        click.echo(f"List them with: siteaudit links --db {db_path} --run {run_id} --outcome broken,broken-fragment")
    ctx.obj = {"run_id": run_id, "db": db}
    if fail_on == "broken" and c["broken"]:
        ctx.exit(1)
    if fail_on == "indeterminate":
        n = db.execute("SELECT count(*) FROM link_checks WHERE run_id = ? AND outcome = 'indeterminate'",
                       [run_id]).fetchone()[0]
        if c["broken"] or n:
            ctx.exit(1)


def _stored_options(db_path: str, resume: str) -> dict:
    """The crawl options a run was started with (what ``--resume`` continues with)."""
    db = store.open_db(db_path, create=False)
    try:
        info = store.run_info(db, store.resolve_run(db, resume))
    finally:
        db.conn.close()
    return {k: v for k, v in info["settings"].items() if k in cfg._BY_NAME and v not in (None, [], "")}


def _check_start_urls(db, run_id: int, start_urls: list[str], pages: int) -> None:
    """No page crawled at all: mark the run failed and say why (exit 2)."""
    if pages:
        return
    with store.transaction(db, "mark the run failed"):
        db.execute("UPDATE runs SET status = 'failed' WHERE id = ?", [run_id])
    for url in start_urls:
        row = db.execute("SELECT outcome, reason, error FROM link_checks WHERE run_id = ? AND target = ? "
                         "AND fragment = ''", [run_id, url]).fetchone()
        if row and row[0] != "ok":
            raise InputError(strip_controls(f"cannot crawl start URL {url}: {row[0]} ({row[2] or row[1]})"))
    raise InputError(f"no HTML page could be crawled from {', '.join(start_urls)}")


@click.command()
@db_option
@run_option
@click.option("--outcome", help="Comma-separated outcomes to list (ok, redirect, broken, broken-fragment, "
                                 "indeterminate, excluded, unsupported). Default: all.")
@format_option()
def links(db_path, run_spec, outcome, fmt):
    """List checked link targets with every page that links to them."""
    db = store.open_db(db_path, create=False)
    run_id = store.resolve_run(db, run_spec)
    wanted = [o.strip() for o in outcome.split(",") if o.strip()] if outcome else None
    rows = store.link_report(db, run_id, wanted)
    if fmt == "json":
        emit(rows, [], "json")
        return
    flat = [{"outcome": r["outcome"], "status": r["status"],
             "target": r["target"] + (f"#{r['fragment']}" if r["fragment"] else ""),
             "reason": r["reason"] or r["error"], "source": s["source"], "text": s["text"],
             "where": f"{s['element']}[{s['attribute']}] line {s['line']}" if s["line"] else s["path"]}
            for r in rows for s in r["sources"]]
    emit(flat, ["outcome", "status", "target", "reason", "source", "text", "where"], fmt)
    if fmt == "table":
        click.echo(strip_controls(f"{len(rows)} targets, {len(flat)} links (run {run_id})"), err=True)


COMMANDS = [crawl, links]
