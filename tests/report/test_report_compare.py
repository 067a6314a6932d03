"""--compare: new, fixed and still-open problems between runs; streaks; indeterminate promotion."""

from __future__ import annotations

import json

import pytest
from report_synth import build_small_run

from siteaudit.errors import RunNotFound
from siteaudit.report import load_config, load_snapshot, write_report
from siteaudit.report.compare import UrlKey, url_keys
from siteaudit.report.view import build_report
from siteaudit.store import open_db


def rows(folder, name):
    return json.loads((folder / "data" / f"{name}.json").read_text(encoding="utf-8"))["rows"]


def test_demo_runs_on_other_ports_compare_by_path(demo, compare_report):
    assert demo.origins[0] != demo.origins[1]  # each demo run has its own ephemeral port
    links = {(r["target"].replace(demo.origins[1], ""), r["change"]) for r in rows(compare_report, "links")}
    assert ("/feedback.html", "new") in links
    assert all(change == "still open" for target, change in links if target != "/feedback.html")
    assert not any("fee-schedule" in t for t, _ in links)
    fixed = rows(compare_report, "fixed")
    assert [f["description"] for f in fixed if f["kind"] == "link"] == [
        f"{demo.origins[0]}/docs/fee-schedule-2024.pdf was broken"]
    assert all(f["kind"] != "directory" for f in fixed)  # the same people, on another port: nothing fixed
    summary = {r["metric"]: r for r in rows(compare_report, "summary") if r["program"] == "All programs"}
    assert (summary["Broken links"]["new"], summary["Broken links"]["fixed"]) == (1, 1)
    index = (compare_report / "index.html").read_text(encoding="utf-8")
    assert "URLs were matched by path and query" in index
    agency = (compare_report / "program-agency-wide-pages.html").read_text(encoding="utf-8")
    assert "Fixed since run" in agency and "fee-schedule-2024.pdf was broken" in agency
    assert 'badge-new">New</span>' in agency
    streaks = {r["target"].replace(demo.origins[1], ""): r["runs_in_a_row"] for r in rows(compare_report, "links")}
    assert streaks["/feedback.html"] == 1 and streaks["tel:541-555-01"] == 2


def test_new_fixed_and_streaks_between_runs_of_one_site(tmp_path):
    db_path = tmp_path / "s.db"
    origin = "https://agency.example.gov"
    build_small_run(db_path, origin, ["/a", "/b"])
    build_small_run(db_path, origin, ["/b", "/c"], consistency=False)
    out = tmp_path / "r"
    write_report(db_path, "latest", out, compare="previous")
    links = {r["target"]: r for r in rows(out, "links")}
    assert links[f"{origin}/c"]["change"] == "new" and links[f"{origin}/b"]["change"] == "still open"
    assert links[f"{origin}/b"]["runs_in_a_row"] == 2 and links[f"{origin}/b"]["first_seen_run"] == 1
    fixed = {f["description"] for f in rows(out, "fixed")}
    assert f"{origin}/a was broken" in fixed
    assert any(d.startswith("An office shows the same details on every page (Appointments)") for d in fixed)
    history = rows(out, "history")
    assert [h["broken"] for h in history] == [2, 2]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<svg role=\"img\"" in index and "Problems per run" in index


def test_another_site_is_not_in_the_history_and_shares_nothing(tmp_path):
    db_path = tmp_path / "s.db"
    build_small_run(db_path, "https://agency.example.gov", ["/a"])
    build_small_run(db_path, "https://other.example.org/start", ["/a"])
    out = tmp_path / "r"
    write_report(db_path, 2, out, compare=1)
    assert [h["id"] for h in rows(out, "history")] == [2]
    assert {r["change"] for r in rows(out, "links")} == {"new"}


def test_indeterminate_is_listed_as_broken_after_repeated_runs(tmp_path):
    db_path = tmp_path / "s.db"
    origin = "https://agency.example.gov"
    db = open_db(db_path)
    for _ in range(3):
        run_id = build_small_run(db_path, origin, ["/slow"], consistency=False)
        with db.conn:
            db.execute("UPDATE link_checks SET outcome = 'indeterminate', status = NULL, reason = 'timeout' "
                       "WHERE run_id = ?", [run_id])
        config = load_config(None)
        report = build_report(db, load_snapshot(db, run_id), config)
        (problem,) = report.snapshot.link_problems
        assert problem.streak == run_id
        assert problem.promoted is (run_id >= config.indeterminate_after)
        assert [len(report.overall.broken), len(report.overall.indeterminate)] == ([1, 0] if run_id >= 3 else [0, 1])


