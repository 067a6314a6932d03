"""Queries: one run of the database read into plain values (a :class:`Snapshot`).

Only what the report shows is read: link checks with a problem outcome and
their referring edges (not all 200,000 edges), failed rule results, the latest
directory diff of the run, the findings and the pages.  Each problem gets a
comparison key from :mod:`.compare` when the view is built.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from ..store import query
from ._evidence import evidence_lines

PROBLEM_OUTCOMES = ("broken", "broken-fragment", "indeterminate")
LINK_RULES = {"no-broken-links"}  # shown in the broken-links section, not again as a contact problem


@dataclass
class LinkProblem:
    """A checked target (or target#fragment) with a problem outcome and every page linking to it."""

    target: str
    fragment: str
    outcome: str
    status: int | None
    reason: str
    final_url: str = ""
    chain: list = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)  # {source, text, element, attribute, path, line}
    key: str = ""
    streak: int = 1  # comparable runs in a row with a problem outcome, this one included
    first_seen: dict | None = None  # {id, started_at} of the first run of the streak
    promoted: bool = False  # indeterminate for long enough to be listed as broken

    @property
    def display_target(self) -> str:
        return self.target + (f"#{self.fragment}" if self.fragment else "")

    @property
    def is_broken(self) -> bool:
        return self.outcome != "indeterminate" or self.promoted


@dataclass
class RuleProblem:
    """A failed rule result: which rule, how severe, which policy, where, and the evidence."""

    rule_id: str
    severity: str
    policy: str
    title: str
    url: str
    office: str
    message: str
    evidence: dict
    category: str  # contact | consistency | links
    key: str = ""
    streak: int = 1

    @property
    def evidence_lines(self) -> list[str]:
        return evidence_lines(self.evidence)

    @property
    def pages(self) -> list[str]:
        """Every page the result names (consistency results name several)."""
        listed = [p.get("url") for p in self.evidence.get("pages") or [] if isinstance(p, dict)]
        return [u for u in dict.fromkeys([self.url] + listed) if u]


@dataclass
class DirectoryProblem:
    """A directory diff line other than ``ok``: departed, mismatch, unknown or missing."""

    category: str
    person: str
    value: str
    value_kind: str
    pages: list[str]
    occurrences: list[dict]
    business_days: int | None
    window_passed: bool | None
    detail: str
    key: str = ""
    streak: int = 1


@dataclass
class Snapshot:
    """Everything the report needs from one run."""

    run: dict
    pages: list[dict]
    link_counts: dict
    link_problems: list[LinkProblem]
    rules_evaluated: bool
    rule_problems: list[RuleProblem]
    rule_counts: dict
    directory_import: dict | None
    directory_problems: list[DirectoryProblem]
    directory_ok: int
    findings: list[dict]


