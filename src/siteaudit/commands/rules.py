"""``siteaudit rules check|list``, ``siteaudit check`` and ``siteaudit findings``.

A thin layer over :mod:`siteaudit.rules`: load/validate rule files, evaluate
them on a stored run, list the stored results.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import click

from ..errors import RuleFileError
from ..store import open_db, resolve_run
from ._common import db_option, emit, format_option, run_option

rules_option = click.option(
    "--rules", "rule_paths", multiple=True, type=click.Path(dir_okay=False),
    help="A rule file to add after the defaults (repeatable; later files override earlier ones).",
)
no_defaults_option = click.option(
    "--no-defaults", is_flag=True, help="Do not load the default rule sets shipped with siteaudit.",
)
SEVERITY = click.Choice(["error", "warning", "info"])


@click.group("rules")
def rules_group() -> None:
    """Validate and list rule files (see rules/README.md for the rule language)."""


@rules_group.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@no_defaults_option
def rules_check(files: tuple[str, ...], no_defaults: bool) -> None:
    """Validate rule FILES; print file:line: message for each problem (exit 2 if any)."""
    from ..rules.load import default_rule_files, layer, read_rule_file

    base = [] if no_defaults else default_rule_files()
    bad = 0
    for path in files:
        try:
            rule_file = read_rule_file(path)
            layered = layer(base + [rule_file])
        except RuleFileError as exc:
            click.echo(str(exc), err=True)
            bad += 1
            continue
        for warning in layered.warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo(f"{path}: ok ({len(rule_file.rules)} rule(s), {len(rule_file.overrides)} override(s), "
                   f"{len(rule_file.disable)} disabled)")
    if bad:
        raise click.exceptions.Exit(2)


@rules_group.command("list")
@rules_option
@no_defaults_option
@format_option()
def rules_list(rule_paths: tuple[str, ...], no_defaults: bool, fmt: str) -> None:
    """Show the rules in force: defaults, then --rules files in order."""
    from ..rules import load_rules

    ruleset = load_rules(rule_paths, use_defaults=not no_defaults)
    for warning in ruleset.warnings:
        click.echo(f"warning: {warning}", err=True)
    if ruleset.disabled:
        click.echo(f"disabled: {', '.join(ruleset.disabled)}", err=True)
    rows = [{"id": r.id, "severity": r.severity, "scope": r.scope, "enabled": "yes" if r.enabled else "no",
             "title": r.title, "policy": r.policy, "source": r.source} for r in ruleset.rules]
    emit(rows, ["id", "severity", "scope", "enabled", "title", "policy", "source"], fmt)


@click.command("check")
@db_option
@click.option("--run", "run_spec", required=True, help="Run id, 'latest' or 'previous'.")
@rules_option
@no_defaults_option
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date for age checks (default: the day the run started).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="never",
              show_default=True, help="Exit 1 when a rule of this severity (or a more severe one) fails.")
@click.pass_context
def check(ctx, db_path: str, run_spec: str, rule_paths: tuple[str, ...], no_defaults: bool, as_of,
          fail_on: str) -> None:
    """Evaluate rules on a stored run (no re-crawl); results replace the run's earlier ones."""
    from ..rules import evaluate_run
    from ..rules.store import SEVERITY_ORDER

    db = open_db(db_path, create=False)
    run_id = resolve_run(db, run_spec)
    when: date | None = as_of.date() if as_of else None
    results = evaluate_run(db, run_id, rule_paths, use_defaults=not no_defaults, as_of=when)
    for line in summarize(run_id, results):
        click.echo(line)
    if fail_on != "never":
        limit = SEVERITY_ORDER[fail_on]
        if any(r.outcome == "fail" and SEVERITY_ORDER[r.severity] <= limit for r in results):
            ctx.exit(1)


def summarize(run_id: int, results) -> list[str]:
    """Summary lines for a list of RuleResult (used by ``check`` and by ``crawl``)."""
    outcomes = Counter(r.outcome for r in results)
    failed = [r for r in results if r.outcome == "fail"]
    by_severity = Counter(r.severity for r in failed)
    lines = [f"run {run_id}: {len({r.rule_id for r in results})} rule(s), {len(results)} result(s): "
             f"{outcomes['fail']} failed ({by_severity['error']} error, {by_severity['warning']} warning, "
             f"{by_severity['info']} info), {outcomes['pass']} passed, {outcomes['not-applicable']} not applicable"]
    per_rule = Counter((r.severity, r.rule_id) for r in failed)
    order = {"error": 0, "warning": 1, "info": 2}
    for (severity, rule_id), n in sorted(per_rule.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        lines.append(f"  {severity:<7} {rule_id}: {n} failed")
    if failed:
        lines.append(f"details: siteaudit findings --run {run_id}")
    return lines


@click.command("findings")
@db_option
@run_option
@click.option("--severity", type=SEVERITY, default=None,
              help="Show this severity and the more severe ones (default: all).")
@click.option("--all", "show_all", is_flag=True, help="Also show passed and not-applicable results.")
@format_option()
def findings(db_path: str, run_spec: str, severity: str | None, show_all: bool, fmt: str) -> None:
    """List rule results of a run: what is missing, inconsistent or out of date."""
    from ..rules import load_results

    db = open_db(db_path, create=False)
    run_id = resolve_run(db, run_spec)
    rows = load_results(db, run_id, severity=severity, outcomes=None if show_all else ("fail",))
    columns = ["severity", "rule_id", "outcome", "url", "office", "message", "policy"]
    if fmt == "table":
        columns = ["severity", "rule_id", "url", "office", "message"] if not show_all else \
            ["severity", "rule_id", "outcome", "url", "office", "message"]
    if fmt == "json":
        rows = [{k: r[k] for k in ("rule_id", "severity", "outcome", "url", "office", "office_key", "message",
                                   "policy", "title", "evidence")} for r in rows]
    emit(rows, columns, fmt)


COMMANDS = [rules_group, findings, check]
