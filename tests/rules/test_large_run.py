"""RunData reads a run on demand; results must equal the simple in-memory way.

``EagerRun`` is the reference: it loads every finding, office, link and link
check of the run into dicts and computes distances and broken links from them
(the way RunData did before it read the run lazily).  A synthetic run of
3,000 pages x 40 links, with redirects, trailing-slash variants, non-HTML and
error pages, unreachable pages, broken targets and fragments, office blocks
and flagged findings, must give the same rule results both ways.  Not timed.
"""

from __future__ import annotations

import random
from collections import defaultdict, deque

import pytest
from rulekit import SITE, RunBuilder, full_office, phone, rules_from

from siteaudit.rules.data import BROKEN, OfficeData, RunData
from siteaudit.rules.evaluate import evaluate_rules
from siteaudit.rules.load import load_rules
from siteaudit.store import insert_rows, query

RULES = """
rules:
  - {id: reach-2, title: T, severity: warning, policy: P, select: {url: '*'}, expect: {reachable_within: 2}}
  - {id: reach-4, title: T, severity: warning, policy: P, select: {not: {home: true}}, expect: {reachable_within: 4}}
  - id: links
    title: T
    severity: error
    policy: P
    select: {any: [{page_type: office}, {page_type: contact}, {url: '*/s1/*'}]}
    expect:
      links_to: [{page_type: contact}, {text: 'office'}, {url_regex: '/p1\\d$'}]
  - {id: broken, title: T, severity: error, policy: P, select: {url: '*'}, expect: {no_broken_links: true}}
  - id: counts
    title: T
    severity: warning
    policy: P
    select: {url: '*'}
    expect: {at_least: {phone: 1, office: 2}}
  - id: office-blocks
    title: T
    severity: warning
    policy: P
    select: {offices: true}
    expect: {fields: [phone, hours], no_flags: {flags: [invalid], kinds: [phone]}}
"""


class EagerRun(RunData):
    """The reference: the whole run in memory, as dicts."""

    def __init__(self, db, run_id, as_of=None):
        super().__init__(db, run_id, as_of=as_of)
        lazy = self.findings
        self.findings = defaultdict(list)
        for f in query(db, "SELECT * FROM findings WHERE run_id = ? ORDER BY url, id", [run_id]):
            self.findings[f["url"]].append(lazy.convert(f))
        self.offices = defaultdict(list)
        for o in query(db, "SELECT url, office_key, name, path, line FROM offices WHERE run_id = ? "
                           "ORDER BY url, office_key", [run_id]):
            self.offices[o["url"]].append(OfficeData(o["url"], o["office_key"], o["name"] or "", o["path"] or "",
                                                     o["line"]))
        self.edges = defaultdict(list)
        for e in query(db, "SELECT source, target, fragment, element, text, path, line FROM links "
                           "WHERE run_id = ? ORDER BY id", [run_id]):
            self.edges[e["source"]].append(e)
        self.checks = {(c["target"], c["fragment"]): c for c in query(
            db, "SELECT target, fragment, outcome, status, error, reason FROM link_checks WHERE run_id = ?",
            [run_id])}

    def distances(self):
        if self._distances is not None:
            return self._distances
        dist, queue = {}, deque()
        for url, page in self.pages.items():
            if page.is_home:
                dist[url] = 0
                queue.append(url)
        while queue:
            url = queue.popleft()
            for edge in self.edges.get(url, ()):
                target = self.page_for(edge["target"])
                if target is not None and target.url not in dist:
                    dist[target.url] = dist[url] + 1
                    queue.append(target.url)
        self._distances = dist
        return dist

    def broken_links(self, url):
        out = []
        for e in self.edges.get(url, ()):
            base = self.checks.get((e["target"], ""))
            frag = self.checks.get((e["target"], e["fragment"])) if e["fragment"] else None
            check = base if base is not None and base["outcome"] in BROKEN else frag
            if check is not None and check["outcome"] in BROKEN:
                out.append({"target": e["target"] + (f"#{e['fragment']}" if e["fragment"] else ""),
                            "text": e["text"] or "", "outcome": check["outcome"], "status": check["status"],
                            "reason": check["reason"] or check["error"] or "", "path": e["path"], "line": e["line"]})
        return out


def url_of(i: int) -> str:
    return SITE + "/" if i == 0 else f"{SITE}/s{i % 7}/p{i}"


