"""schema.org contact data from JSON-LD, microdata and RDFa.

Reads the parsed tree directly (no second parse, no extruct): JSON-LD from
``<script type="application/ld+json">``, microdata from ``itemscope`` /
``itemprop``, RDFa from ``typeof`` / ``property``.  Every typed item that
carries ``telephone``, ``faxNumber``, ``email``, ``address``, ``openingHours``
or ``openingHoursSpecification`` (Organization, GovernmentOffice,
LocalBusiness, Place, their subtypes, ContactPoint...) gives findings of the
usual kinds with ``source="structured"``; ``office`` is the item's name.

Hours use OpenStreetMap ``opening_hours`` syntax ("Mo-Fr 08:00-17:00").
Malformed JSON is skipped (logged at debug level), never raised.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Iterator

from lxml import etree

from ..model import Finding
from .phones import normalize_phone
from .text import css_path

__all__ = ["extract_structured", "opening_hours_from_spec", "normalize_opening_hours"]

log = logging.getLogger(__name__)

_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
_DAY_NAMES = {"monday": "Mo", "tuesday": "Tu", "wednesday": "We", "thursday": "Th", "friday": "Fr",
              "saturday": "Sa", "sunday": "Su", "publicholidays": "PH", "mo": "Mo", "tu": "Tu", "we": "We",
              "th": "Th", "fr": "Fr", "sa": "Sa", "su": "Su", "ph": "PH"}
_CONTACT_PROPS = ("telephone", "faxNumber", "email", "address", "openingHours", "openingHoursSpecification",
                  "contactPoint")
_WORD_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                 "eight": "8", "nine": "9", "ten": "10"}
_PO_BOX_RE = re.compile(r"\bP\.?\s*O\.?\s*Box\s+(\d+)|\bPost\s+Office\s+Box\s+(\d+)", re.I)
_ZIP_RE = re.compile(r"\b(\d{5})(?:-(\d{4}))?\b")


def extract_structured(root: etree._Element, url: str = "") -> list[Finding]:
    """Contact findings from the schema.org data embedded in ``root``.

    ``url`` is unused today (kept so relative ``@id``s can be resolved later).
    Returns findings in document order of their items.
    """
    findings: list[Finding] = []
    for item, path, line in _items(root):
        findings += _item_findings(item, path, line)
    return findings


# --- reading the three syntaxes into plain dicts ------------------------------------------

def _items(root: etree._Element) -> Iterator[tuple[dict, str, int | None]]:
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError) as exc:
            log.debug("skipping malformed JSON-LD at line %s: %s", script.sourceline, exc)
            continue
        path = css_path(script)
        nodes: dict[str, dict] = {}
        _index_ids(data, nodes)
        for item in _walk_jsonld(data):
            yield (_resolve(item, nodes) if nodes else item), path, script.sourceline
    for el in _SCOPES(root):
        if _scope_parent(el) is None and el.get("itemprop") is None and el.get("property") is None:
            item = _read_scope(el)
            for sub in _walk_jsonld(item):
                yield sub, css_path(el), el.sourceline


# The elements with an itemscope or typeof attribute, in document order: the same set as
# //*[@itemscope or @typeof], found from the attributes of the elements (libxml2 tests a predicate on
# every element more slowly than it walks the attribute axis, and "//" visits every text node too).
_SCOPES = etree.XPath("/descendant::*/@itemscope/.. | /descendant::*/@typeof/..")


def _index_ids(data: Any, nodes: dict[str, dict], depth: int = 0) -> None:
    """Map every ``@id`` to its node (Yoast-style graphs refer to addresses by id)."""
    if depth > 20:
        return
    if isinstance(data, list):
        for x in data:
            _index_ids(x, nodes, depth + 1)
    elif isinstance(data, dict):
        if isinstance(data.get("@id"), str) and len(data) > 1:
            nodes.setdefault(data["@id"], data)
        for value in data.values():
            if isinstance(value, (dict, list)):
                _index_ids(value, nodes, depth + 1)


def _resolve(item: dict, nodes: dict[str, dict]) -> dict:
    """``item`` with ``{"@id": ...}`` references of its contact properties replaced by their nodes."""
    out = dict(item)
    for key in ("address", "contactPoint", "openingHoursSpecification", "location"):
        value = out.get(key)
        if isinstance(value, dict) and set(value) == {"@id"}:
            out[key] = nodes.get(value["@id"], value)
        elif isinstance(value, list):
            out[key] = [nodes.get(v["@id"], v) if isinstance(v, dict) and set(v) == {"@id"} else v for v in value]
    return out


def _walk_jsonld(data: Any, depth: int = 0) -> Iterator[dict]:
    """Every dict in ``data`` that has a type and contact properties (depth-limited)."""
    if depth > 20:
        return
    if isinstance(data, list):
        for x in data:
            yield from _walk_jsonld(x, depth + 1)
    elif isinstance(data, dict):
        if data.get("@type") and any(p in data for p in _CONTACT_PROPS):
            yield data
        for key, value in data.items():
            if key in ("address", "openingHoursSpecification", "contactPoint"):
                continue  # read as part of their owner
            if isinstance(value, (dict, list)):
                yield from _walk_jsonld(value, depth + 1)


def _scope_parent(el: etree._Element) -> etree._Element | None:
    node = el.getparent()
    while node is not None:
        if node.get("itemscope") is not None or node.get("typeof") is not None:
            return node
        node = node.getparent()
    return None


def _prop_names(el: etree._Element) -> list[str]:
    names = (el.get("itemprop") or "") + " " + (el.get("property") or "")
    return [n.rsplit(":", 1)[-1].rsplit("/", 1)[-1] for n in names.split() if n]


def _read_scope(scope: etree._Element) -> dict:
    """A microdata/RDFa item as a JSON-LD-like dict (nested items become dicts)."""
    itemtype = scope.get("itemtype") or scope.get("typeof") or "Thing"
    item: dict[str, Any] = {"@type": itemtype.split()[0].rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]}
    stack = list(reversed(list(scope)))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        names = _prop_names(el)
        nested = el.get("itemscope") is not None or el.get("typeof") is not None
        if names:
            value: Any = _read_scope(el) if nested else _prop_value(el)
            for name in names:
                if name in item:
                    item[name] = (item[name] if isinstance(item[name], list) else [item[name]]) + [value]
                else:
                    item[name] = value
        if not nested:
            stack.extend(reversed(list(el)))
    return item


def _prop_value(el: etree._Element) -> str:
    for attr in ("content", "datetime"):
        if el.get(attr) is not None:
            return el.get(attr).strip()
    if el.tag in ("a", "link", "area") and el.get("href"):
        return el.get("href").strip()
    if el.tag in ("img", "audio", "video", "source") and el.get("src"):
        return el.get("src").strip()
    if el.tag == "meta":
        return (el.get("content") or "").strip()
    return re.sub(r"\s+", " ", el.text_content()).strip()


# --- turning an item into findings --------------------------------------------------------

def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or ""
    return str(value).strip() if value is not None else ""


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _item_findings(item: dict, path: str, line: int | None) -> list[Finding]:
    name = _text(item.get("name"))
    stype = _text(item.get("@type"))
    base = {"office": name, "source": "structured", "path": path, "line": line}
    out: list[Finding] = []
    for prop, ptype in (("telephone", None), ("faxNumber", "fax")):
        for raw in _as_list(item.get(prop)):
            out += _phone(_text(raw), ptype, _text(item.get("contactType")), stype, base)
    for raw in _as_list(item.get("email")):
        address = _text(raw)
        address = address[7:] if address.lower().startswith("mailto:") else address
        if "@" in address:
            out.append(Finding(kind="email", value=address.strip().lower(), text=_text(raw), **base,
                               data={"schema_type": stype}))
    for raw in _as_list(item.get("address")):
        f = _address(raw, stype, base)
        if f:
            out.append(f)
    hours = [normalize_opening_hours(_text(h)) for h in _as_list(item.get("openingHours"))]
    spec = opening_hours_from_spec(_as_list(item.get("openingHoursSpecification")))
    if spec:
        hours.append(spec)
    hours = [h for h in hours if h]
    if hours:
        value = "; ".join(dict.fromkeys(hours))
        out.append(Finding(kind="hours", value=value, text=value, **base, data={"schema_type": stype}))
    for cp in _as_list(item.get("contactPoint")):
        if isinstance(cp, dict):
            cp = {"@type": "ContactPoint", "name": name, **cp}
            out += _item_findings(cp, path, line)
    return out


def _phone(raw: str, ptype: str | None, contact_type: str, stype: str, base: dict) -> list[Finding]:
    parsed = normalize_phone(raw) if raw else None
    if not parsed:
        return []
    value, valid = parsed
    if ptype is None:
        low = contact_type.lower()
        ptype = "tty" if "tty" in low or "tdd" in low else "fax" if "fax" in low else None
        if ptype is None:
            ptype = "tollfree" if value[2:5] in ("800", "833", "844", "855", "866", "877", "888") else "voice"
    return [Finding(kind="phone", value=value, text=raw, label=contact_type or ("Fax" if ptype == "fax" else ""),
                    **base, phone_type=ptype, flags=[] if valid else ["invalid"], data={"schema_type": stype})]


def _address(raw: Any, stype: str, base: dict) -> Finding | None:
    if isinstance(raw, str):
        text = raw.strip()
        street, city, state, unit = text.split(",")[0].strip(), "", "", ""
        m = _ZIP_RE.search(text)
        zip5, plus4 = (m.group(1), m.group(2) or "") if m else ("", "")
    elif isinstance(raw, dict):
        street = _text(raw.get("streetAddress"))
        if not street:
            street = _text(raw.get("postOfficeBoxNumber"))
            street = f"PO Box {street}" if street else ""
        city, state = _text(raw.get("addressLocality")), _text(raw.get("addressRegion"))
        unit = ""
        m = _ZIP_RE.search(_text(raw.get("postalCode")))
        zip5, plus4 = (m.group(1), m.group(2) or "") if m else (_text(raw.get("postalCode")), "")
        text = ", ".join(p for p in (street, city, f"{state} {_text(raw.get('postalCode'))}".strip()) if p)
    else:
        return None
    if not street and not zip5:
        return None
    box = _PO_BOX_RE.search(street)
    if box:
        number, kind = box.group(1) or box.group(2), "mailing"
    else:
        first = street.split(" ", 1)[0].lower() if street else ""
        number = first if first.isdigit() else _WORD_NUMBERS.get(first)
        kind = "physical" if stype not in ("Organization", "Person", "ContactPoint", "Thing") else "unknown"
    value = ", ".join(p for p in (street, city, f"{state} {zip5}".strip()) if p)
    data = {"number": number, "street": street, "unit": unit or None, "city": city, "state": state,
            "zip": zip5, "plus4": plus4 or None, "kind": kind, "schema_type": stype}
    return Finding(kind="address", value=value, text=text, label=kind, **base, data=data)


def _time(value: str) -> str | None:
    m = re.match(r"\s*(\d{1,2}):(\d{2})", value or "")
    if not m:
        return None
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def _day_ranges(days: list[str]) -> str:
    """``["Mo","Tu","We","Fr"]`` → ``"Mo-We,Fr"`` (week order; PH last)."""
    idx = sorted({_DAYS.index(d) for d in days if d in _DAYS})
    parts, start = [], None
    for i, d in enumerate(idx):
        if start is None:
            start = d
        if i + 1 == len(idx) or idx[i + 1] != d + 1:
            parts.append(_DAYS[start] if start == d else
                         f"{_DAYS[start]},{_DAYS[d]}" if d == start + 1 else f"{_DAYS[start]}-{_DAYS[d]}")
            start = None
    if "PH" in days:
        parts.append("PH")
    return ",".join(parts)


def opening_hours_from_spec(specs: list) -> str:
    """schema.org ``OpeningHoursSpecification`` items → opening_hours text.

    Days sharing the same opening times are merged ("Mo-Fr 08:00-17:00");
    ``opens == closes == 00:00`` means closed ("Su off").  Items with a
    ``validFrom`` date (holiday exceptions) are left out.
    """
    groups: dict[tuple[str, ...], list[str]] = {}
    for spec in specs:
        if not isinstance(spec, dict) or spec.get("validFrom") or spec.get("validThrough"):
            continue
        days = []
        for d in _as_list(spec.get("dayOfWeek")):
            key = re.sub(r"[^a-z]", "", _text(d).rsplit("/", 1)[-1].lower())
            if key in _DAY_NAMES:
                days.append(_DAY_NAMES[key])
        opens, closes = _time(_text(spec.get("opens"))), _time(_text(spec.get("closes")))
        if opens and closes and opens == closes == "00:00":
            times = "off"
        elif opens and closes:
            times = f"{opens}-{'24:00' if closes == '00:00' else closes}"
        else:
            continue
        groups.setdefault((times,), []).extend(days)
    rules = []
    for (times,), days in groups.items():
        ranges = _day_ranges(days)
        rules.append(f"{ranges} {times}".strip())
    rules.sort(key=lambda r: (r.endswith("off"), _DAYS.index(r[:2]) if r[:2] in _DAYS else 9))
    return "; ".join(rules)


def normalize_opening_hours(text: str) -> str:
    """Tidy a schema.org ``openingHours`` string ("Mo-Fr 9:00-17:00" → "Mo-Fr 09:00-17:00")."""
    text = re.sub(r"\s+", " ", text or "").strip()
    text = re.sub(r"\b(\d):(\d{2})\b", r"0\1:\2", text)
    text = re.sub(r"\b(Mo|Tu|We|Th|Fr|Sa|Su)\b", lambda m: m.group(1).capitalize(), text, flags=re.I)
    return text
