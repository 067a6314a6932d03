"""Rules: what each kind of page must show, checked against a stored run.

Rule files (YAML) are loaded and validated by :mod:`.load` / :mod:`.schema`;
:func:`evaluate_run` reads a run from the database, evaluates the rules and
stores the results.  The library never prints.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable

from .evaluate import FAIL, NOT_APPLICABLE, PASS, RuleResult, evaluate_rules, load_run
from .facts import PAGE_TEXT_DDL, detect_page_types, find_last_updated, page_facts, store_page_facts
from .load import RuleSet, load_rules, read_rule_file
from .schema import Rule
from .store import RULE_RESULTS_DDL, load_results, save_results

__all__ = [
    "FAIL", "NOT_APPLICABLE", "PASS", "PAGE_TEXT_DDL", "RULE_RESULTS_DDL", "Rule", "RuleResult", "RuleSet",
    "detect_page_types", "evaluate_run", "find_last_updated", "load_results", "load_rules", "page_facts",
    "read_rule_file", "store_page_facts",
]


def evaluate_run(db, run_id: int, rule_paths: Iterable[str | Path] | None = None, use_defaults: bool = True,
                 *, as_of: date | None = None, save: bool = True) -> list[RuleResult]:
    """Evaluate the default rules (unless ``use_defaults`` is false) and ``rule_paths`` on a run.

    Results replace any stored for the run (``save``); ``as_of`` dates the
    age checks (default: the day the run started).  Raises RuleFileError
    (file:line: message) for a bad rule file; ``run_id`` must exist (resolve
    it first with :func:`siteaudit.store.resolve_run`).
    """
    ruleset = load_rules(rule_paths, use_defaults=use_defaults)
    results = evaluate_rules(load_run(db, run_id, as_of=as_of), ruleset.active)
    if save:
        save_results(db, run_id, results)
    return results