def synthetic_run(db, pages: int, links: int, seed: int = 3) -> int:
    """A run of ``pages`` pages x ``links`` link rows, written with insert_rows (table by table)."""
    rnd = random.Random(seed)
    run_id = RunBuilder(db).run_id
    unreachable = set(range(pages - 5, pages))  # nothing links to these
    page_rows, link_rows, finding_rows, office_rows, checks = [], [], [], [], {}
    names = {0: "Agency home", 1: "Contact us", 2: "Field offices"}
    for i in range(pages):
        url = url_of(i)
        final = url + "/" if i % 11 == 3 else url  # served under another URL (redirect, trailing slash)
        ctype = "application/pdf" if i % 97 == 5 else "text/html"
        status = 404 if i % 89 == 7 else 200
        title = names.get(i, f"Town{i} Field Office" if i % 13 == 0 else f"Topic {i}")
        page_rows.append({"run_id": run_id, "url": url, "final_url": final, "status": status,
                          "content_type": ctype, "title": title, "depth": 0 if i == 0 else 1 + i % 5})
        targets = [url_of(c) for c in range(8 * i + 1, min(8 * i + 9, pages)) if c not in unreachable]
        while len(targets) < links:
            j = rnd.randrange(pages)
            if j in unreachable:
                continue
            r = rnd.random()
            if r < 0.05:
                targets.append(url_of(j) + "/")  # trailing-slash variant of a page
            elif r < 0.08:
                targets.append(url_of(j) + "#sec")
            elif r < 0.10:
                targets.append(url_of(j) + "#missing")
            elif r < 0.12:
                targets.append(f"{SITE}/gone/{rnd.randrange(20)}")
            elif r < 0.14:
                targets.append(f"{SITE}/gone/{rnd.randrange(20)}#missing")
            elif r < 0.17:
                targets.append(f"{SITE}/files/f{rnd.randrange(50)}.pdf")
            else:
                targets.append(url_of(j))
        for n, t in enumerate(targets[:links]):
            target, _, fragment = t.partition("#")
            if i % 2 == 0 and n in (1, 2):  # half the pages link to the contact page and to one of p10-p19
                target, fragment = url_of(1) if n == 1 else url_of(10 + i % 10), ""
            text = "Find an office" if n == 3 else "" if n % 9 == 0 else f"link {n}"
            link_rows.append({"run_id": run_id, "source": url, "target": target, "fragment": fragment,
                              "element": "a", "attribute": "href", "text": text,
                              "path": "footer > a" if n < 4 else "main > a", "line": n})
            gone = "/gone/" in target
            odd = "/files/f1" in target  # f1, f10-f19: 404
            checks.setdefault((target, ""), ("broken" if gone or odd else "ok", 404 if gone or odd else 200))
            if fragment:
                checks.setdefault((target, fragment), ("broken-fragment" if fragment == "missing" else "ok", 200))
        keys = [(0, "Contact us")] + ([(1, f"Town{i} office"), (2, "Annex")] if i % 13 == 0 else [])
        for key, name in keys:
            office_rows.append({"run_id": run_id, "url": url, "office_key": key, "name": name,
                                "path": "footer > div" if key == 0 else f"main > section:nth-of-type({key})",
                                "line": 5, "kinds": []})
        found = [phone("+15035550100", office_key=0, path="footer > p")]
        if i % 13 == 0:
            found += full_office(1, phone_value=f"+1503555{i % 10000:04d}") + [phone("+15035550199", office_key=2)]
            if i % 39 == 0:
                found.append(phone("+1503", office_key=2, flags=["invalid"]))
        for f in found:
            finding_rows.append({"run_id": run_id, "url": url, "kind": f["kind"], "value": f.get("value"),
                                 "text": f.get("text"), "label": f.get("label", ""), "office": "",
                                 "office_key": f.get("office_key"), "source": "text",
                                 "phone_type": f.get("phone_type"), "path": f.get("path", "main > p"), "line": 10,
                                 "flags": f.get("flags", []), "data": f.get("data", {})})
    insert_rows(db, "pages", page_rows)
    insert_rows(db, "links", link_rows)
    insert_rows(db, "findings", finding_rows)
    insert_rows(db, "offices", office_rows)
    insert_rows(db, "link_checks", [
        {"run_id": run_id, "target": t, "fragment": f, "outcome": o, "status": s,
         "reason": "" if o == "ok" else "no such anchor" if f else "", "error": None if o == "ok" else f"HTTP {s}"}
        for (t, f), (o, s) in checks.items()])
    return run_id


def _results(run, rules):
    return [r.to_dict() for r in evaluate_rules(run, rules)]


@pytest.mark.parametrize("pages, links", [(60, 12), (3000, 40)])
def test_lazy_run_gives_the_simple_results(db, pages, links):
    run_id = synthetic_run(db, pages, links)
    assert query(db, "SELECT count(*) AS n FROM links WHERE run_id = ?", [run_id])[0]["n"] == pages * links
    lazy, eager = RunData(db, run_id), EagerRun(db, run_id)

    dist = lazy.distances()
    assert dist == eager.distances()
    assert max(dist.values()) >= 3 and len(dist) < len(lazy.pages)  # some deep pages, some unreachable
    broken = {u: lazy.broken_links(u) for u in lazy.pages}
    assert broken == {u: eager.broken_links(u) for u in eager.pages}
    found = [b for bs in broken.values() for b in bs]
    assert {b["outcome"] for b in found} == set(BROKEN)
    assert any(b["target"].endswith("#missing") and b["outcome"] == "broken" for b in found)  # target's own check
    for url in list(lazy.pages)[:200]:
        assert lazy.edges.get(url, []) == eager.edges.get(url, [])
        assert lazy.findings.get(url, []) == eager.findings.get(url, [])
        assert lazy.offices.get(url, []) == eager.offices.get(url, [])

    rules = load_rules(None, use_defaults=True).active + rules_from(RULES)
    got, want = _results(lazy, rules), _results(eager, rules)
    assert len(got) == len(want) and got == want
    outcomes = {(r["rule_id"], r["outcome"]) for r in got}
    for rule_id in ("reach-2", "reach-4", "links", "broken", "counts", "office-blocks"):
        assert (rule_id, "pass") in outcomes and (rule_id, "fail") in outcomes, rule_id
