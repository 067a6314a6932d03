"""Template regions: reusing what segmentation, link extraction and the extractors made of a
repeated header, menu or footer must give exactly what reading it again gives.

Each test reads pages twice, with the region caches (``Regions``) and without, and
compares every field of every segment, link edge, finding and office; the caches' hit
counts show that the reuse happened.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siteaudit.extract import REGION_FINDINGS, extract_from_tree
from siteaudit.extract import hours as hours_module
from siteaudit.extract.text import MAX_LANDMARKS, REGION_SEGMENTS, parse_html, segment, segment_spans
from siteaudit.links import REGION_LINKS, extract_links
from siteaudit.paths import PathFinder
from siteaudit.regions import MAX_REGION_BYTES, RegionCache, Regions

HEADER = """<header id="top"><a href="/"><img src="/logo.png" srcset="/logo-2x.png 2x" alt="Agency"></a>
<nav aria-label="Main"><ul><li><a href="/services/">Services</a></li><li><a href="about.html">About</a></li>
<li><a href="#main">Skip</a></li></ul></nav></header>"""
FOOTER = """<footer><div class="contact"><h2>Contact us</h2><p>123 Main St<br>Salem, OR 97301</p>
<p>Phone: <a href="tel:+15035550100">503-555-0100</a> Email: <a href="mailto:info@agency.gov">info@agency.gov</a></p>
<p>Hours: Monday-Friday 8 a.m. to 5 p.m.</p></div></footer>"""


def clear_caches() -> None:
    for cache in (REGION_SEGMENTS, REGION_LINKS, REGION_FINDINGS):
        cache.clear()


@pytest.fixture(autouse=True)
def empty_caches():
    clear_caches()
    yield
    clear_caches()


def read(source: str, url: str, cached: bool):
    """(segments, edges, findings, offices) of a page, with or without the region caches."""
    root = parse_html(source)
    paths = PathFinder()
    regions = Regions(root, paths) if cached else None
    edges = extract_links(root, url, paths, regions)
    found = extract_from_tree(root, url, paths, regions)
    return found.segments, edges, found.findings, found.offices


def assert_same(pages: list[tuple[str, str]]) -> None:
    """Every page reads the same with the caches (pages in order, so later ones hit) as without."""
    for source, url in pages:
        assert read(source, url, cached=True) == read(source, url, cached=False), url


def page(body: str, before: str = "", head: str = "") -> str:
    return f"<html><head><title>t</title>{head}</head><body>{before}{HEADER}<main>{body}</main>{FOOTER}</body></html>"


def test_the_same_header_and_footer_on_every_page_are_read_once():
    pages = [(page(f"<h1>Page {n}</h1><p>Text {n}</p>", before="\n" * n), f"https://www.agency.gov/s{n}/p.html")
             for n in range(5)]
    assert_same(pages)
    assert REGION_SEGMENTS.hits == 2 * 4 and REGION_LINKS.hits == 2 * 4  # header and footer, pages 2-5
    assert REGION_FINDINGS.hits == 2 * 4


def test_lines_follow_the_page_and_targets_its_url():
    segs1, edges1, found1, _ = read(page("<p>one</p>"), "https://www.agency.gov/a/one.html", cached=True)
    segs2, edges2, found2, _ = read(page("<p>two</p>", before="\n\n\n"), "https://www.agency.gov/b/two.html", cached=True)
    assert REGION_LINKS.hits == 2
    about1 = next(e for e in edges1 if e.text == "About")
    about2 = next(e for e in edges2 if e.text == "About")
    assert (about1.target, about2.target) == ("https://www.agency.gov/a/about.html", "https://www.agency.gov/b/about.html")
    assert about2.line == about1.line + 3 and about2.source == "https://www.agency.gov/b/two.html"
    skip = next(e for e in edges2 if e.text == "Skip")
    assert (skip.target, skip.fragment) == ("https://www.agency.gov/b/two.html", "main")
    phone1 = next(s for s in segs1 if "503-555-0100" in s.text)
    phone2 = next(s for s in segs2 if "503-555-0100" in s.text)
    assert phone2.line == phone1.line + 3
    assert REGION_FINDINGS.hits == 2  # header and footer (the header found nothing: that is kept too)
    assert [(f.kind, f.line - 3) for f in found2] == [(f.kind, f.line) for f in found1]
    assert {f.kind for f in found2} >= {"phone", "email", "address", "hours"}


def test_reused_findings_are_the_pages_own():
    """The page's own passes change its findings (office names, shared address kinds): a
    reused finding must be a copy, or one page's changes would show on the next."""
    labelled = page("<h1>Visit us</h1><p>Physical address: 123 Main St, Salem, OR 97301</p>")
    pages = [(labelled, "https://a.gov/1"), (page("<h1>A</h1>"), "https://a.gov/2"), (labelled, "https://a.gov/3"),
             (page("<h1>B</h1>"), "https://a.gov/4")]
    assert_same(pages)
    kinds = [[f.data["kind"] for f in read(src, url, cached=True)[2] if f.kind == "address"] for src, url in pages]
    assert kinds == [["physical", "physical"], ["unknown"]] * 2  # shared across the page, not the site
    assert REGION_FINDINGS.hits >= 2


