"""The crawler must not become a way into an internal network."""

from __future__ import annotations

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from crawl_helpers import Run, crawl
from siteaudit.urls import Scope, is_private_host
from siteaudit_crawler.middlewares import PrivateAddressGuard


@pytest.mark.parametrize("host,private", [
    ("127.0.0.1", True), ("127.0.0.1:8000", True), ("169.254.169.254", True), ("10.1.2.3", True),
    ("192.168.0.1", True), ("172.16.5.4", True), ("[::1]", True), ("[::ffff:10.0.0.1]", True),
    ("localhost", True), ("intranet.local", True), ("0.0.0.0", True),
    ("www.oregon.gov", False), ("8.8.8.8", False), ("example.gov:8443", False),
])
def test_is_private_host(host, private):
    assert is_private_host(host) is private


def test_scope_allows_start_host_even_when_private():
    scope = Scope.from_start_urls(["http://127.0.0.1:8000/"])
    assert scope.allow_private  # a loopback start URL means a local audit
    public = Scope.from_start_urls(["https://www.example.gov/"])
    assert not public.allow_private
    assert not public.fetch_allowed("http://169.254.169.254/")
    assert public.fetch_allowed("https://partner.example.org/x")
    assert Scope.from_start_urls(["https://www.example.gov/"], allow_private=True).fetch_allowed("http://10.0.0.1/")


def test_middleware_refuses_private_requests():
    class Spider:
        scope = Scope.from_start_urls(["https://www.example.gov/"])

    class Crawler:
        spider = Spider()

    guard = PrivateAddressGuard(Crawler())
    with pytest.raises(IgnoreRequest, match="private address"):
        guard.process_request(Request("http://127.0.0.1:9/"))
    assert guard.process_request(Request("https://www.example.gov/page")) is None


def test_deny_private_excludes_private_links_and_redirects(guard_site, external_site, tmp_path):
    db = tmp_path / "g.db"
    crawl(db, guard_site.origin + "/", "--deny-private")
    run = Run(db)
    got = run.outcomes(guard_site.origin)
    assert got["http://169.254.169.254/latest/meta-data/"] == "excluded"
    assert got[f"http://localhost:{external_site.port}/ok.html"] == "excluded"
    assert got["/_/redirect-to?url=http://127.0.0.2:9/admin"] == "excluded"
    assert "private" in run.check(guard_site.origin + "/_/redirect-to?url=http://127.0.0.2:9/admin")["reason"]
    assert got["/page.html"] == "ok"  # the start host stays allowed
