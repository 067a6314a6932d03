"""The view model: a run (and the run it is compared with) shaped for the templates.

:func:`build_report` keys every problem (:mod:`.compare`), works out streaks
over earlier runs of the same site, marks each problem new or still open,
collects the fixed ones, splits everything by program and returns plain
dataclasses: no SQL and no HTML here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from .compare import comparable_runs, streaks, url_keys
from .model import (DirectoryProblem, LinkProblem, RuleProblem, Snapshot, directory_key, link_key,
                    load_problem_keys, rule_key)
from .programs import UNASSIGNED, Program, ReportConfig

CATEGORIES = (
    ("broken", "Broken links"),
    ("indeterminate", "Links to recheck"),
    ("page_fields", "Missing or wrong contact info (pages)"),
    ("office_fields", "Missing or wrong contact info (offices)"),
    ("consistency", "Consistency problems"),
    ("directory", "Directory problems"),
)


@dataclass
class Metric:
    label: str
    value: int
    detail: str = ""  # "3 new · 1 fixed" or "+12 since run 4"
    new: int | None = None
    fixed: int | None = None
    alert: bool = False


@dataclass
class Fixed:
    """A problem of the compared run that is gone in this one."""

    kind: str
    description: str
    url: str
    programs: set[str]


@dataclass
class ProgramView:
    slug: str
    name: str
    program: Program | None
    pages: list[dict] = field(default_factory=list)
    link_problems: list[LinkProblem] = field(default_factory=list)  # sources cut to this program's pages
    rule_problems: list[RuleProblem] = field(default_factory=list)
    directory_problems: list[DirectoryProblem] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    fixed: list[Fixed] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    escalations: list[str] = field(default_factory=list)

    @property
    def designee(self):
        return self.program.designee if self.program else None

    @property
    def broken(self) -> list[LinkProblem]:
        return [p for p in self.link_problems if p.is_broken]

    @property
    def indeterminate(self) -> list[LinkProblem]:
        return [p for p in self.link_problems if not p.is_broken]

    def rules(self, category: str, office: bool | None = None) -> list[RuleProblem]:
        return [p for p in self.rule_problems if p.category == category
                and (office is None or bool(p.office) == office)]


@dataclass
class ReportView:
    snapshot: Snapshot
    config: ReportConfig
    compare: Snapshot | None
    compare_mode: str  # "" | "exact" | "path"
    programs: list[ProgramView]
    overall: ProgramView
    history: list[dict]  # comparable runs, oldest first, with problem counts
    new_keys: set[str]
    title: str

    @property
    def run(self) -> dict:
        return self.snapshot.run

    @cached_property
    def start_hosts(self) -> frozenset[str]:
        return frozenset(urlsplit(u).netloc.lower() for u in self.run["start_urls"])

    def short_url(self, url: str | None) -> str:
        """What to show for a URL: its path and query when it is on a start host (links keep the whole URL)."""
        if not url:
            return ""
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc.lower() in self.start_hosts:
            return (parts.path or "/") + (f"?{parts.query}" if parts.query else "") + \
                (f"#{parts.fragment}" if parts.fragment else "")
        return url


def _category_of(problem) -> str:
    if isinstance(problem, LinkProblem):
        return "broken" if problem.is_broken else "indeterminate"
    if isinstance(problem, DirectoryProblem):
        return "directory"
    if problem.category == "consistency":
        return "consistency"
    return "office_fields" if problem.office else "page_fields"


def _fixed_description(problem) -> tuple[str, str, str]:
    if isinstance(problem, LinkProblem):
        return "link", f"{problem.display_target} was {problem.outcome}", problem.sources[0]["source"] \
            if problem.sources else ""
    if isinstance(problem, DirectoryProblem):
        return "directory", f"{problem.category}: {problem.person or problem.value}", \
            problem.pages[0] if problem.pages else ""
    where = f" ({problem.office})" if problem.office else ""
    return problem.category, f"{problem.title or problem.rule_id}{where}: {problem.message}", problem.url


def _key_all(snap: Snapshot, keyer) -> dict[str, object]:
    keyed: dict[str, object] = {}
    for p in snap.link_problems:
        p.key = link_key(keyer, p.target, p.fragment)
        keyed[p.key] = p
    for p in snap.rule_problems:
        p.key = rule_key(keyer, p.rule_id, p.url, p.office, p.evidence)
        keyed[p.key] = p
    for p in snap.directory_problems:
        p.key = directory_key(p.category, p.person, p.value)
        keyed[p.key] = p
    return keyed


def _programs_of_problem(problem, assign) -> set[str]:
    """The programs owning the pages a problem is on (unassigned when it is on no page)."""
    urls = [s["source"] for s in problem.sources] if isinstance(problem, LinkProblem) else problem.pages
    return {assign(u) for u in urls} or {UNASSIGNED}


def build_report(db, snapshot: Snapshot, config: ReportConfig, compare: Snapshot | None = None) -> ReportView:
    """Shape ``snapshot`` (and ``compare``) for rendering; reads earlier runs' keys for streaks."""
    run = snapshot.run
    mode = ""
    if compare is not None:
        key_now, key_then = url_keys(run["start_urls"], compare.run["start_urls"])
        mode = "path" if key_now.by_path else "exact"
    else:
        key_now = url_keys(run["start_urls"], run["start_urls"])[0]
    current = _key_all(snapshot, key_now)
    previous = _key_all(compare, key_then) if compare is not None else {}

    # Streaks over earlier runs of the same site (their own key functions: ports may differ).
    runs = comparable_runs(db, run["id"], run["start_urls"])
    earlier = []
    for r in runs[1:]:
        keyer = url_keys(run["start_urls"], r["start_urls"])[1]
        earlier.append(load_problem_keys(db, r["id"], keyer))
    in_a_row = streaks(set(current), earlier)
    for key, problem in current.items():
        problem.streak = in_a_row.get(key, 1)
        if isinstance(problem, LinkProblem):
            first = runs[min(problem.streak, len(runs)) - 1]
            problem.first_seen = {"id": first["id"], "started_at": first["started_at"]}
            problem.promoted = problem.outcome == "indeterminate" and problem.streak >= config.indeterminate_after

    new_keys = set(current) - set(previous) if compare is not None else set()
    assign = config.assigner()
    fixed = []
    for key in sorted(set(previous) - set(current)):
        problem = previous[key]
        if isinstance(problem, RuleProblem) and problem.category == "links":
            continue  # the no-broken-links rule mirrors the links themselves, listed once
        kind, text, url = _fixed_description(problem)
        fixed.append((Fixed(kind, text, url, _programs_of_problem(problem, assign)), _category_of(problem)))

    views: dict[str, ProgramView] = {p.slug: ProgramView(p.slug, p.name, p) for p in config.programs}
    views[UNASSIGNED] = ProgramView(UNASSIGNED, "Pages in no program" if config.programs else "All pages", None)
    overall = ProgramView("overview", "All programs", None)

    for page in snapshot.pages:
        views[assign(page["url"])].pages.append(page)
    for f in snapshot.findings:
        views[assign(f["url"])].findings.append(f)
    for p in snapshot.link_problems:
        if not p.sources:  # a start or sitemap URL nothing links to: still someone's to fix
            views[UNASSIGNED].link_problems.append(p)
            continue
        by_program: dict[str, list] = defaultdict(list)
        for s in p.sources:
            by_program[assign(s["source"])].append(s)
        for slug, sources in by_program.items():
            views[slug].link_problems.append(_with_sources(p, sources))
    for p in snapshot.rule_problems:
        for slug in _programs_of_problem(p, assign):
            views[slug].rule_problems.append(p)
    for p in snapshot.directory_problems:
        for slug in _programs_of_problem(p, assign):
            views[slug].directory_problems.append(p)
    for item, _ in fixed:
        for slug in item.programs:
            views[slug].fixed.append(item)

    overall.pages = snapshot.pages
    overall.findings = snapshot.findings
    overall.link_problems = snapshot.link_problems
    overall.rule_problems = snapshot.rule_problems
    overall.directory_problems = snapshot.directory_problems
    overall.fixed = [item for item, _ in fixed]

    fixed_counts_all = Counter(cat for _, cat in fixed)
    ordered = [views[p.slug] for p in config.programs] + [views[UNASSIGNED]]
    for view in ordered + [overall]:
        fixed_counts = fixed_counts_all if view is overall else Counter(
            cat for item, cat in fixed if view.slug in item.programs)
        _metrics(view, snapshot, compare, new_keys, fixed_counts, config)
    keep = [v for v in ordered if v.program is not None or v.pages or v.link_problems or v.rule_problems
            or v.directory_problems or v.fixed]
    history = _history(db, runs, snapshot, config)
    return ReportView(snapshot=snapshot, config=config, compare=compare, compare_mode=mode, programs=keep,
                      overall=overall, history=history, new_keys=new_keys,
                      title=config.title or _site_title(snapshot))