def test_a_page_footer_is_read_on_its_own():
    """Lines above the site's footer do not label what is in it, nor reach into it with their heading."""
    def footer_page(above: str, footer: str, wrap: str = "footer") -> str:
        return (f"<html><body><main><h2>Hearing information</h2>{above}</main>"
                f"<{wrap}>{footer}</{wrap}><p>after</p></body></html>")

    phone = ("<p>Fax:</p>", "<p>503-555-0100</p>")
    address = ("<p>Visit us in person at</p>", "<p>500 Summer St NE<br>Salem, OR 97301</p>")
    segs, _, found, _ = read(footer_page(*phone), "https://a.gov/", cached=False)
    assert [(s.text, s.heading) for s in segs][-2:] == [("503-555-0100", ""), ("after", "Hearing information")]
    assert [(f.phone_type, f.label) for f in found if f.kind == "phone"] == [("voice", "")]
    found = read(footer_page(*address), "https://a.gov/", cached=False)[2]
    assert [(f.label, f.data["kind"]) for f in found if f.kind == "address"] == [("", "unknown")]
    # The same lines in the page's content are read with what is above them, as always.
    segs, _, found, _ = read(footer_page(*phone, wrap="div"), "https://a.gov/", cached=False)
    assert segs[-2].heading == "Hearing information"
    assert [f.phone_type for f in found if f.kind == "phone"] == ["fax"]
    found = read(footer_page(*address, wrap="div"), "https://a.gov/", cached=False)[2]
    assert [f.data["kind"] for f in found if f.kind == "address"] == ["physical"]


def test_a_footer_in_a_card_or_the_main_content_belongs_to_it():
    card = "<section><h2>Salem office</h2><footer><p>Fax:</p><p>503-555-0100</p></footer></section>"
    main = "<main><h1>Salem office</h1><header><p>Fax:</p><p>503-555-0100</p></header></main>"
    for body in (card, main):
        segs, _, found, _ = read(f"<html><body>{body}</body></html>", "https://a.gov/", cached=False)
        phone = next(f for f in found if f.kind == "phone")
        assert (segs[-1].heading, phone.phone_type, phone.office) == ("Salem office", "fax", "Salem office"), body


def test_an_office_does_not_reach_across_a_landmark():
    """The header's number and the site footer's address are two blocks, though no heading
    tells them apart, and the footer's block is not named after a line above the footer."""
    html = ("<html><body><header><p>Call 503-555-0100</p></header><main><p>Board minutes</p></main>"
            "<div role='contentinfo'><p>500 Summer St NE, Salem, OR 97301</p></div></body></html>")
    offices = read(html, "https://a.gov/", cached=False)[3]
    assert [(o.name, sorted(o.kinds)) for o in offices] == [("Contact", ["phone"]), ("Contact", ["address"])]
    inline = html.replace("<header>", "<div>").replace("</header>", "</div>").replace(" role='contentinfo'", "")
    offices = read(inline, "https://a.gov/", cached=False)[3]
    assert [sorted(o.kinds) for o in offices] == [["address", "phone"]]  # one block, as before


def test_a_page_of_many_top_level_blocks_has_no_landmarks():
    navs = "".join(f"<nav><a href='/p{i}'>Page {i}</a></nav><p>Office {i}</p>" for i in range(MAX_LANDMARKS + 1))
    root = parse_html(f"<html><body><h1>Index</h1>{navs}</body></html>")
    segments, spans = segment_spans(root)
    assert spans == [] and {s.heading for s in segments[1:]} == {"Index"}
    one = "<nav>" + navs.split("<nav>")[1]
    root = parse_html(f"<html><body><h1>Index</h1>{one * MAX_LANDMARKS}</body></html>")
    assert len(segment_spans(root)[1]) == MAX_LANDMARKS


