"""``selector(select)`` (built once per rule) selects exactly the pages the plain reading of a
select mapping does (``page_selected`` below, the evaluator's code before ``selector``)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from siteaudit.rules.checks import url_matches_glob
from siteaudit.rules.data import PageData
from siteaudit.rules.evaluate import _selection_key, selector


def page_selected(page: PageData, select: dict) -> bool:
    """The oracle: does ``page`` satisfy a select mapping (scope keys are ignored)?"""
    for key, value in select.items():
        if key == "url" and not any(url_matches_glob(page.url, g) for g in value):
            return False
        if key == "url_regex" and not any(rx.search(page.url) for rx in value):
            return False
        if key == "page_type" and not page.types & set(value):
            return False
        if key == "title":
            names = [page.title] + page.headings[:1]
            if not any(rx.search(n or "") for rx in value for n in names):
                return False
        if key == "home" and page.is_home != value:
            return False
        if key == "all" and not all(page_selected(page, sub) for sub in value):
            return False
        if key == "any" and not any(page_selected(page, sub) for sub in value):
            return False
        if key == "not" and page_selected(page, value):
            return False
    return True


URLS = st.sampled_from(["https://a.gov/", "https://a.gov/contact-us", "https://a.gov/offices/salem",
                        "https://a.gov/about?x=1", "https://a.gov/News/"])
TYPES = st.sets(st.sampled_from(["contact", "office", "locations", "about", "customer-service"]))
PAGES = st.builds(PageData, url=URLS, title=st.sampled_from(["", "Contact us", "Salem Field Office", "Home"]),
                  headings=st.lists(st.sampled_from(["Field office", "Welcome"]), max_size=2), types=TYPES,
                  is_home=st.booleans())
GLOBS = st.lists(st.sampled_from(["*", "*/offices/*", "/contact*", "/ABOUT*", "https://a.gov/"]), min_size=1, max_size=3)
REGEXES = st.lists(st.sampled_from(["about|contact", "office", "^$", "news"]).map(lambda p: re.compile(p, re.I)),
                   min_size=1, max_size=2)
KEYS = {"url": GLOBS, "url_regex": REGEXES, "title": REGEXES, "home": st.booleans(),
        "page_type": st.lists(st.sampled_from(["contact", "office", "about"]), min_size=1, max_size=2),
        "offices": st.just(True)}
# one or two keys a mapping (with more, nearly every page fails some key and nothing is compared)
LEAF = st.lists(st.one_of([st.tuples(st.just(k), v) for k, v in KEYS.items()]), min_size=1, max_size=2).map(dict)
SELECTS = st.recursive(LEAF, lambda inner: st.one_of(
    st.builds(lambda a, b: {**a, **b}, LEAF, st.fixed_dictionaries({}, optional={
        "all": st.lists(inner, min_size=1, max_size=2), "any": st.lists(inner, min_size=1, max_size=2),
        "not": inner})), st.lists(inner, min_size=1, max_size=2).map(lambda s: {"any": s}),
    inner.map(lambda s: {"not": s})), max_leaves=5)


@settings(max_examples=300)
@given(SELECTS, st.lists(PAGES, min_size=1, max_size=8))
def test_selector_agrees_with_page_selected(select, pages):
    test = selector(select)
    assert [test(p) for p in pages] == [page_selected(p, select) for p in pages]


def test_selection_keys_tell_long_patterns_apart():
    # repr() of a compiled pattern stops at 200 characters; two selections must not share a test by it
    a, b = ("x" * 300 + "a"), ("x" * 300 + "b")
    assert _selection_key({"url_regex": [re.compile(a)]}) != _selection_key({"url_regex": [re.compile(b)]})
    assert _selection_key({"url": ["*"], "offices": True}) == _selection_key({"url": ["*"]})
