"""Link extraction and outcome classification, without a network (HTML strings in, values out)."""

from __future__ import annotations

import pytest

from siteaudit import links
from siteaudit.extract.text import parse_html
from siteaudit.links import anchors_of, check_mailto, check_non_http, check_tel, classify_http, extract_links
from siteaudit.model import Outcome

PAGE = "https://www.example.gov/services/permits/index.html"


def edges(html: str, url: str = PAGE):
    return extract_links(parse_html(html), url)


def test_every_link_element_and_attribute():
    got = [(e.element, e.attribute, e.target, e.fragment) for e in edges("""
      <link rel="stylesheet" href="/css/site.css"><link rel="preconnect" href="https://fonts.example.net">
      <script src="app.js"></script>
      <a href="../apply.html#step-2">Apply</a> <a href="">empty</a> <a href="#">top</a>
      <img src="logo.png" srcset="logo-2x.png 2x, /img/logo-3x.png 3x" alt="Logo">
      <picture><source srcset="hero.webp"></picture>
      <iframe src="https://maps.example.com/embed?q=1"></iframe>
      <map><area href="/region/north" alt="North"></map>
      <a href="mailto:Permits@Example.gov">Email</a> <a href="tel:+1-503-555-0100">Call</a>""")]
    base = "https://www.example.gov"
    assert got == [
        ("link", "href", f"{base}/css/site.css", ""),
        ("script", "src", f"{base}/services/permits/app.js", ""),
        ("a", "href", f"{base}/services/apply.html", "step-2"),
        ("img", "src", f"{base}/services/permits/logo.png", ""),
        ("img", "srcset", f"{base}/services/permits/logo-2x.png", ""),
        ("img", "srcset", f"{base}/img/logo-3x.png", ""),
        ("source", "srcset", f"{base}/services/permits/hero.webp", ""),
        ("iframe", "src", "https://maps.example.com/embed?q=1", ""),
        ("area", "href", f"{base}/region/north", ""),
        ("a", "href", "mailto:Permits@Example.gov", ""),
        ("a", "href", "tel:+1-503-555-0100", ""),
    ]


def test_link_text_alt_text_and_location():
    e = edges('<html><body><div id="nav">\n<a href="/x"><img src="/i.png" alt="Home page"></a>\n'
              '<a href="/y">  Our\n  services </a></div></body></html>')
    assert [(x.target.rsplit("/", 1)[-1], x.text) for x in e if x.element == "a"] == [("x", "Home page"),
                                                                                     ("y", "Our services")]
    assert e[0].path == "div#nav > a:nth-of-type(1)" and e[0].line == 2


def test_base_href_and_normalisation():
    e = edges('<base href="https://Other.Example.gov:443/root/"><a href="a/./b/../c?z=1&a=2#Frag%20X">x</a>')
    assert (e[0].target, e[0].fragment) == ("https://other.example.gov/root/a/c?z=1&a=2", "Frag X")


# The URL shortcuts of links._target_of must give what the general resolution gives.
FRAGMENT_BASES = ["http://a.gov/x/y.html?q=1#old", "HTTPS://A.gov:443/%7Ep", "http://[::1/x", "", "mailto:x@a.gov",
                  "//a.gov/p", "http://a.gov/ü"]
ORIGINS = ["http://a.gov/", "HTTPS://User:pw@A.gov:443/", "http://127.0.0.1:8000/", "http://[::1]:80/",
           "http://bücher.example/", "http://h.gov./", "ftp://a.gov/", "http:///", "mailto:x/"]
ROOT_RELATIVE = ["/", "/a/b.html", "/?q=1", "/a?b=c&d=e", "/A/~x-y_z", "/.x", "/a/../b", "/a?", "/a//b", "/a;p",
                 "/a%20b", "/ü", "/a b", "/a\\b", "/a#f", "/a?b=1#x%20y", "/a#", "/a#f#g", "/a\t#f", "/a#f\t "]
ABSOLUTE = ["http://a.gov/", "https://A.GOV:443/x/y.html?q=1#f", "http://127.0.0.1:8000/a//b", "http://h.gov:/x",
            "http://h.gov:99999/x", "http://h..gov/x", "https://h.gov/a/../b", "http://h.gov/%7Ex", "HTTP://h.gov/x",
            "http://h.gov/a#\tz", "http://h.gov/\tx", "http://h.gov/é"]