def _table_exists(db, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", [name]).fetchone() is not None


def load_run_info(db, run_id: int) -> dict:
    info = query(db, "SELECT * FROM runs WHERE id = ?", [run_id])[0]
    info["start_urls"] = json.loads(info["start_urls"] or "[]")
    info["settings"] = json.loads(info["settings"] or "{}")
    return info


def load_pages(db, run_id: int) -> list[dict]:
    return query(db, "SELECT url, final_url, status, title, content_type, duplicate_of, error, depth FROM pages "
                     "WHERE run_id = ? ORDER BY url", [run_id])


def load_link_counts(db, run_id: int) -> dict:
    outcomes = Counter({r["outcome"]: r["n"] for r in query(
        db, "SELECT outcome, count(*) AS n FROM link_checks WHERE run_id = ? GROUP BY outcome", [run_id])})
    edges = db.execute("SELECT count(*) FROM links WHERE run_id = ?", [run_id]).fetchone()[0]
    targets = db.execute("SELECT count(*) FROM link_checks WHERE run_id = ? AND fragment = ''",
                         [run_id]).fetchone()[0]
    return {"edges": edges, "targets": targets, "outcomes": dict(outcomes)}


def load_link_problems(db, run_id: int) -> list[LinkProblem]:
    """Problem checks of a run with their referring edges.

    An edge to ``page#frag`` belongs to the fragment's check when that is the
    problem, else to the target's own check (a broken page breaks every
    fragment on it).
    """
    marks = ",".join("?" for _ in PROBLEM_OUTCOMES)
    problems: dict[tuple[str, str], LinkProblem] = {}
    for c in query(db, f"SELECT target, fragment, outcome, status, final_url, chain, error, reason FROM link_checks "
                       f"WHERE run_id = ? AND outcome IN ({marks}) ORDER BY target, fragment",
                   [run_id, *PROBLEM_OUTCOMES]):
        problems[(c["target"], c["fragment"])] = LinkProblem(
            target=c["target"], fragment=c["fragment"], outcome=c["outcome"], status=c["status"],
            reason=c["reason"] or c["error"] or "", final_url=c["final_url"] or "",
            chain=json.loads(c["chain"] or "[]"))
    if not problems:
        return []
    edges = query(db, f"SELECT l.source, l.target, l.fragment, l.text, l.element, l.attribute, l.path, l.line, "
                      f"c.fragment AS check_fragment FROM link_checks c JOIN links l "
                      f"ON l.run_id = c.run_id AND l.target = c.target AND (c.fragment = '' OR l.fragment = c.fragment) "
                      f"WHERE c.run_id = ? AND c.outcome IN ({marks}) ORDER BY l.source, l.line, l.id",
                  [run_id, *PROBLEM_OUTCOMES])
    seen: set[tuple] = set()
    for e in edges:
        own = (e["target"], e["fragment"])
        key = own if e["fragment"] and own in problems else (e["target"], e["check_fragment"])
        if key != (e["target"], e["check_fragment"]):
            continue  # the same edge also joined the fragment's own check
        ident = (key, e["source"], e["path"], e["line"], e["text"], e["fragment"])
        if ident in seen:
            continue
        seen.add(ident)
        problems[key].sources.append({k: e[k] for k in ("source", "text", "element", "attribute", "path", "line",
                                                         "fragment")})
    return list(problems.values())


def classify_rule(rule_id: str, evidence: dict) -> str:
    if rule_id in LINK_RULES or "no_broken_links" in evidence:
        return "links"
    if isinstance(evidence.get("pages"), list):
        return "consistency"
    return "contact"


def load_rule_problems(db, run_id: int) -> tuple[bool, list[RuleProblem], dict]:
    """(rules were evaluated for this run, failed results, counts by outcome)."""
    if not _table_exists(db, "rule_results"):
        return False, [], {}
    counts = {r["outcome"]: r["n"] for r in query(
        db, "SELECT outcome, count(*) AS n FROM rule_results WHERE run_id = ? GROUP BY outcome", [run_id])}
    if not counts:
        return False, [], {}
    out = []
    order = {"error": 0, "warning": 1, "info": 2}
    for r in query(db, "SELECT rule_id, severity, policy, title, url, office, message, evidence FROM rule_results "
                       "WHERE run_id = ? AND outcome = 'fail' ORDER BY id", [run_id]):
        evidence = json.loads(r["evidence"] or "{}")
        out.append(RuleProblem(rule_id=r["rule_id"], severity=r["severity"], policy=r["policy"] or "",
                               title=r["title"] or "", url=r["url"] or "", office=r["office"] or "",
                               message=r["message"] or "", evidence=evidence,
                               category=classify_rule(r["rule_id"], evidence)))
    out.sort(key=lambda p: (order.get(p.severity, 3), p.rule_id, p.url, p.office))
    return True, out, counts


def load_directory(db, run_id: int) -> tuple[dict | None, list[DirectoryProblem], int]:
    """The latest directory diff stored for the run: (import info, problems, ok count)."""
    if not _table_exists(db, "directory_results"):
        return None, [], 0
    row = db.execute("SELECT import_id, as_of, window FROM directory_results WHERE run_id = ? ORDER BY id DESC "
                     "LIMIT 1", [run_id]).fetchone()
    if row is None:
        return None, [], 0
    import_id, as_of, window = row
    info = query(db, "SELECT id, source, imported_at, accepted FROM directory_imports WHERE id = ?", [import_id])
    info = {**(info[0] if info else {"id": import_id}), "as_of": as_of, "window": window}
    problems, ok = [], 0
    for r in query(db, "SELECT * FROM directory_results WHERE run_id = ? AND import_id = ? ORDER BY id",
                   [run_id, import_id]):
        if r["category"] == "ok":
            ok += 1
            continue
        problems.append(DirectoryProblem(
            category=r["category"], person=r["person"] or "", value=r["value"] or "",
            value_kind=r["value_kind"] or "", pages=json.loads(r["pages"] or "[]"),
            occurrences=json.loads(r["occurrences"] or "[]"), business_days=r["business_days"],
            window_passed=None if r["window_passed"] is None else bool(r["window_passed"]),
            detail=r["detail"] or ""))
    return info, problems, ok


def load_findings(db, run_id: int) -> list[dict]:
    """Every contact finding of the run with the name of the office block it sits in."""
    rows = query(db, "SELECT f.url, f.kind, f.value, f.text, f.label, f.office, f.office_key, f.phone_type, "
                     "f.source, f.path, f.line, f.flags, o.name AS office_name FROM findings f "
                     "LEFT JOIN offices o ON o.run_id = f.run_id AND o.url = f.url AND o.office_key = f.office_key "
                     "WHERE f.run_id = ? ORDER BY f.url, f.line, f.id", [run_id])
    for r in rows:
        r["flags"] = json.loads(r["flags"] or "[]")
        r["office"] = r.pop("office_name") or r["office"] or ""
    return rows


def load_snapshot(db, run_id: int) -> Snapshot:
    """Read one run for the report (``run_id`` must exist: resolve it with store.resolve_run)."""
    evaluated, rule_problems, rule_counts = load_rule_problems(db, run_id)
    import_info, dir_problems, dir_ok = load_directory(db, run_id)
    return Snapshot(
        run=load_run_info(db, run_id), pages=load_pages(db, run_id), link_counts=load_link_counts(db, run_id),
        link_problems=load_link_problems(db, run_id), rules_evaluated=evaluated, rule_problems=rule_problems,
        rule_counts=rule_counts, directory_import=import_info, directory_problems=dir_problems,
        directory_ok=dir_ok, findings=load_findings(db, run_id))


def load_problem_keys(db, run_id: int, keyer) -> set[str]:
    """The comparison keys of a run's problems, cheaply (for streaks over earlier runs)."""
    marks = ",".join("?" for _ in PROBLEM_OUTCOMES)
    keys = {link_key(keyer, r[0], r[1]) for r in db.execute(
        f"SELECT target, fragment FROM link_checks WHERE run_id = ? AND outcome IN ({marks})",
        [run_id, *PROBLEM_OUTCOMES])}
    if _table_exists(db, "rule_results"):
        for r in db.execute("SELECT rule_id, url, office, evidence FROM rule_results WHERE run_id = ? AND "
                            "outcome = 'fail'", [run_id]):
            keys.add(rule_key(keyer, r[0], r[1], r[2], json.loads(r[3] or "{}")))
    if _table_exists(db, "directory_results"):
        for r in db.execute("SELECT category, person, value FROM directory_results WHERE run_id = ? AND "
                            "category != 'ok'", [run_id]):
            keys.add(directory_key(r[0], r[1], r[2]))
    return keys


def link_key(keyer, target: str, fragment: str) -> str:
    return "link " + keyer(target) + (f"#{fragment}" if fragment else "")


def rule_key(keyer, rule_id: str, url: str | None, office: str | None, evidence: dict) -> str:
    extra = ""
    if isinstance(evidence.get("pages"), list):  # site-wide results: which value/kind disagrees
        extra = f"|{evidence.get('kind', '')}|{evidence.get('value', '')}"
    return f"rule {rule_id}|{keyer(url or '')}|{office or ''}{extra}"


def directory_key(category: str, person: str | None, value: str | None) -> str:
    return f"directory {category}|{person or ''}|{value or ''}"
