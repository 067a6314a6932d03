"""Loading rule files and layering them: defaults, then the site's own files.

Precedence (documented for users in rules/README.md; each step is tested):

1. The default files shipped in ``siteaudit_rules`` load first, in file-name
   order, unless ``use_defaults`` is false.  Then the files given by the user,
   in the order given.
2. A rule id may appear only once in a file.
3. Within one file, ``rules`` are applied first, then ``override``, then
   ``disable``.
4. A rule whose id is already loaded (from an earlier file) *replaces* it as a
   whole; the replacement keeps the position of the original in listings.
5. ``override: {ID: {keys}}`` changes only the keys given (``select`` and
   ``expect`` are replaced as a whole, not merged); the id must already be
   loaded, else it is an error naming the line.
6. ``disable: [ID, ...]`` removes rules; an id not loaded is a warning (so a
   site file still works with ``--no-defaults``).  ``enabled: false`` on a rule
   or in an override keeps it listed but not evaluated.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

from ..errors import RuleFileError
from ._yaml import load_yaml
from .schema import Checker, Rule, RuleFile, validate_file

log = logging.getLogger(__name__)

DEFAULTS_PACKAGE = "siteaudit_rules"


@dataclass
class RuleSet:
    """The rules in force after layering, in order, with what happened on the way."""

    rules: list[Rule] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def active(self) -> list[Rule]:
        return [r for r in self.rules if r.enabled]

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def parse_rule_text(text: str, path: str) -> RuleFile:
    """Parse and validate the text of one rule file (``path`` is for messages)."""
    return validate_file(load_yaml(text, path), path)


def read_rule_file(path: str | Path) -> RuleFile:
    """Read, parse and validate one file; a missing or unreadable file is a RuleFileError."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleFileError(str(p), None, "no such rule file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(str(p), None, f"cannot read rule file: {exc}") from None
    return parse_rule_text(text, str(p))


def default_rule_files() -> list[RuleFile]:
    """The default rule files shipped in the ``siteaudit_rules`` package, by name."""
    root = resources.files(DEFAULTS_PACKAGE)
    found = sorted((e for e in root.iterdir() if e.name.endswith((".yml", ".yaml"))), key=lambda e: e.name)
    return [_parse_default(e.read_text(encoding="utf-8"), f"{DEFAULTS_PACKAGE}/{e.name}") for e in found]


@lru_cache(maxsize=64)
def _parse_default(text: str, path: str) -> RuleFile:
    # `siteaudit crawl` loads the rules twice in one process (a bad file fails before the crawl,
    # the rules run after it): the same text is parsed once (20-30 ms for the defaults).  Layering
    # never changes a RuleFile or its rules (frozen), so the parsed files can be shared.
    return parse_rule_text(text, path)


def layer(files: Iterable[RuleFile]) -> RuleSet:
    """Apply rule files in order, following the precedence in the module docstring."""
    out = RuleSet()
    for rf in files:
        out.files.append(rf.path)
        chk = Checker(rf.path)
        for rule in rf.rules:
            existing = out.get(rule.id)
            if existing is None:
                out.rules.append(rule)
            else:
                log.info("rule %s from %s replaces the one from %s", rule.id, rule.source, existing.source)
                out.rules[out.rules.index(existing)] = rule
        for rule_id, raw, line in rf.overrides:
            existing = out.get(rule_id)
            if existing is None:
                raise RuleFileError(rf.path, line, f"override of unknown rule id {rule_id!r} "
                                                   "(no earlier file defines it)")
            out.rules[out.rules.index(existing)] = chk.apply_override(existing, raw, line)
        for rule_id, line in rf.disable:
            existing = out.get(rule_id)
            if existing is None:
                out.warnings.append(f"{rf.path}:{line}: disable of unknown rule id {rule_id!r} ignored")
                continue
            out.rules.remove(existing)
            out.disabled.append(rule_id)
    for message in out.warnings:
        log.info(message)
    return out


def load_rules(paths: Iterable[str | Path] | None = None, use_defaults: bool = True) -> RuleSet:
    """Load the default rules (unless ``use_defaults`` is false) and then ``paths``.

    Raises :class:`RuleFileError` (file:line: message) for the first problem found.
    """
    files = default_rule_files() if use_defaults else []
    files += [read_rule_file(p) for p in (paths or [])]
    return layer(files)
