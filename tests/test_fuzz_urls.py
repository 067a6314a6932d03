"""Property-based tests for URL handling, link classification and the crawler's pure helpers.

Properties: nothing raises on any input; normalisation is idempotent; and a
1 MB adversarial input is processed in bounded time (a generous bound, run
once, not a tight timing: the property is "not quadratic", which would take
minutes at this size).
"""

from __future__ import annotations

import string
import time

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from siteaudit import links as linklib
from siteaudit.fragments import fragment_ok
from siteaudit.urls import Scope, host_key, is_private_host, normalize_url, split_fragment
from siteaudit_crawler.decoding import binary_kind, decode_body
from siteaudit_crawler.middlewares import retry_after_seconds
from siteaudit_crawler.traps import TrapGuard, session_free, url_pattern

FUZZ = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
MB = 1 << 20

# URL-shaped text: the pieces that trip parsers (brackets, @, %, ports, dots, unicode, controls).
_pieces = st.sampled_from(["http://", "https://", "HTTP://", "//", "[", "]", "::1", "@", ":", "%", "%2F", "%zz",
                           "/", "./", "../", "?", "&", "=", "#", ";", " ", "\t", "\x00", "\x1b", "é", "日本",
                           "xn--", "www.", "example.gov", "127.0.0.1", "169.254.169.254", "localhost", "80",
                           "443", "99999", "-", "_", "~", "+", ",", "'", '"', "<", ">", "\\", "a", "Z", "0"])
url_like = st.lists(_pieces, max_size=25).map("".join)
any_text = st.text(max_size=200)
http_urls = st.builds(lambda scheme, host, port, path, query: f"{scheme}://{host}{port}{path}{query}",
                      st.sampled_from(["http", "https", "HTTP", "hTTps"]),
                      st.sampled_from(["www.example.gov", "Example.GOV", "127.0.0.1", "[::1]", "xn--bcher-kva.ch",
                                       "bücher.example", "a.b.c.d.e.example.org", "EXAMPLE.gov."]),
                      st.sampled_from(["", ":80", ":443", ":8080", ":0"]),
                      st.lists(st.sampled_from(["/", "a", "b/", "./", "../", "%41", "%2f", " ", "é", ";x=1", "//"]),
                               max_size=8).map(lambda p: "/" + "".join(p)),
                      st.sampled_from(["", "?", "?a=1&b=2", "?b=2&a=1", "?q=%20x", "?x=é", "#frag", "?a#b"]))


@FUZZ
@given(st.one_of(url_like, any_text, http_urls))
@example("// #")  # found by this test: the space before the fragment survived one pass
@example("http:////")  # found by this test: an empty host gained and lost slashes
def test_normalize_url_never_raises_and_is_idempotent(url):
    once = normalize_url(url)
    assert isinstance(once, str)
    assert normalize_url(once) == once


@FUZZ
@given(http_urls)
def test_normalized_http_urls_are_canonical(url):
    out = normalize_url(url)
    scheme, _, rest = out.partition("://")
    assert scheme in ("http", "https")
    assert "#" not in out
    host = rest.split("/", 1)[0]
    assert host == host.lower() or "%" in host
    assert not host.endswith((":80", ":443")) or (scheme, host[-3:]) not in (("http", ":80"),)


@FUZZ
@given(st.one_of(url_like, any_text, http_urls))
def test_host_key_by_origin_is_host_key_of_the_whole_url(url):
    from siteaudit.urls import _host_key

    assert host_key(url) == _host_key(url)


@FUZZ
@given(st.one_of(url_like, any_text, http_urls))
def test_url_helpers_never_raise(url):
    split_fragment(url)
    key = host_key(url)
    is_private_host(key)
    is_private_host(url)
    scope = Scope.from_start_urls(["https://www.example.gov/"], ["partner.example.org"], ["/"])
    scope.in_scope(url)
    scope.fetch_allowed(url)
    linklib.url_problem(url)
    linklib.resolve("https://www.example.gov/a/b", url)
    linklib.scheme_of(url)
    url_pattern(url)
    session_free(url)
    guard = TrapGuard(pattern_pages=3)
    guard.check(url)
    guard.note(url)


@FUZZ
@given(st.one_of(url_like, any_text))
@example("http://./")  # found by this test: a host of dots is no host
def test_every_href_becomes_an_outcome_without_raising(raw):
    """Whatever a page puts in an href, the crawler can classify it (never a crash)."""
    target = normalize_url(linklib.resolve("https://www.example.gov/dir/page.html", raw))
    if linklib.scheme_of(target) in linklib.HTTP_SCHEMES:
        problem = linklib.url_problem(target)
        if problem is None:
            assert host_key(target)  # a fetchable URL has a host
    else:
        check = linklib.check_non_http(target)
        assert check.outcome is not None


