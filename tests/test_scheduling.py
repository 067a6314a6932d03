"""The order the spider asks for things: pages breadth-first, every link check ahead of them."""

from __future__ import annotations

from spider_offline import offline_spider


def _requests(spider, target: str, depth: int):
    return [r for r in spider._schedule(target, depth) if hasattr(r, "priority")]


def test_pages_breadth_first_and_checks_ahead_of_every_page():
    spider = offline_spider(start_urls="https://www.example.gov/")
    shallow = _requests(spider, "https://www.example.gov/a.html", 1)[0]
    deep = _requests(spider, "https://www.example.gov/b/c.html", 3)[0]
    pdf = _requests(spider, "https://www.example.gov/docs/form.pdf", 3)[0]
    partner = _requests(spider, "https://partner.example.org/page", 3)[0]
    assert (shallow.meta["sa_mode"], deep.meta["sa_mode"]) == ("page", "page")
    assert shallow.priority > deep.priority  # breadth-first
    assert pdf.meta["sa_mode"] == partner.meta["sa_mode"] == "check"
    # A check found on the deepest page still goes before the shallowest page waiting: it adds
    # no work, and a failure it finds is retried while the crawl goes on, not after it.
    assert min(pdf.priority, partner.priority) > shallow.priority


def test_the_get_after_a_failed_head_and_redirect_hops_keep_their_mode_priority():
    spider = offline_spider(start_urls="https://www.example.gov/")
    page = spider._request("https://www.example.gov/moved", "page", 2, "GET")
    check = spider._request("https://www.example.gov/file.pdf", "check", 2, "GET")
    assert page.priority == -2
    assert check.priority > 0
