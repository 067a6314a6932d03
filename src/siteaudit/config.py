"""Crawl configuration, declared once and layered: defaults < config file < command line.

Each setting has a name, a default, a type and a help text (used by the CLI
options and the docs).  A config file is TOML; its ``[crawl]`` table holds
these keys.  Errors name the file and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    type: type
    help: str


CRAWL_SETTINGS: tuple[Setting, ...] = (
    Setting("max_pages", None, int, "Stop parsing new pages after N pages (links still checked)."),
    Setting("max_depth", None, int, "Do not parse pages more than N clicks from a start URL."),
    Setting("allow_hosts", [], list, "Extra hosts (host or host:port) that belong to the site."),
    Setting("allow_paths", [], list, "Only URLs whose path starts with one of these prefixes are in scope."),
    Setting("exclude", [], list, "Regexes: matching targets are reported as excluded, not fetched."),
    Setting("ignore_robots", False, bool, "Ignore robots.txt (only for a site you operate)."),
    Setting("sitemaps", [], list, "Sitemap (or sitemap index) URLs to start from."),
    Setting("concurrency", None, int, "Concurrent requests per host (default 4 with a 0.25 s delay)."),
    Setting("timeout", 20.0, float, "Seconds before a request times out."),
    Setting("retries", 2, int, "Retries for transient failures (5xx, 429, timeouts)."),
    Setting("retry_after_max", 120.0, float, "Longest Retry-After wait honoured, in seconds."),
    Setting("allow_private", None, bool, "Check links to private/loopback addresses (default: only when a start URL is private)."),
    Setting("user_agent", None, str, "User-Agent header (default names siteaudit and its contact URL)."),
    Setting("contact_url", None, str, "Contact URL put in the default User-Agent."),
    Setting("max_size", 10 * 1024 * 1024, int, "Largest response body read, in bytes."),
    Setting("max_pattern_pages", 1000, int, "Crawler-trap limit: at most N pages per URL pattern "
            "(digits folded, query values dropped); 0 = no limit."),
)
_BY_NAME = {s.name: s for s in CRAWL_SETTINGS}


def defaults() -> dict[str, Any]:
    return {s.name: (list(s.default) if isinstance(s.default, list) else s.default) for s in CRAWL_SETTINGS}


def read_toml(path: str | Path) -> dict[str, Any]:
    """A TOML config file as a dict; a missing, unreadable or invalid file is a
    ConfigError naming it (and the line, for a syntax error)."""
    p = Path(path)
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{p}: config file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read: {exc}") from exc


def load_file(path: str | Path) -> dict[str, Any]:
    """Read the ``[crawl]`` table of a TOML config file, validating keys and types."""
    p = Path(path)
    data = read_toml(p)
    section = data.get("crawl", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{p}: [crawl] must be a table")
    out: dict[str, Any] = {}
    for key, value in section.items():
        setting = _BY_NAME.get(key)
        if setting is None:
            known = ", ".join(sorted(_BY_NAME))
            raise ConfigError(f"{p}: [crawl] unknown key {key!r} (known: {known})")
        out[key] = _coerce(setting, value, f"{p}: [crawl] {key}")
    return out


def _coerce(setting: Setting, value: Any, where: str) -> Any:
    if setting.type is list:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
        raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
    if setting.type is bool:
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{where}: expected true or false, got {value!r}")
    if setting.type is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if setting.type is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if setting.type is str and isinstance(value, str):
        return value
    raise ConfigError(f"{where}: expected {setting.type.__name__}, got {value!r}")


def layered(file_values: dict[str, Any] | None, cli_values: dict[str, Any]) -> dict[str, Any]:
    """defaults < config file < command line (None / empty means 'not given')."""
    merged = defaults()
    merged.update(file_values or {})
    for key, value in cli_values.items():
        if key in _BY_NAME and value not in (None, (), []):
            merged[key] = list(value) if isinstance(value, tuple) else value
    return merged
