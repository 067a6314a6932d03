"""The report's tables for one program view: rows of cells, in the order a designee works."""

from __future__ import annotations

from .table import Cell, Column, Table, cell
from .view import ProgramView, ReportView

OUTCOME_LABELS = {
    "broken": "Broken",
    "broken-fragment": "Missing #anchor",
    "indeterminate": "Could not check",
}
SEVERITY_SORT = {"error": 0, "warning": 1, "info": 2}
DIRECTORY_LABELS = {
    "departed": "Departed but listed",
    "mismatch": "Mismatch",
    "unknown": "Not in directory",
    "missing": "Missing from site",
}
KIND_LABELS = {"phone": "Phone", "email": "Email", "address": "Address", "hours": "Hours",
               "appointment": "Appointments", "short_code": "Short code"}


def _where(source: dict) -> str:
    parts = []
    if source.get("line"):
        parts.append(f"line {source['line']}")
    if source.get("element"):
        parts.append(f"<{source['element']} {source.get('attribute') or ''}>".replace(" >", ">"))
    if source.get("path"):
        parts.append(source["path"])
    return " · ".join(parts)


def _redirects(chain: list) -> str:
    hops = [h for h in chain or [] if isinstance(h, dict)]
    if len(hops) < 2:
        return ""
    return f"after {len(hops) - 1} redirect(s), ending at {hops[-1].get('url', '')}"


def _change(report: ReportView, key: str) -> Cell:
    if report.compare is None:
        return Cell("—", sort=1)
    if key in report.new_keys:
        return Cell("New", badge="new", sort=0)
    return Cell("Still open", badge="open", sort=1)


def page_cell(report: ReportView, url: str | None, **kw) -> Cell:
    return Cell(report.short_url(url), href=url, mono=True, **kw)


def link_table(report: ReportView, view: ProgramView, problems, table_id: str, caption: str, empty: str) -> Table:
    cols = [Column("Target"), Column("Outcome", nowrap=True), Column("Status", numeric=True), Column("Reason"),
            Column("Linked from (link text · location)"), Column("Runs in a row", numeric=True)]
    if report.compare is not None:
        cols.append(Column("Change"))
    rows = []
    for p in problems:
        label = OUTCOME_LABELS.get(p.outcome, p.outcome)
        if p.promoted:
            label = f"Broken (could not check in {p.streak} runs)"
        sources = [page_cell(report, s["source"],
                             note=f"“{s.get('text') or ''}” · {_where(s)}" + (f" · #{s['fragment']}" if s.get("fragment")
                                                                         and not p.fragment else ""))
                   for s in p.sources]
        first = p.first_seen or {}
        row = [page_cell(report, p.display_target),
               Cell(label, badge="broken" if p.is_broken else "indeterminate"),
               cell(p.status if p.status is not None else "—", sort=p.status or 0),
               Cell(p.reason, note=_redirects(p.chain)),
               Cell(f"{len(sources)} page(s)", lines=sources, sort=len(sources)),
               Cell(str(p.streak), sort=p.streak,
                    note=f"first seen in run {first.get('id')} ({str(first.get('started_at', ''))[:10]})")]
        if report.compare is not None:
            row.append(_change(report, p.key))
        rows.append(row)
    return Table(table_id, caption, cols, rows, empty=empty)


def _new_lines(message: str, lines: list[str]) -> list[str]:
    """Evidence lines that add to the message (not a restatement of it)."""
    said = message.lower()
    return [line for line in lines if line.split(": ", 1)[-1].lower() not in said]


def rule_table(report: ReportView, problems, table_id: str, caption: str, empty: str, by_office: bool) -> Table:
    cols = [Column("Severity", nowrap=True), Column("Rule")]
    cols += [Column("Office"), Column("Page")] if by_office else [Column("Page")]
    cols += [Column("What was found"), Column("Policy"), Column("Runs in a row", numeric=True)]
    if report.compare is not None:
        cols.append(Column("Change"))
    rows = []
    for p in problems:
        row = [Cell(p.severity.capitalize(), badge=p.severity, sort=SEVERITY_SORT.get(p.severity, 3)),
               Cell(p.title or p.rule_id, note=p.rule_id)]
        if by_office:
            row.append(cell(p.office))
        row += [page_cell(report, p.url),
                Cell(p.message, lines=[Cell(line) for line in _new_lines(p.message, p.evidence_lines)]),
                cell(p.policy), cell(p.streak, sort=p.streak)]
        if report.compare is not None:
            row.append(_change(report, p.key))
        rows.append(row)
    return Table(table_id, caption, cols, rows, empty=empty)


def consistency_table(report: ReportView, problems) -> Table:
    cols = [Column("Severity", nowrap=True), Column("Rule"), Column("Problem"), Column("Pages and what they show"),
            Column("Policy")]
    if report.compare is not None:
        cols.append(Column("Change"))
    rows = []
    for p in problems:
        shown = []
        for page in p.evidence.get("pages") or []:
            values = page.get("values") or page.get("names") or []
            shown.append(page_cell(report, page.get("url", ""), note=", ".join(map(str, values))))
        row = [Cell(p.severity.capitalize(), badge=p.severity, sort=SEVERITY_SORT.get(p.severity, 3)),
               Cell(p.title or p.rule_id, note=p.rule_id),
               # the message ends with the page-by-page listing, which the next column shows
               cell(p.message.split(": ", 1)[0] if shown else p.message),
               Cell(f"{len(shown)} page(s)", lines=shown, sort=len(shown)), cell(p.policy)]
        if report.compare is not None:
            row.append(_change(report, p.key))
        rows.append(row)
    return Table("consistency", "Consistency: the same office or contact shown differently", cols, rows,
                 empty="No inconsistencies between pages.")