def test_the_content_around_a_landmark_shares_the_pages_hours_budget():
    # Parsing hours lines is bounded per page (a timetable page); a menu in the middle of one
    # must not double the bound.
    rows = "".join(f"<h3>Office {i}</h3><p>Monday 9:00 a.m. to 5:00 p.m.</p>" for i in range(300))
    html = f"<html><body>{rows}<nav><a href='/'>Home</a></nav>{rows}</body></html>"
    found = read(html, "https://a.gov/", cached=False)[2]
    assert 0 < sum(f.kind == "hours" for f in found) <= hours_module._MAX_LINES


def test_a_heading_inside_a_landmark_carries_on_after_it():
    html = "<html><body><header><h1>Agency</h1><p>menu</p></header><p>first</p><nav><p>x</p></nav><p>next</p></body></html>"
    segs = read(html, "https://a.gov/", cached=False)[0]
    assert [(s.text, s.heading) for s in segs] == [
        ("Agency", ""), ("menu", "Agency"), ("first", "Agency"), ("x", ""), ("next", "Agency")]


def test_a_base_element_changes_the_targets_of_cached_links():
    assert_same([(page("<p>x</p>"), "https://www.agency.gov/a.html"),
                 (page("<p>x</p>", head='<base href="https://other.gov/dir/">'), "https://www.agency.gov/a.html")])
    assert REGION_LINKS.hits == 2


def test_the_heading_above_a_region_is_put_in_and_the_group_around_it_is_in_its_key():
    nav = '<nav><a href="/x">X</a> menu text<h3>Menu</h3><p>after</p></nav>'
    pages = [(f"<html><body><h2>{h}</h2><{group}>{nav}</{group}></body></html>", "https://a.gov/")
             for h, group in [("One", "section"), ("Two", "section"), ("Two", "article")]]
    assert_same(pages)
    assert REGION_SEGMENTS.hits == 1 and REGION_LINKS.hits == 1  # another group, another path: a miss for both
    lines = read(pages[1][0], "https://a.gov/", cached=True)[0]
    assert [(s.text, s.heading, s.section) for s in lines] == [
        ("Two", "", ""), ("X menu text", "Two", "html > body > section"), ("Menu", "Two", "html > body > section"),
        ("after", "Menu", "html > body > section")]


def test_a_region_with_the_same_path_in_another_group_is_not_reused():
    pages = [(f"<html><body><{group}><nav id='menu'><a href='/m'>menu</a></nav></{group}></body></html>", "https://a.gov/")
             for group in ("section", "article")]
    assert_same(pages)
    assert REGION_SEGMENTS.hits == 0 and REGION_LINKS.hits == 1  # its links read nothing from around it


def test_a_footer_holds_its_lines_whatever_is_around_it():
    pages = [(f"<html><body><h1>{h}</h1><{g}>{FOOTER}</{g}></body></html>", "https://a.gov/")
             for h, g in [("A", "div"), ("B", "div"), ("C", "span")]]
    assert_same(pages)
    assert REGION_SEGMENTS.hits == 1 and REGION_LINKS.hits == 1  # (span: another path)


def test_the_same_markup_on_other_lines_inside_is_not_reused():
    one = '<footer><p><a href="/a">A</a></p><p>Call 503-555-0100</p></footer>'
    two = '<footer><p><a\nhref="/a">A</a></p><p>Call 503-555-0100</p></footer>'  # same serialisation
    pages = [(f"<html><body>{f}</body></html>", "https://a.gov/") for f in (one, two)]
    assert_same(pages)
    assert REGION_SEGMENTS.hits == 0 and REGION_LINKS.hits == 0


def test_which_elements_are_regions():
    root = parse_html("""<html><body>
      <div role="banner" id="b"><nav id="inner"><a href="/">Home</a></nav></div>
      <div role="navigation main" id="r"></div><span role="navigation" id="s"><nav id="n"></nav></span>
      <table><tr><td><nav id="cell"></nav></td></tr></table>
      <footer id="f"><footer id="ff"></footer></footer><h2 role="banner" id="h">x</h2>
      <div role="contentinfo" data-cfemail="00" id="cf"></div></body></html>""")
    found = sorted(el.get("id") for el in Regions(root, PathFinder()).roots.values())
    assert found == ["b", "f", "n"]  # outermost; blocks only; not in tables; not Cloudflare-protected


def test_extraction_and_page_results_are_unchanged():
    pages = [(page(f"<h1>Office {n}</h1><p>Call 503-555-01{n:02d} Monday-Friday 9-4</p>"), f"https://a.gov/{n}")
             for n in range(3)]
    for source, url in pages:
        root = parse_html(source)
        paths = PathFinder()
        cached = extract_from_tree(root, url, paths, Regions(root, paths))
        plain = extract_from_tree(parse_html(source), url)
        assert (cached.findings, cached.offices, cached.segments) == (plain.findings, plain.offices, plain.segments)
    assert REGION_SEGMENTS.hits == 4


