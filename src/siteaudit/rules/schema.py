"""The rule language: what a rule may say, validated key by key.

A rule file is a mapping with ``rules`` (a list of rules), ``override`` (a
mapping from rule id to the keys to change) and ``disable`` (a list of rule
ids); a bare list is taken as ``rules``.  Every unknown key, wrong type and bad
regular expression raises :class:`~siteaudit.errors.RuleFileError` with the
file and line.  rules/README.md is the user's reference; keep it in step with
``SELECT_KEYS``, ``EXPECT_KEYS`` and ``FIELDS`` here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from ..errors import RuleFileError
from ._yaml import LineDict, LineList

SEVERITIES = ("error", "warning", "info")
PAGE_TYPES = ("contact", "locations", "office", "customer-service", "about")
# Finding-based fields a page or office block can be required to show.
FIELDS = ("phone", "tty", "fax", "email", "address", "walk_in_address", "mailing_address",
          "hours", "appointment", "short_code")
COUNTABLE = FIELDS + ("office",)
CONSISTENCY_KINDS = ("phone", "address", "hours", "email")
CONTACT_KINDS = ("phone", "email")

RULE_KEYS = ("id", "title", "severity", "policy", "description", "enabled", "select", "expect")
REQUIRED_RULE_KEYS = ("id", "title", "severity", "policy", "select", "expect")
OVERRIDE_KEYS = ("title", "severity", "policy", "description", "enabled", "select", "expect")
FILE_KEYS = ("rules", "override", "disable")
SELECT_KEYS = ("url", "url_regex", "page_type", "title", "home", "offices", "office_name", "site",
               "all", "any", "not")
SCOPE_KEYS = ("offices", "office_name", "site")  # only at the top of a rule's select
LINK_KEYS = ("url", "url_regex", "page_type", "text")
EXPECT_KEYS = ("fields", "at_least", "email_domains", "phone_area_codes", "hours_within",
               "hours_standard", "links_to", "reachable_within", "text_matches", "text_not_matches",
               "updated_within_days", "no_broken_links", "no_flags", "closure_notices_current",
               "consistent_offices", "unique_contacts", "all", "any")
SITE_ONLY_EXPECT = ("consistent_offices", "unique_contacts")
_ID = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")
_WINDOW = re.compile(r"\s*([0-2]?\d):([0-5]\d)\s*[-–]\s*([0-2]?\d):([0-5]\d)\s*\Z")


@dataclass(frozen=True)
class Rule:
    """One validated rule.

    ``select`` and ``expect`` are validated mappings (regexes compiled);
    ``scope`` is ``page``, ``office`` or ``site`` (from ``select``);
    ``source`` is ``path:line`` of its definition (or of its last override).
    """

    id: str
    title: str
    severity: str
    policy: str
    select: dict
    expect: dict
    scope: str = "page"
    enabled: bool = True
    description: str = ""
    source: str = ""


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    return {bool: "true/false", int: "a number", float: "a number", str: "text",
            LineDict: "a mapping", dict: "a mapping", LineList: "a list", list: "a list"}.get(
        type(value), type(value).__name__)


class Checker:
    """Validates one file's values; every error names ``path`` and a line."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, line: int | None, message: str) -> RuleFileError:
        return RuleFileError(self.path, line, message)

    # -- primitives -----------------------------------------------------
    def mapping(self, value, where: str, line: int) -> LineDict:
        if not isinstance(value, dict):
            raise self.fail(line, f"{where} must be a mapping, not {_type_name(value)}")
        return value

    def keys(self, value: LineDict, allowed: tuple[str, ...], where: str) -> None:
        for key in value:
            if key not in allowed:
                raise self.fail(value.key_line(key),
                                f"unknown key {key!r} in {where} (expected one of: {', '.join(allowed)})")

    def text(self, value, where: str, line: int) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(line, f"{where} must be non-empty text, not {_type_name(value)}")
        return value.strip()

    def boolean(self, value, where: str, line: int) -> bool:
        if not isinstance(value, bool):
            raise self.fail(line, f"{where} must be true or false, not {_type_name(value)}")
        return value

    def whole(self, value, where: str, line: int, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(line, f"{where} must be a whole number of at least {minimum}, not {value!r}")
        return value

    def regex(self, value, where: str, line: int) -> re.Pattern:
        pattern = self.text(value, where, line) if not isinstance(value, str) else value
        try:
            return re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise self.fail(line, f"bad regular expression in {where}: {pattern!r}: {exc}") from None

    def choice(self, value, choices: tuple[str, ...], where: str, line: int) -> str:
        if value not in choices:
            raise self.fail(line, f"{where} must be one of: {', '.join(choices)}; not {value!r}")
        return value

    def listed(self, value, where: str, line: int, item: Callable[[Any, str, int], Any]) -> list:
        """A list of items (a single item is taken as a list of one)."""
        if isinstance(value, list):
            if not value:
                raise self.fail(line, f"{where} must not be an empty list")
            lines = value.item_lines if isinstance(value, LineList) else []
            return [item(v, f"{where}[{i + 1}]", lines[i] if i < len(lines) else line)
                    for i, v in enumerate(value)]
        return [item(value, where, line)]

    # -- rule parts -----------------------------------------------------
    def select(self, value, where: str, line: int, top: bool = True) -> dict:
        value = self.mapping(value, where, line)
        self.keys(value, SELECT_KEYS, where)
        if not value:
            raise self.fail(line, f"{where} must name at least one condition")
        out: dict = {}
        for key, raw in value.items():
            kl, vl, w = value.key_line(key), value.value_line(key), f"{where}.{key}"
            if key in SCOPE_KEYS and not top:
                raise self.fail(kl, f"{w} is only allowed at the top of a rule's select")
            if key == "url":
                out[key] = self.listed(raw, w, vl, self.text)
            elif key in ("url_regex", "title", "office_name"):
                out[key] = self.listed(raw, w, vl, self.regex)
            elif key == "page_type":
                out[key] = self.listed(raw, w, vl, lambda v, ww, ll: self.choice(v, PAGE_TYPES, ww, ll))
            elif key == "offices" and not isinstance(raw, bool):
                if raw != "all":
                    raise self.fail(vl, f"{w} must be true, false or all, not {raw!r}")
                out[key] = "all"
            elif key in ("home", "offices", "site"):
                out[key] = self.boolean(raw, w, vl)
            elif key in ("all", "any"):
                if not isinstance(raw, list):
                    raise self.fail(vl, f"{w} must be a list of conditions, not {_type_name(raw)}")
                out[key] = self.listed(raw, w, vl, lambda v, ww, ll: self.select(v, ww, ll, top=False))
            elif key == "not":
                out[key] = self.select(raw, w, vl, top=False)
        if out.get("site") and len(out) > 1:
            raise self.fail(value.key_line("site"), f"{where}.site cannot be combined with other conditions")
        return out

    def link_matcher(self, value, where: str, line: int) -> dict:
        value = self.mapping(value, where, line)
        self.keys(value, LINK_KEYS, where)
        if not value:
            raise self.fail(line, f"{where} must name at least one of: {', '.join(LINK_KEYS)}")
        out: dict = {}
        for key, raw in value.items():
            vl, w = value.value_line(key), f"{where}.{key}"
            if key == "url":
                out[key] = self.listed(raw, w, vl, self.text)
            elif key == "page_type":
                out[key] = self.listed(raw, w, vl, lambda v, ww, ll: self.choice(v, PAGE_TYPES, ww, ll))
            else:
                out[key] = self.listed(raw, w, vl, self.regex)
        return out

    def expect(self, value, where: str, line: int) -> dict:
        value = self.mapping(value, where, line)
        self.keys(value, EXPECT_KEYS, where)
        if not value:
            raise self.fail(line, f"{where} must name at least one expectation")
        out: dict = {}
        for key, raw in value.items():
            vl, w = value.value_line(key), f"{where}.{key}"
            out[key] = self._expect_value(key, raw, w, vl)
        return out

    def _expect_value(self, key: str, raw, w: str, vl: int):
        pick = lambda choices: lambda v, ww, ll: self.choice(v, choices, ww, ll)  # noqa: E731
        if key == "fields":
            return self.listed(raw, w, vl, pick(FIELDS))
        if key == "at_least":
            raw = self.mapping(raw, w, vl)
            self.keys(raw, COUNTABLE, w)
            return {k: self.whole(v, f"{w}.{k}", raw.value_line(k), 1) for k, v in raw.items()}
        if key == "email_domains":
            return [d.lower().lstrip("@") for d in self.listed(raw, w, vl, self.text)]
        if key == "phone_area_codes":
            return self.listed(raw, w, vl, self._area_code)
        if key == "hours_within":
            return self._window(raw, w, vl)
        if key == "hours_standard":
            return self.listed(raw, w, vl, self.text)
        if key == "links_to":
            return self.listed(raw, w, vl, self.link_matcher)
        if key == "reachable_within":
            return self.whole(raw, w, vl, 0)
        if key in ("text_matches", "text_not_matches"):
            return self.listed(raw, w, vl, self.regex)
        if key == "updated_within_days":
            return self.whole(raw, w, vl, 1)
        if key in ("no_broken_links", "closure_notices_current"):
            return self.boolean(raw, w, vl)
        if key == "no_flags":
            return self._no_flags(raw, w, vl)
        if key == "consistent_offices":
            return self.listed(raw, w, vl, pick(CONSISTENCY_KINDS))
        if key == "unique_contacts":
            return self.listed(raw, w, vl, pick(CONTACT_KINDS))
        # all / any
        if not isinstance(raw, list):
            raise self.fail(vl, f"{w} must be a list of expectations, not {_type_name(raw)}")
        return self.listed(raw, w, vl, self.expect)

    def _area_code(self, value, where: str, line: int) -> str:
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if not isinstance(text, str) or not re.fullmatch(r"\d{3}", text):
            raise self.fail(line, f"{where} must be a three-digit area code, not {value!r}")
        return text

    def _window(self, value, where: str, line: int) -> tuple[int, int]:
        m = _WINDOW.match(value) if isinstance(value, str) else None
        if not m:
            raise self.fail(line, f"{where} must be a time window like \"07:00-18:00\", not {value!r}")
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if h1 > 24 or h2 > 24 or start >= end or end > 24 * 60:
            raise self.fail(line, f"{where} must be a time window like \"07:00-18:00\", not {value!r}")
        return (start, end)

    def _no_flags(self, value, where: str, line: int) -> dict:
        if isinstance(value, dict):
            self.keys(value, ("flags", "kinds"), where)
            if "flags" not in value:
                raise self.fail(line, f"{where} must name its flags")
            flags = self.listed(value["flags"], f"{where}.flags", value.value_line("flags"), self.text)
            kinds = None
            if "kinds" in value:
                kinds = self.listed(value["kinds"], f"{where}.kinds", value.value_line("kinds"),
                                    lambda v, ww, ll: self.choice(v, FIELDS, ww, ll))
            return {"flags": flags, "kinds": kinds}
        return {"flags": self.listed(value, where, line, self.text), "kinds": None}

    def rule_parts(self, value: LineDict, where: str, allowed: tuple[str, ...]) -> dict:
        """Validate the keys of a rule (or of an override): returns validated parts."""
        self.keys(value, allowed, where)
        parts: dict = {}
        for key, raw in value.items():
            vl, w = value.value_line(key), f"{where} {key}"
            if key == "id":
                if not isinstance(raw, str) or not _ID.match(raw):
                    raise self.fail(vl, f"rule id must be lower-case letters, digits, '.', '_' or '-', not {raw!r}")
                parts[key] = raw
            elif key in ("title", "policy", "description"):
                parts[key] = self.text(raw, w, vl)
            elif key == "severity":
                parts[key] = self.choice(raw, SEVERITIES, w, vl)
            elif key == "enabled":
                parts[key] = self.boolean(raw, w, vl)
            elif key == "select":
                parts[key] = self.select(raw, f"{where} select", vl)
            elif key == "expect":
                parts[key] = self.expect(raw, f"{where} expect", vl)
        return parts

    def rule(self, value, index: int, line: int) -> Rule:
        value = self.mapping(value, f"rules[{index}]", line)
        name = f"rule {value['id']!r}" if isinstance(value.get("id"), str) else f"rules[{index}]"
        parts = self.rule_parts(value, name, RULE_KEYS)
        for key in REQUIRED_RULE_KEYS:
            if key not in parts:
                raise self.fail(value.line, f"{name} is missing required key {key!r}")
        return self.build(parts, f"{self.path}:{value.line}", value.line)

    def build(self, parts: dict, source: str, line: int) -> Rule:
        """Make a Rule from validated parts, checking select and expect fit together."""
        select, expect = parts["select"], parts["expect"]
        scope = "site" if select.get("site") else "office" if (
            select.get("offices") or "office_name" in select) else "page"
        site_keys = set(_expect_keys(expect)) & set(SITE_ONLY_EXPECT)
        if scope == "site" and set(_expect_keys(expect)) - set(SITE_ONLY_EXPECT):
            raise self.fail(line, f"rule {parts['id']!r}: a site rule (select: site) can only expect "
                                  f"{' or '.join(SITE_ONLY_EXPECT)}")
        if scope != "site" and site_keys:
            raise self.fail(line, f"rule {parts['id']!r}: {sorted(site_keys)[0]} needs select: {{site: true}}")
        return Rule(id=parts["id"], title=parts["title"], severity=parts["severity"],
                    policy=parts["policy"], select=select, expect=expect, scope=scope,
                    enabled=parts.get("enabled", True), description=parts.get("description", ""),
                    source=source)

    def apply_override(self, rule: Rule, value, line: int) -> Rule:
        value = self.mapping(value, f"override {rule.id!r}", line)
        parts = self.rule_parts(value, f"override {rule.id!r}", OVERRIDE_KEYS)
        merged = {"id": rule.id, "title": rule.title, "severity": rule.severity, "policy": rule.policy,
                  "select": rule.select, "expect": rule.expect, "enabled": rule.enabled,
                  "description": rule.description}
        merged.update(parts)
        new = self.build(merged, f"{self.path}:{value.line}", value.line)
        return replace(new, source=f"{rule.source}, overridden at {self.path}:{value.line}")


def _expect_keys(expect: dict):
    for key, value in expect.items():
        if key in ("all", "any"):
            for sub in value:
                yield from _expect_keys(sub)
        else:
            yield key


@dataclass
class RuleFile:
    """The validated content of one file, before it is layered onto others."""

    path: str
    rules: list[Rule] = field(default_factory=list)
    overrides: list[tuple[str, Any, int]] = field(default_factory=list)  # (id, raw, line)
    disable: list[tuple[str, int]] = field(default_factory=list)  # (id, line)


def validate_file(data, path: str) -> RuleFile:
    """Validate the parsed content of one rule file (see module docstring)."""
    chk = Checker(path)
    out = RuleFile(path=path)
    if data is None:
        return out
    if isinstance(data, list):
        wrapper = LineDict(rules=data)
        wrapper.line = getattr(data, "line", 1)
        data = wrapper
    if not isinstance(data, dict):
        raise chk.fail(1, f"a rule file must be a mapping with {', '.join(FILE_KEYS)}; not {_type_name(data)}")
    chk.keys(data, FILE_KEYS, "the rule file")
    if "rules" in data:
        rules = data["rules"]
        if not isinstance(rules, list):
            raise chk.fail(data.value_line("rules"), f"rules must be a list, not {_type_name(rules)}")
        seen: dict[str, int] = {}
        for i, raw in enumerate(rules):
            line = rules.item_line(i) if isinstance(rules, LineList) else data.value_line("rules")
            rule = chk.rule(raw, i + 1, line)
            if rule.id in seen:
                raise chk.fail(line, f"duplicate rule id {rule.id!r} (first at line {seen[rule.id]})")
            seen[rule.id] = line
            out.rules.append(rule)
    if "override" in data:
        ov = chk.mapping(data["override"], "override", data.value_line("override"))
        for rule_id, raw in ov.items():
            out.overrides.append((str(rule_id), raw, ov.value_line(rule_id)))
    if "disable" in data:
        ids = chk.listed(data["disable"], "disable", data.value_line("disable"), chk.text)
        lines = data["disable"].item_lines if isinstance(data["disable"], LineList) else []
        out.disable = [(rid, lines[i] if i < len(lines) else data.value_line("disable"))
                       for i, rid in enumerate(ids)]
    return out