@pytest.mark.parametrize("base", FRAGMENT_BASES)
@pytest.mark.parametrize("raw", ["#main", "#a#b", "#%20x", "#x\ty", "#ü", "#?q", "#..", "#%zz"])
def test_fragment_links_resolve_as_any_other_link(base, raw):
    """Links into the page share the page's cached target; the result is the general one."""
    assert links._target_of(base, raw) == links._resolve_target(base, raw)


@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("raw", ROOT_RELATIVE)
def test_root_relative_links_resolve_as_any_other_link(origin, raw):
    """A plain root-relative href skips URL parsing; the result is the general one."""
    assert links._target_of(origin, raw) == links._resolve_target(origin, raw)


@pytest.mark.parametrize("raw", ABSOLUTE)
def test_absolute_links_resolve_as_any_other_link(raw):
    """A plain absolute href skips URL parsing; the result is the general one."""
    assert links._target_of("", raw) == links._resolve_target("", raw)


def test_anchors_of():
    assert anchors_of(parse_html('<h2 id="hours">H</h2><a name="old"></a><p id="x">')) == ["hours", "old", "x"]


@pytest.mark.parametrize("target,outcome", [
    ("mailto:info@example.gov", Outcome.OK),
    ("mailto:a@example.gov,b@example.gov?subject=Hi", Outcome.OK),
    ("mailto:broken@@example", Outcome.BROKEN),
    ("mailto:", Outcome.BROKEN),
    ("tel:+15035550100", Outcome.OK),
    ("tel:(503)%20555-0100", Outcome.OK),
    ("tel:711", Outcome.OK),
    ("tel:555-01", Outcome.BROKEN),
    ("javascript:void(0)", Outcome.UNSUPPORTED),
    ("ftp://files.example.gov/a", Outcome.UNSUPPORTED),
])
def test_non_http_checks(target, outcome):
    assert check_non_http(target).outcome is outcome


def test_mailto_and_tel_reasons():
    assert "broken@@example" in check_mailto("mailto:broken@@example").reason
    assert check_tel("tel:+1 503 555 0100").final_url == "+15035550100"


@pytest.mark.parametrize("status,chain,headers,kind,internal,outcome,reason", [
    (200, [{"status": 200}], {}, "", False, Outcome.OK, ""),
    (200, [{"status": 301}, {"status": 308}, {"status": 200}], {}, "", False, Outcome.REDIRECT, "permanent redirect"),
    (200, [{"status": 301}, {"status": 302}, {"status": 200}], {}, "", False, Outcome.REDIRECT, "temporary redirect"),
    (404, [{"status": 404}], {}, "", False, Outcome.BROKEN, "HTTP 404"),
    (410, [{"status": 301}, {"status": 410}], {}, "", False, Outcome.BROKEN, "HTTP 410 after redirects"),
    (503, [{"status": 503}], {}, "", False, Outcome.BROKEN, "server error 503 (persisted after retries)"),
    (403, [{"status": 403}], {"CF-Mitigated": "challenge"}, "", True, Outcome.INDETERMINATE,
     "bot wall (403, cf-mitigated)"),
    (999, [{"status": 999}], {}, "", False, Outcome.INDETERMINATE, "bot wall (999)"),
    (403, [{"status": 403}], {}, "", False, Outcome.INDETERMINATE, "access denied (403); may be a bot wall"),
    (403, [{"status": 403}], {}, "", True, Outcome.BROKEN, "access denied (403)"),
    (429, [{"status": 429}], {}, "", False, Outcome.INDETERMINATE, "still rate limited (429) after retries"),
    (None, [], {}, "timeout", False, Outcome.INDETERMINATE, "timed out"),
    (None, [], {}, "dns", False, Outcome.BROKEN, "no response"),
    (None, [], {}, "loop", False, Outcome.BROKEN, "redirect loop"),
])
def test_classify_http(status, chain, headers, kind, internal, outcome, reason):
    assert classify_http(status, chain=chain, headers=headers, error_kind=kind, internal=internal) == (outcome, reason)
