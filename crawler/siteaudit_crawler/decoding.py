"""Turn a fetched body into text the way a reader's browser would, or say why not.

Agency pages are old: a Windows-1252 page declared as UTF-8, a bogus charset
name, a PDF or an image served as ``text/html``.  None of these may crash a
crawl or fill the report with mojibake.
"""

from __future__ import annotations

from lxml import etree
from w3lib.encoding import (html_body_declared_encoding, html_to_unicode, http_content_type_encoding, read_bom,
                            resolve_encoding)

BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"\xd0\xcf\x11\xe0",
                b"OggS", b"ID3", b"RIFF")


def binary_kind(body: bytes) -> str | None:
    """A short description when ``body`` is clearly not text (None for text)."""
    head = body[:2048]
    for magic in BINARY_MAGIC:
        if head.startswith(magic):
            return f"binary content ({magic.decode('latin-1').strip()!r} signature)"
    if b"\x00" in head:
        return "binary content (NUL bytes)"
    return None


def decode_body(body: bytes, encoding: str | None, fallback_text) -> tuple[str, str]:
    """Decode an HTML body; returns (text, note).

    ``encoding`` is what the response declared or Scrapy inferred;
    ``fallback_text`` is a callable giving Scrapy's own decoding.  A body that
    claims UTF-8 but is not valid UTF-8 and is valid Windows-1252 (the usual
    legacy case) is decoded as Windows-1252, with a note saying so.
    """
    enc = (encoding or "").lower().replace("_", "-")
    if enc in ("utf-8", "utf8", ""):
        try:
            return body.decode("utf-8"), ""
        except UnicodeDecodeError:
            pass
        try:
            return body.decode("cp1252"), "declared UTF-8 but is not; decoded as Windows-1252"
        except UnicodeDecodeError:
            return body.decode("utf-8", "replace"), "invalid UTF-8; undecodable bytes replaced"
    try:
        return fallback_text(), ""
    except Exception:  # an unknown charset name must not lose the page
        return body.decode("utf-8", "replace"), f"unknown charset {encoding!r}; decoded as UTF-8"


def decode_page(body: bytes, text_response: bool, content_type: bytes) -> tuple[str, str]:
    """:func:`decode_body` of a fetched page, away from its response (in a page worker).

    ``text_response`` and ``content_type`` are what the crawler process had: whether
    Scrapy made it a ``TextResponse``, and the raw Content-Type header.  The encoding is
    found as Scrapy's ``TextResponse.encoding`` finds it (same w3lib steps, same order;
    tests/test_pagework.py compares the two), without importing Scrapy here: the workers
    boot while the first pages are already coming in."""
    if not text_response:
        return decode_body(body, None, lambda: body.decode("utf-8", "replace"))
    encoding = scrapy_encoding(body, content_type)
    return decode_body(body, encoding, lambda: html_to_unicode(f"charset={encoding}", body)[1])


def scrapy_encoding(body: bytes, content_type: bytes) -> str:
    """What ``scrapy.http.TextResponse(body=body, headers={"Content-Type": content_type}).encoding`` says."""
    ctype = content_type.decode("latin-1")
    return (read_bom(body)[0] or http_content_type_encoding(ctype) or html_body_declared_encoding(body)
            or html_to_unicode(ctype, body, auto_detect_fun=_auto_detect, default_encoding="ascii")[0])


def _auto_detect(text: bytes) -> str | None:
    for enc in ("ascii", "utf-8"):
        try:
            text.decode(enc)
        except UnicodeError:
            continue
        return resolve_encoding(enc)
    from charset_normalizer import from_bytes

    match = from_bytes(text).best()
    return resolve_encoding(match.encoding) if match else None


def xml_problem(body: bytes) -> str:
    """The first fatal XML error in ``body`` (a sitemap), or ``""``.

    Parsed like Scrapy's ``Sitemap`` (recovering, entities not resolved), so
    an entity bomb is reported, never expanded.
    """
    parser = etree.XMLParser(recover=True, remove_comments=True, resolve_entities=False)
    try:
        etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        return f"malformed sitemap: {str(exc)[:200]}"
    fatal = [e for e in parser.error_log if e.level_name == "FATAL"]
    return f"malformed sitemap (read up to the error): {fatal[0].message[:200]}" if fatal else ""
