"""Programs and their contact designees, read from ``siteaudit.toml``.

A program owns the pages whose URL matches one of its ``prefixes`` (a full
URL prefix, or a path prefix when it starts with ``/``) or ``patterns``
(globs as in rule files: ``*`` crosses ``/``, matched against the full URL
and against the path+query, case-insensitive).  The first program in file
order that matches wins; a page matching none is *unassigned*.

::

    [report]
    title = "Demo State Licensing & Permits Agency"
    indeterminate_after = 3   # runs in a row before an indeterminate link counts as broken
    escalate_after = 3        # runs in a row a problem stays open before leadership is told
    page_size = 500           # table rows per HTML page

    [[programs]]
    name = "Licensing"
    prefixes = ["/programs/licensing"]
    patterns = ["*/licens*"]
    rules = ["rules/licensing.yml"]       # optional, relative to this file
    designee = { name = "Robert Nakamura", email = "robert.nakamura@agency.example.gov" }

Every error raises :class:`~siteaudit.errors.ConfigError` naming the file and
the key (``siteaudit.toml: programs[2].designee.email: ...``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..config import read_toml
from ..errors import ConfigError
from ..rules.checks import url_matches_glob

UNASSIGNED = "unassigned"

_REPORT_KEYS = {
    "title": (str, ""),
    "indeterminate_after": (int, 3),
    "escalate_after": (int, 3),
    "page_size": (int, 500),
}
_PROGRAM_KEYS = {"name", "prefixes", "patterns", "rules", "designee", "description"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Designee:
    name: str
    email: str = ""


@dataclass
class Program:
    """A program: its name, URL prefixes/globs, contact designee and extra rule files."""

    name: str
    slug: str
    prefixes: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    designee: Designee | None = None
    rules: list[Path] = field(default_factory=list)
    description: str = ""

    def matches(self, url: str) -> bool:
        if any(_prefix_matches(url, p) for p in self.prefixes):
            return True
        return any(url_matches_glob(url, g) for g in self.patterns)


@dataclass
class ReportConfig:
    """What ``siteaudit.toml`` says about the report (defaults when there is no file)."""

    programs: list[Program] = field(default_factory=list)
    title: str = ""
    indeterminate_after: int = 3
    escalate_after: int = 3
    page_size: int = 500
    source: str = ""

    def program_for(self, url: str) -> str:
        """The slug of the first program matching ``url``, or ``unassigned``."""
        for program in self.programs:
            if program.matches(url):
                return program.slug
        return UNASSIGNED

    def assigner(self):
        """A memoized :meth:`program_for` (a run repeats the same URLs many times)."""
        cache: dict[str, str] = {}

        def assign(url: str) -> str:
            slug = cache.get(url)
            if slug is None:
                slug = cache[url] = self.program_for(url or "")
            return slug

        return assign


def _prefix_matches(url: str, prefix: str) -> bool:
    if prefix.startswith("/"):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return path.lower().startswith(prefix.lower())
    return url.lower().startswith(prefix.lower())


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "program"


def load_config(path: str | Path | None) -> ReportConfig:
    """Read the ``[report]`` table and ``[[programs]]`` of a TOML file.

    ``None`` gives the defaults and no programs (every page is unassigned).
    Unknown keys, wrong types, duplicate names and a designee without a name
    are errors naming the file and key; a rule file that does not exist is too.
    """
    if path is None:
        return ReportConfig()
    p = Path(path)
    data = read_toml(p)
    config = ReportConfig(source=str(p))
    report = data.get("report", {})
    if not isinstance(report, dict):
        raise ConfigError(f"{p}: [report] must be a table")
    for key, value in report.items():
        if key not in _REPORT_KEYS:
            raise ConfigError(f"{p}: [report] unknown key {key!r} (known: {', '.join(sorted(_REPORT_KEYS))})")
        typ, _ = _REPORT_KEYS[key]
        if not isinstance(value, typ) or isinstance(value, bool):
            raise ConfigError(f"{p}: [report] {key}: expected {typ.__name__}, got {value!r}")
        if typ is int and value < 1:
            raise ConfigError(f"{p}: [report] {key}: must be at least 1, got {value}")
        setattr(config, key, value)
    programs = data.get("programs", [])
    if not isinstance(programs, list):
        raise ConfigError(f"{p}: programs must be an array of tables ([[programs]])")
    slugs: set[str] = {UNASSIGNED}
    for i, raw in enumerate(programs, start=1):
        program = _program(p, f"programs[{i}]", raw)
        if program.slug in slugs:
            raise ConfigError(f"{p}: programs[{i}].name: {program.name!r} repeats another program's name "
                              f"(or is reserved); give each program its own name")
        slugs.add(program.slug)
        config.programs.append(program)
    return config


def _program(path: Path, where: str, raw: Any) -> Program:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: {where}: expected a table")
    unknown = set(raw) - _PROGRAM_KEYS
    if unknown:
        raise ConfigError(f"{path}: {where}: unknown key {sorted(unknown)[0]!r} "
                          f"(known: {', '.join(sorted(_PROGRAM_KEYS))})")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{path}: {where}.name: every program needs a name")
    prefixes = _strings(path, f"{where}.prefixes", raw.get("prefixes", []))
    patterns = _strings(path, f"{where}.patterns", raw.get("patterns", []))
    if not prefixes and not patterns:
        raise ConfigError(f"{path}: {where}: program {name!r} needs prefixes or patterns to own any page")
    rules = []
    for j, rule in enumerate(_strings(path, f"{where}.rules", raw.get("rules", [])), start=1):
        rule_path = (path.parent / rule) if not Path(rule).is_absolute() else Path(rule)
        if not rule_path.is_file():
            raise ConfigError(f"{path}: {where}.rules[{j}]: rule file {rule_path} not found")
        rules.append(rule_path)
    designee = None
    if "designee" in raw:
        d = raw["designee"]
        if not isinstance(d, dict):
            raise ConfigError(f"{path}: {where}.designee: expected a table with name and email")
        extra = set(d) - {"name", "email"}
        if extra:
            raise ConfigError(f"{path}: {where}.designee: unknown key {sorted(extra)[0]!r} (known: email, name)")
        dname, email = d.get("name"), d.get("email", "")
        if not isinstance(dname, str) or not dname.strip():
            raise ConfigError(f"{path}: {where}.designee.name: the contact designee needs a name")
        if not isinstance(email, str) or (email and not _EMAIL.match(email)):
            raise ConfigError(f"{path}: {where}.designee.email: not an email address: {email!r}")
        designee = Designee(dname.strip(), email.strip())
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise ConfigError(f"{path}: {where}.description: expected a string")
    return Program(name=name.strip(), slug=slugify(name), prefixes=prefixes, patterns=patterns,
                   designee=designee, rules=rules, description=description)


def _strings(path: Path, where: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{path}: {where}: expected a list of non-empty strings, got {value!r}")
    return list(value)


DEMO_CONFIG = """\
# Programs of the bundled demo agency (see docs/report.md).  Each program's
# contact designee gets a report page with only their program's pages.
[report]
title = "Demo State Licensing & Permits Agency"
indeterminate_after = 3
escalate_after = 3

[[programs]]
name = "Licensing"
prefixes = ["/programs/licensing", "/programs/records"]
designee = { name = "Robert Nakamura", email = "robert.nakamura@demo-agency.example.gov" }

[[programs]]
name = "Permits"
prefixes = ["/programs/permits"]
designee = { name = "Ana Beltrán", email = "ana.beltran@demo-agency.example.gov" }

[[programs]]
name = "Field offices"
prefixes = ["/offices/"]
designee = { name = "Elena Ortiz", email = "elena.ortiz@demo-agency.example.gov" }

[[programs]]
name = "Agency-wide pages"
patterns = ["/", "/index.html", "/about.html", "/contact.html", "/customer-service.html", "/feedback.html",
            "/accessibility.html", "/news/*"]
designee = { name = "Elena Ortiz", email = "elena.ortiz@demo-agency.example.gov" }
"""
