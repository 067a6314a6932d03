"""Helpers for rule tests: build a small run in a temporary database, row by row.

``RunBuilder`` writes the same tables the crawler fills (pages, page_text,
findings, offices, links, link_checks); tests then evaluate rules on it.
``html_page`` builds a page from HTML with the real extractors and
``page_facts``, for end-to-end checks of what the detectors need.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from lxml import html as lxml_html

from siteaudit.rules.facts import page_facts, store_page_facts
from siteaudit.rules.load import layer, parse_rule_text
from siteaudit.rules.evaluate import evaluate_rules, load_run
from siteaudit.store import insert_rows, start_run

SITE = "https://agency.example.gov"


def phone(value="+15035551234", text=None, office_key=None, phone_type="voice", label="Phone", flags=(), **kw):
    return {"kind": "phone", "value": value, "text": text or value, "label": label, "office_key": office_key,
            "phone_type": phone_type, "flags": list(flags), **kw}


def email(value="help@agency.example.gov", office_key=None, flags=(), **kw):
    return {"kind": "email", "value": value, "text": value, "label": "Email", "office_key": office_key,
            "flags": list(flags), **kw}


def address(value="123 Main St NE, Salem, OR 97301", kind="physical", office_key=None, label="", **kw):
    return {"kind": "address", "value": value, "text": value, "label": label, "office_key": office_key,
            "data": {"kind": kind}, **kw}


def hours(value="Mo-Fr 08:00-17:00", office_key=None, **kw):
    return {"kind": "hours", "value": value, "text": value, "label": "Hours", "office_key": office_key, **kw}


def appointment(value="phone,online", office_key=None, **kw):
    return {"kind": "appointment", "value": value, "text": "To schedule an appointment, call us",
            "office_key": office_key, **kw}


def full_office(key=None, phone_value="+15035551234", hours_value="Mo-Fr 08:00-17:00",
                street="123 Main St NE, Salem, OR 97301"):
    """The findings of a complete office block (or page when ``key`` is None)."""
    return [phone(phone_value, office_key=key), address(street, "physical", office_key=key),
            address("PO Box 100, Salem, OR 97308", "mailing", office_key=key, label="Mailing address"),
            hours(hours_value, office_key=key), appointment(office_key=key), email(office_key=key)]


class RunBuilder:
    """Insert one run's rows; pages are added with their findings, offices and links."""

    def __init__(self, db, start_urls=(SITE + "/",), started_at="2026-06-01T12:00:00+00:00"):
        self.db = db
        self.run_id = start_run(db, list(start_urls), {})
        db.execute("UPDATE runs SET started_at = ? WHERE id = ?", [started_at, self.run_id])
        db.conn.commit()

    def page(self, url, *, title="", headings=(), text=None, last_updated=None, findings=(), offices=(),
             links=(), depth=1, status=200, content_type="text/html; charset=utf-8"):
        url = url if url.startswith("http") else SITE + url
        insert_rows(self.db, "pages", [{"run_id": self.run_id, "url": url, "final_url": url, "status": status,
                                        "content_type": content_type, "title": title, "depth": depth}])
        if text is not None or headings:
            store_page_facts(self.db, self.run_id, url, {"headings": list(headings), "text": text or "",
                                                         "last_updated": last_updated})
        rows = []
        for f in findings:
            rows.append({"run_id": self.run_id, "url": url, "kind": f["kind"], "value": f.get("value"),
                         "text": f.get("text"), "label": f.get("label", ""), "office": f.get("office", ""),
                         "office_key": f.get("office_key"), "source": f.get("source", "text"),
                         "phone_type": f.get("phone_type"), "path": f.get("path", "main > p"),
                         "line": f.get("line", 10), "flags": f.get("flags", []), "data": f.get("data", {})})
        insert_rows(self.db, "findings", rows)
        insert_rows(self.db, "offices", [{"run_id": self.run_id, "url": url, "office_key": key, "name": name,
                                          "path": f"section:nth-of-type({key + 1})", "line": 5,
                                          "kinds": []} for key, name in offices])
        edges = []
        for link in links:
            target, anchor = (link, "") if isinstance(link, str) else link
            target = target if target.startswith("http") else SITE + target
            target, _, fragment = target.partition("#")
            edges.append({"run_id": self.run_id, "source": url, "target": target, "fragment": fragment,
                          "element": "a", "attribute": "href", "text": anchor, "path": "main > a", "line": 20})
        insert_rows(self.db, "links", edges)
        return url

    def html_page(self, url, source, depth=1, status=200):
        """A page from HTML: real extractors, page facts and links."""
        from siteaudit.extract import extract_page

        url = url if url.startswith("http") else SITE + url
        root = lxml_html.document_fromstring(source, base_url=url)
        root.make_links_absolute(url)
        extraction = extract_page(source, url)
        facts = page_facts(root, url)
        title = root.findtext(".//title") or ""
        findings = []
        office_keys = {}
        for key, office in enumerate(extraction.offices):
            for f in office.findings:
                office_keys[id(f)] = key
        for f in extraction.findings:
            d = f.to_dict()
            d["office_key"] = office_keys.get(id(f))
            findings.append(d)
        links = [(href, (el.text_content() or "").strip()) for el, attr, href, _ in root.iterlinks()
                 if el.tag == "a" and attr == "href" and href.startswith("http")]
        self.page(url, title=title, headings=facts["headings"], text=facts["text"],
                  last_updated=facts["last_updated"], findings=findings,
                  offices=[(k, o.name) for k, o in enumerate(extraction.offices)], links=links, depth=depth,
                  status=status)
        return url

    def check(self, target, outcome="ok", status=200, fragment=""):
        target = target if target.startswith("http") else SITE + target
        insert_rows(self.db, "link_checks", [{"run_id": self.run_id, "target": target, "fragment": fragment,
                                              "outcome": outcome, "status": status, "reason": ""}], replace=True)


def rules_from(text: str, path: str = "site.yml"):
    """Rules from YAML text (dedented), without the defaults."""
    return layer([parse_rule_text(textwrap.dedent(text), path)]).active


def run_rules(db, run_id, text, as_of=None):
    """Evaluate the rules in ``text`` on a run; returns the results."""
    return evaluate_rules(load_run(db, run_id, as_of=as_of), rules_from(text))


def outcomes(results, url=None):
    """{url or office or '': outcome} for quick assertions."""
    out = {}
    for r in results:
        key = r.office or (r.url.replace(SITE, "") if r.url else "")
        if url is None or r.url == url:
            out[key] = r.outcome
    return out


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p