def directory_table(report: ReportView, problems) -> Table:
    cols = [Column("Result"), Column("Person"), Column("Value"), Column("Where on the site"),
            Column("Business days", numeric=True), Column("Past the window"), Column("Detail")]
    if report.compare is not None:
        cols.append(Column("Change"))
    rows = []
    for p in problems:
        where = [page_cell(report, o.get("url", ""),
                           note=f"“{o.get('text', '')}”" + (f" · line {o['line']}" if o.get("line") else ""))
                 for o in p.occurrences] or [Cell("not on any page")]
        passed = {True: "Yes", False: "No", None: "—"}[p.window_passed]
        row = [Cell(DIRECTORY_LABELS.get(p.category, p.category), badge="error" if p.category == "departed"
                    else "warning"),
               cell(p.person), Cell(p.value, mono=True), Cell(f"{len(p.occurrences)} place(s)", lines=where,
                                                              sort=len(p.occurrences)),
               cell(p.business_days if p.business_days is not None else "—", sort=p.business_days or 0),
               cell(passed), cell(p.detail)]
        if report.compare is not None:
            row.append(_change(report, p.key))
        rows.append(row)
    return Table("directory", "Staff directory compared with the site", cols, rows,
                 empty="No differences from the staff directory.")


def inventory_table(report: ReportView, view: ProgramView) -> Table:
    cols = [Column("Office"), Column("Kind", nowrap=True), Column("Value"), Column("As shown"), Column("Label"), Column("Page"),
            Column("Location"), Column("Flags")]
    rows, classes, previous = [], [], None
    for f in sorted(view.findings, key=lambda f: ((f["office"] or "~").lower(), f["kind"], f["value"] or "",
                                                    f["url"], f["line"] or 0)):
        office = (f["office"] or "").lower()
        classes.append("group-cont" if office == previous else "group-start")
        previous = office
        flags = ", ".join(f["flags"])
        rows.append([cell(f["office"] or "(no office heading)"), cell(KIND_LABELS.get(f["kind"], f["kind"])),
                     Cell(f["value"] or "", mono=True), cell(f["text"]), cell(f["label"]),
                     page_cell(report, f["url"]),
                     Cell(f"line {f['line']}" if f["line"] else "", note=f["path"] or "", sort=f["line"] or 0),
                     Cell(flags, badge="warning" if flags else None)])
    return Table("inventory", "Contact inventory: every contact detail found, by office", cols, rows,
                 row_classes=classes,
                 empty="No contact information was found on these pages.",
                 description="Check each line: does the number dial the right office, is the mailbox answered, "
                             "are the address and hours current?")


def fixed_table(report: ReportView, view: ProgramView) -> Table:
    cols = [Column("Kind"), Column("Problem in the compared run"), Column("Where")]
    rows = [[cell(f.kind), cell(f.description), Cell(f.url, href=f.url, mono=True)] for f in view.fixed]  # old run
    return Table("fixed", "Fixed since the compared run", cols, rows, empty="Nothing was fixed since the compared run.")


def pages_table(view: ProgramView, report: ReportView) -> Table:
    problems: dict[str, int] = {}
    for p in view.rule_problems:
        problems[p.url] = problems.get(p.url, 0) + 1
    for p in view.link_problems:
        for s in p.sources:
            problems[s["source"]] = problems.get(s["source"], 0) + 1
    cols = [Column("Page"), Column("Title"), Column("Status", numeric=True), Column("Problems", numeric=True),
            Column("Note")]
    rows = []
    for page in view.pages:
        note = f"same content as {page['duplicate_of']}" if page.get("duplicate_of") else (page.get("error") or "")
        n = problems.get(page["url"], 0)
        rows.append([page_cell(report, page["url"]), cell(page.get("title")),
                     cell(page.get("status"), sort=page.get("status") or 0),
                     Cell(str(n), sort=n, badge="error" if n else None), cell(note)])
    return Table("pages", "Pages to review", cols, rows, empty="No pages.")


def program_tables(report: ReportView, view: ProgramView) -> dict[str, Table]:
    """Every table of a program page, by id."""
    tables = {
        "broken": link_table(report, view, view.broken, "broken", "Broken links", "No broken links."),
        "indeterminate": link_table(
            report, view, view.indeterminate, "indeterminate",
            f"Links that could not be checked (listed as broken after {report.config.indeterminate_after} runs "
            "in a row)", "Every link could be checked."),
        "page-problems": rule_table(report, view.rules("contact", office=False), "page-problems",
                                    "Missing or wrong contact information, by page", "No page problems.", False),
        "office-problems": rule_table(report, sorted(view.rules("contact", office=True),
                                                     key=lambda p: (p.office.lower(), p.url)),
                                      "office-problems", "Missing or wrong contact information, by office",
                                      "No office problems.", True),
        "consistency": consistency_table(report, view.rules("consistency")),
        "directory": directory_table(report, view.directory_problems),
        "inventory": inventory_table(report, view),
        "pages": pages_table(view, report),
    }
    if report.compare is not None:
        tables["fixed"] = fixed_table(report, view)
    return tables