def _with_sources(p: LinkProblem, sources: list[dict]) -> LinkProblem:
    if len(sources) == len(p.sources):
        return p
    return LinkProblem(target=p.target, fragment=p.fragment, outcome=p.outcome, status=p.status, reason=p.reason,
                       final_url=p.final_url, chain=p.chain, sources=sources, key=p.key, streak=p.streak,
                       first_seen=p.first_seen, promoted=p.promoted)


def _site_title(snapshot: Snapshot) -> str:
    starts = snapshot.run["start_urls"]
    return starts[0] if starts else f"Run {snapshot.run['id']}"


def _metrics(view: ProgramView, snap: Snapshot, compare: Snapshot | None, new_keys: set[str],
             fixed_counts: Counter, config: ReportConfig) -> None:
    problems: dict[str, list] = {
        "broken": view.broken,
        "indeterminate": view.indeterminate,
        "page_fields": view.rules("contact", office=False),
        "office_fields": view.rules("contact", office=True),
        "consistency": view.rules("consistency"),
        "directory": view.directory_problems,
    }
    view.counts = {k: len(v) for k, v in problems.items()}
    view.counts["pages"] = len(view.pages)
    view.counts["findings"] = len(view.findings)
    view.counts["pages_with_problems"] = len({p.url for p in problems["page_fields"]})
    view.counts["offices_with_problems"] = len({(p.url, p.office) for p in problems["office_fields"]})
    metrics = [Metric("Pages crawled", len(view.pages))]
    if view.slug == "overview":
        lc = snap.link_counts
        detail = ""
        if compare is not None:
            delta = lc["targets"] - compare.link_counts["targets"]
            detail = f"{delta:+d} since run {compare.run['id']}"
        metrics.append(Metric("Links checked", lc["targets"], f"{lc['edges']:,} links to {lc['targets']:,} targets"
                              + (f"; {detail}" if detail else "")))
    for cat, label in CATEGORIES:
        items = problems[cat]
        m = Metric(label, len(items), alert=bool(items) and cat != "indeterminate")
        where = {"page_fields": f"on {view.counts['pages_with_problems']} page(s)",
                 "office_fields": f"at {view.counts['offices_with_problems']} office(s)"}.get(cat)
        if compare is not None:
            m.new = sum(1 for p in items if p.key in new_keys)
            m.fixed = fixed_counts.get(cat, 0)
            m.detail = f"{m.new} new · {len(items) - m.new} still open · {m.fixed} fixed"
        if where and items:
            m.detail = f"{where}; {m.detail}" if m.detail else where
        metrics.append(m)
    view.metrics = metrics
    escalate = [p for items in problems.values() for p in items
                if p.streak >= config.escalate_after and getattr(p, "severity", "error") != "info"]
    if escalate:
        worst = max(p.streak for p in escalate)
        view.escalations = [f"{len(escalate)} problem(s) have been open for {config.escalate_after} or more runs "
                            f"in a row (longest: {worst} runs). Policy asks that leadership be told."]


def _history(db, runs: list[dict], snap: Snapshot, config: ReportConfig) -> list[dict]:
    """Problem counts of the comparable runs, oldest first (the trend chart's data)."""
    out = []
    has_rules = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'rule_results'").fetchone() is not None
    for r in reversed(runs):
        counts = dict(db.execute(
            "SELECT outcome, count(*) FROM link_checks WHERE run_id = ? AND outcome IN "
            "('broken', 'broken-fragment', 'indeterminate') GROUP BY outcome", [r["id"]]).fetchall())
        contact = 0
        if has_rules:
            contact = db.execute("SELECT count(*) FROM rule_results WHERE run_id = ? AND outcome = 'fail' AND "
                                 "severity IN ('error', 'warning') AND rule_id != 'no-broken-links'",
                                 [r["id"]]).fetchone()[0]
        out.append({"id": r["id"], "started_at": r["started_at"], "pages": r["pages"],
                    "broken": counts.get("broken", 0) + counts.get("broken-fragment", 0),
                    "indeterminate": counts.get("indeterminate", 0), "contact": contact})
    return out
