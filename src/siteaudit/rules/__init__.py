"""Rules: what each kind of page must show, checked against a stored run.

Rule files (YAML) are loaded and validated by :mod:`.load` / :mod:`.schema`;
:func:`evaluate_run` reads a run from the database, evaluates the rules and
stores the results.  The library never prints.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from .evaluate import RuleResult

# Where each public name lives.  They are imported on first use (PEP 562): `siteaudit crawl`
# validates its rule files before the crawl, and loading the rule language must not import
# the run reader and, through page facts, every extractor (~0.15 s before the first request).
_EXPORTS = {
    "FAIL": "evaluate", "NOT_APPLICABLE": "evaluate", "PASS": "evaluate", "RuleResult": "evaluate",
    "evaluate_rules": "evaluate", "load_run": "evaluate",
    "PAGE_TEXT_DDL": "facts", "detect_page_types": "facts", "find_last_updated": "facts", "page_facts": "facts",
    "store_page_facts": "facts",
    "RuleSet": "load", "load_rules": "load", "read_rule_file": "load",
    "Rule": "schema",
    "RULE_RESULTS_DDL": "store", "load_results": "store", "save_results": "store",
}

__all__ = sorted([*_EXPORTS, "evaluate_run"])


__getattr__ = lazy_exports(__name__, _EXPORTS)


def evaluate_run(db, run_id: int, rule_paths: Iterable[str | Path] | None = None, use_defaults: bool = True,
                 *, as_of: date | None = None, save: bool = True) -> list[RuleResult]:
    """Evaluate the default rules (unless ``use_defaults`` is false) and ``rule_paths`` on a run.

    Results replace any stored for the run (``save``); ``as_of`` dates the
    age checks (default: the day the run started).  Raises RuleFileError
    (file:line: message) for a bad rule file; ``run_id`` must exist (resolve
    it first with :func:`siteaudit.store.resolve_run`).
    """
    from .evaluate import evaluate_rules, load_run
    from .load import load_rules
    from .store import save_results

    ruleset = load_rules(rule_paths, use_defaults=use_defaults)
    results = evaluate_rules(load_run(db, run_id, as_of=as_of), ruleset.active)
    if save:
        save_results(db, run_id, results)
    return results