def test_compare_errors(tmp_path):
    db_path = tmp_path / "s.db"
    build_small_run(db_path, "https://agency.example.gov", [])
    with pytest.raises(RunNotFound, match="first run"):
        write_report(db_path, "latest", tmp_path / "r", compare="previous")
    with pytest.raises(RunNotFound, match="the run being reported"):
        write_report(db_path, 1, tmp_path / "r", compare=1)
    with pytest.raises(RunNotFound, match="not in the database"):
        write_report(db_path, 1, tmp_path / "r", compare=7)


def test_url_keys():
    a, b = url_keys(["http://127.0.0.1:4000/"], ["http://127.0.0.1:5000/"])
    assert a.by_path and b.by_path
    assert a("http://127.0.0.1:4000/x?y=1") == b("http://127.0.0.1:5000/x?y=1") == "/x?y=1"
    assert a("http://127.0.0.1:4001/p") == b("http://127.0.0.1:5001/p") == "//127.0.0.1/p"  # another host: no port
    assert a("tel:+15035550100") == "tel:+15035550100"
    same = url_keys(["https://a.gov/"], ["https://a.gov/"])[0]
    assert not same.by_path and same("https://a.gov/x") == "https://a.gov/x"
    assert url_keys(["https://a.gov/"], ["https://b.gov/other"])[0] == UrlKey(frozenset({"a.gov"}), False)


def test_a_broken_start_url_nothing_links_to_is_still_listed(tmp_path):
    from siteaudit.store import insert_rows

    db_path = tmp_path / "s.db"
    run_id = build_small_run(db_path, "https://agency.example.gov", [])
    insert_rows(open_db(db_path), "link_checks", [{"run_id": run_id, "target": "https://agency.example.gov/old-start",
                                                   "fragment": "", "outcome": "broken", "status": 410,
                                                   "reason": "HTTP 410", "chain": "[]"}])
    out = tmp_path / "r"
    write_report(db_path, run_id, out)
    assert "https://agency.example.gov/old-start" in (out / "program-unassigned.html").read_text(encoding="utf-8")


def test_rendering_again_removes_stale_pages(tmp_path):
    db_path = tmp_path / "s.db"
    build_small_run(db_path, "https://agency.example.gov", ["/a"])
    out = tmp_path / "r"
    (out / "data").mkdir(parents=True)
    (out / "program-renamed.html").write_text("old", encoding="utf-8")
    (out / "data" / "fixed.csv").write_text("old", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    write_report(db_path, "latest", out)
    assert not (out / "program-renamed.html").exists() and not (out / "data" / "fixed.csv").exists()
    assert (out / "notes.txt").exists()


def test_a_fixed_link_is_listed_once(tmp_path):
    from siteaudit.store import insert_rows

    db_path = tmp_path / "s.db"
    origin = "https://agency.example.gov"
    first = build_small_run(db_path, origin, ["/gone"], consistency=False)
    insert_rows(open_db(db_path), "rule_results", [{"run_id": first, "rule_id": "no-broken-links", "severity": "error",
                                                    "outcome": "fail", "url": origin + "/offices/salem.html",
                                                    "message": "1 broken link(s)", "evidence": json.dumps(
                                                        {"no_broken_links": {"broken": [{"target": origin + "/gone"}]}})}])
    build_small_run(db_path, origin, [], consistency=False)
    out = tmp_path / "r"
    write_report(db_path, "latest", out, compare="previous")
    assert [f["kind"] for f in rows(out, "fixed")] == ["link"]
    summary = {r["metric"]: r for r in rows(out, "summary") if r["program"] == "All programs"}
    assert summary["Broken links"]["fixed"] == 1
    assert summary["Missing or wrong contact info (pages)"]["fixed"] == 0
