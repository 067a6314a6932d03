"""Rule evidence (a JSON object per result) as short lines a reviewer can read."""

from __future__ import annotations

import json
from typing import Any

FIELD_LABELS = {
    "walk_in_address": "walk-in address",
    "mailing_address": "mailing address",
    "appointment": "appointment instructions",
}


def _label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " "))


def _short(value: Any, limit: int = 160) -> str:
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) for v in value):
        text = "; ".join(map(str, value))
    else:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def evidence_lines(evidence: dict | None) -> list[str]:
    """Readable lines for the evidence shapes the rule checks produce; other keys as ``key: value``."""
    lines: list[str] = []
    for key, value in (evidence or {}).items():
        if key == "fields" and isinstance(value, dict):
            missing = value.get("missing") or []
            if missing:
                lines.append("Missing: " + ", ".join(_label(m) for m in missing))
            for name, shown in (value.get("present") or {}).items():
                lines.append(f"Shown {_label(name)}: " + "; ".join(map(str, shown)))
        elif key == "text_matches" and isinstance(value, dict):
            for pattern in value.get("missing") or []:
                lines.append(f"No text matching: {_short(pattern)}")
        elif key == "updated_within_days" and isinstance(value, dict):
            last = value.get("last_updated")
            if last:  # without a date the message says so already
                lines.append(f"Last updated: {last}")
        elif key == "no_flags" and isinstance(value, dict):
            for f in value.get("findings") or []:
                where = f" (line {f['line']})" if f.get("line") else ""
                tel = (f.get("data") or {}).get("tel")
                lines.append(f"{f.get('kind')} {f.get('text')!r}{where}: {', '.join(f.get('flags') or [])}"
                             + (f"; link dials {tel}" if tel else ""))
        elif key == "no_broken_links" and isinstance(value, dict):
            for b in value.get("broken") or []:
                lines.append(f"{b.get('target')} ({b.get('outcome')} {b.get('status') or ''})".replace(" )", ")"))
        elif key == "pages" and isinstance(value, list):
            for p in value:
                shown = p.get("values") or p.get("names") or []
                lines.append(f"{p.get('url')}: {', '.join(map(str, shown))}")
        elif key in ("kind", "value"):
            continue  # shown in the message
        elif isinstance(value, dict):
            for k, v in value.items():
                if not isinstance(v, bool):  # flags like review: true add nothing a reader needs
                    lines.append(f"{_label(k)}: {_short(v)}")
        else:
            lines.append(f"{_label(key)}: {_short(value)}")
    return lines