def test_regions_need_the_paths_they_were_made_with():
    root = parse_html(page("<p>x</p>"))
    regions = Regions(root, PathFinder())
    with pytest.raises(ValueError, match="PathFinder"):
        segment(root, PathFinder(), regions)
    with pytest.raises(ValueError, match="PathFinder"):
        extract_links(root, "https://a.gov/", PathFinder(), regions)


# Random pages: a few template regions, each repeated in random contexts (headings, groups, tables,
# line breaks, base URLs); every page must read the same with the caches as without.
PARTS = ["<p>Call 503-555-0100</p>", "<h2>Contact</h2>", "<h3></h3>", "<br>", "text ", "<img alt='Seal' src='s.png'>",
         "<a href='/a'>A</a>", "<a href='b.html#x'>B</a>", "<a href='#top'>Top</a>", "<a href='mailto:x@a.gov'>x</a>",
         "<img srcset='/i1.png 1x, i2.png 2x'>", "<link rel='preconnect' href='https://c.net'>", "\n",
         "<section class='card'><p>In a card</p></section>", "<table><tr><th>Day</th></tr><tr><td>Mon 9-5</td></tr></table>",
         "<div class='office'>Office <b>bold</b></div>", "<span data-cfemail='0f6e4f6e216e6a'>[email protected]</span>",
         "<script src='/app.js'>var x;</script>", "<!-- c -->", "<ul><li>One</li><li><a href='/two'>Two</a></li></ul>",
         "<nav><a href='/n'>nested</a></nav>", "<iframe src='/map'></iframe>", "<p>Visit us:</p>", "<p>Fax:</p>",
         "<p>123 Main St<br>Salem, OR 97301</p>", "<p>PO Box 14020, Salem, OR 97309</p>", "<p>Hours: Monday-Friday 8-5</p>",
         "<p>Closed November 26, 2026</p>", "<p>(503) 555-0199</p>", "<p>TTY: 711</p>", "<p>Call to make an appointment.</p>"]
WRAPS = ["<header>{}</header>", "<nav id='menu'>{}</nav>", "<footer>{}</footer>", "<nav>{}</nav>", "<div role='navigation'>{}</div>",
         "<ul role='navigation'>{}</ul>"]
CONTEXTS = ["{}", "<section>{}</section>", "<h2>Above</h2>{}", "<div class='card'>{}</div>", "<p>lead {}</p>",
            "<table><tr><th>H</th></tr><tr><td>{}</td></tr></table>", "\n\n{}", "<li>{}</li>", "<a href='/w'>{}</a>",
            "<div id='w'>{}</div>", "<section><div id='w'>{}</div></section>", "<main>{}</main>", "<p>Mailing address:</p>{}"]
parts = st.lists(st.sampled_from(PARTS), min_size=1, max_size=8).map("".join)
templates = st.lists(st.tuples(st.sampled_from(WRAPS), parts).map(lambda t: t[0].format(t[1])), min_size=1, max_size=3)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates, st.lists(st.tuples(st.lists(st.tuples(st.sampled_from(CONTEXTS), st.integers(0, 2)), min_size=1,
                                               max_size=4), parts, st.booleans()), min_size=2, max_size=6))
def test_random_pages_read_the_same_with_the_caches(regions, layouts):
    clear_caches()
    pages = []
    for n, (placed, body, based) in enumerate(layouts):
        html = "".join(ctx.format(regions[which % len(regions)]) for ctx, which in placed)
        head = "<base href='https://b.gov/x/'>" if based else ""
        pages.append((f"<html><head>{head}</head><body>{body}{html}</body></html>", f"https://a.gov/d{n}/p{n}.html"))
    assert_same(pages)


def test_the_caches_keep_the_most_recently_used_regions():
    cache = RegionCache(maxsize=3)
    for key in "abc":
        cache.put(key, key.upper())
    assert cache.get("a") == "A"  # now the most recently used
    cache.put("d", "D")  # evicts b, the least recently used
    assert [cache.get(k) for k in "abcd"] == ["A", None, "C", "D"]
    assert (cache.hits, cache.misses) == (4, 1)


def test_a_region_too_big_to_keep_is_read_as_usual():
    big = "<footer><a href='/y'>y</a>" + "<p>Call 503-555-0100 for the office.</p>" * 4000 + "</footer>"
    assert len(big) > MAX_REGION_BYTES
    pages = [(f"<html><body>{big}<a href='/x'>x</a></body></html>", "https://a.gov/")] * 2
    assert_same(pages)
    assert REGION_SEGMENTS.hits == 0 and REGION_LINKS.hits == 0