@FUZZ
@given(st.text(max_size=120))
def test_mailto_and_tel_checks_never_raise(body):
    for prefix in ("mailto:", "tel:", "sms:", "javascript:", "data:"):
        check = linklib.check_non_http(prefix + body)
        assert check.target == prefix + body and check.outcome is not None


@FUZZ
@given(st.one_of(st.none(), st.integers(min_value=-1000, max_value=100_000)),
       st.lists(st.fixed_dictionaries({"url": st.text(max_size=20), "status": st.integers(0, 999)}), max_size=4),
       st.dictionaries(st.text(max_size=20), st.text(max_size=40), max_size=4),
       st.sampled_from(["", "dns", "refused", "timeout", "lost", "tls", "loop", "too-many-redirects", "other"]),
       st.text(max_size=50), st.booleans())
def test_classify_http_never_raises(status, chain, headers, kind, error, internal):
    outcome, reason = linklib.classify_http(status, chain=chain, headers=headers, error=error, error_kind=kind,
                                            internal=internal)
    assert outcome is not None and isinstance(reason, str)


@FUZZ
@given(st.one_of(st.none(), st.text(max_size=80), st.binary(max_size=80)))
@example("²")  # found by this test: str.isdigit() accepts superscripts, float() does not
def test_retry_after_never_raises(value):
    result = retry_after_seconds(value)
    assert result is None or result >= 0


@FUZZ
@given(st.text(max_size=60), st.sets(st.text(max_size=10), max_size=5))
def test_fragment_ok_never_raises(fragment, anchors):
    assert fragment_ok(fragment, anchors) in (True, False)
    assert fragment_ok(fragment, anchors | {fragment})


@FUZZ
@given(st.binary(max_size=400), st.sampled_from([None, "", "utf-8", "UTF8", "latin-1", "cp1252", "x-no-such",
                                                 "utf-16"]))
def test_decoding_never_raises(body, encoding):
    def scrapy_text():
        return body.decode(encoding or "utf-8")

    text, note = decode_body(body, encoding, scrapy_text)
    assert isinstance(text, str) and isinstance(note, str)
    binary_kind(body)


# -- bounded time on 1 MB adversarial input ---------------------------------------------

ADVERSARIAL = {
    "digits and separators": ("1-2.3 (4)5/6 7:8;9," * (MB // 19 + 1))[:MB],
    "repeated @": "@" * MB,
    "nested brackets": "[" * (MB // 2) + "]" * (MB // 2),
    "percent soup": "%%25%zz%" * (MB // 8),
    "dot segments": "/./../" * (MB // 6),
    "query pairs": "&a=1" * (MB // 4),
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_url_functions_handle_1mb_adversarial_input_in_bounded_time(name):
    payload = ADVERSARIAL[name]
    started = time.perf_counter()
    for url in ("http://www.example.gov/" + payload, "http://" + payload, payload):
        out = normalize_url(url)
        assert normalize_url(out) == out
        host_key(url)
        linklib.url_problem(url)
        url_pattern(url)
        TrapGuard().check(url)
        linklib.resolve("https://www.example.gov/", url)
    elapsed = time.perf_counter() - started
    # About 0.5 s on a laptop; a quadratic step would take minutes.  Generous for a loaded CI box.
    assert elapsed < 15, f"{name}: {elapsed:.1f} s"


def test_email_and_tel_checks_on_1mb_input():
    started = time.perf_counter()
    linklib.check_mailto("mailto:" + "a@" * (MB // 2))
    linklib.check_mailto("mailto:" + ",".join(["x@example.gov"] * (MB // 14)))
    linklib.check_tel("tel:" + "1-2." * (MB // 4))
    assert time.perf_counter() - started < 15


@FUZZ
@given(st.text(alphabet=string.ascii_letters + string.digits + "/-_.?=&;%", max_size=80))
def test_trap_guard_pattern_cap_counts_per_pattern(path):
    assume("?" not in path[:1])
    guard = TrapGuard(pattern_pages=2)
    url = "https://www.example.gov/" + path
    for _ in range(2):
        if guard.check(url) is None:
            guard.note(url)
    reason = guard.check(url)
    assert reason is None or reason.startswith("crawler trap:")
