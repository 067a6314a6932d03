"""Visible-text segmentation: lines, hidden content, encodings, paths, headings, tables."""

from __future__ import annotations

from siteaudit.extract.text import css_path, parse_html, segment, visible_text


def texts(html) -> list[str]:
    return [s.text for s in segment(parse_html(html))]


def test_blocks_and_br_end_lines_inline_runs_together():
    assert texts("<div>Call <b>us</b> at<br>312-555-0100</div><p>Next</p>") == ["Call us at", "312-555-0100", "Next"]


def test_skipped_content():
    html = ('<p>a</p><script>b</script><style>c</style><template>d</template><noscript>e</noscript>'
            '<p>f<!-- comment -->g</p>')
    assert texts(html) == ["a", "fg"]


def test_content_hidden_until_a_click_is_kept():
    # A U.S. Web Design System accordion: the panel carries the hidden attribute until opened.
    html = ('<button class="usa-accordion__button" aria-expanded="false">Contact us</button>'
            '<div id="a1" class="usa-accordion__content" hidden><p>Phone: 720-418-2600</p></div>')
    assert texts(html) == ["Phone: 720-418-2600"]


def test_menus_hidden_by_inline_style_and_aria_hidden_content_are_kept():
    html = ('<ul style="display: none"><li>Office of Security 312-553-2575</li></ul>'
            '<span aria-hidden="true">Hours &amp; Locations</span>')
    assert texts(html) == ["Office of Security 312-553-2575", "Hours & Locations"]


def test_utf8_without_declaration_and_declared_charset():
    assert texts("<p>312\u2013553\u20132575 caf\u00e9</p>".encode("utf-8")) == ["312\u2013553\u20132575 caf\u00e9"]
    latin = '<html><head><meta charset="windows-1252"></head><body><p>caf\xe9</p></body></html>'.encode("cp1252")
    assert texts(latin) == ["caf\u00e9"]
    assert texts("<p>caf\u00e9</p>") == ["caf\u00e9"]


def test_empty_and_garbage_input():
    assert texts("") == []
    assert texts(b"   ") == []
    assert [t.endswith("<<<>>>") for t in texts("\x00\x01<<<>>>")] in ([], [True])  # never raises


def test_parsed_elements_have_lxml_html_classes():
    """parse_html looks element classes up in C; they must be the ones lxml.html gives."""
    from lxml import html as lxml_html

    doc = ("<html><body><form><input name=a><select><option>x</option></select><textarea></textarea>"
           "<label>l</label><FORM></FORM><Input></form><!-- c --><p>&amp; t</p></body></html>")
    ours = [type(el) for el in parse_html(doc).iter()]
    theirs = [type(el) for el in lxml_html.document_fromstring(doc).iter()]
    assert ours == theirs
    assert lxml_html.FormElement in ours and lxml_html.InputElement in ours and lxml_html.HtmlComment in ours


def test_headings_sections_links_and_lines():
    html = """<div id="main">
<h2>Clerk's Office</h2>
<section><p>Phone: <a href="tel:+13125550100">(312) 555-0100</a></p></section>
</div>"""
    segs = segment(parse_html(html))
    seg = segs[-1]
    assert seg.heading == "Clerk's Office"
    assert seg.section == "div#main > section"
    assert seg.path == "div#main > section > p"
    assert seg.line == 3
    assert seg.links == (("tel:+13125550100", "(312) 555-0100"),)


def test_css_path_matches_memoized_paths():
    root = parse_html("<body><div><p>a</p><p>b</p></div><div id='x'><span><p>c</p></span></div></body>")
    paths = {s.text: s.path for s in segment(root)}
    assert paths == {"a": "html > body > div:nth-of-type(1) > p:nth-of-type(1)",
                     "b": "html > body > div:nth-of-type(1) > p:nth-of-type(2)",
                     "c": "div#x > span > p"}
    for el in root.iter("p"):
        assert css_path(el) == paths[el.text]


def test_table_column_headers():
    html = "<table><tr><th>Office</th><th>Fax</th></tr><tr><td>Clerk</td><td>312-555-0199</td></tr></table>"
    segs = segment(parse_html(html))
    assert [(s.text, s.column_header) for s in segs][-2:] == [("Clerk", "Office"), ("312-555-0199", "Fax")]


def test_cloudflare_protected_email_is_shown_decoded():
    key = 0x21
    hexed = f"{key:02x}" + "".join(f"{ord(c) ^ key:02x}" for c in "info@city.gov")
    html = (f'<p>Email <a href="/cdn-cgi/l/email-protection#{hexed}"><span class="__cf_email__" '
            f'data-cfemail="{hexed}">[email&#160;protected]</span></a></p>')
    seg, = segment(parse_html(html))
    assert seg.text == "Email info@city.gov"
    assert seg.links == (("mailto:info@city.gov", "info@city.gov"),)


def test_alt_text_repeating_the_caption_is_dropped():
    assert texts('<h1><img alt="Scanning"> Scanning</h1><p>x</p>') == ["Scanning", "x"]
    assert segment(parse_html('<h1><img alt="Scanning"> Scanning</h1><p>x</p>'))[-1].heading == "Scanning"


def test_deep_nesting_does_not_overflow():
    html = "<div>" * 3000 + "deep" + "</div>" * 3000
    segment(parse_html(html))  # must not raise RecursionError


def test_visible_text():
    assert visible_text(parse_html("<p>a</p><p>b</p>")) == "a\nb"
