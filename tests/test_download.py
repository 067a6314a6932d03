"""The download handler (crawler/siteaudit_crawler/download.py), driven directly: no crawl.

Each test sends one Scrapy ``Request`` through the handler to a fixture server
on 127.0.0.1 and checks what comes back: the body read or not by the request's
body policy, the size limit as an outcome, and transport failures as Scrapy's
exceptions (which the retry middleware and the spider's error handling know).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.exceptions import (DownloadCancelledError, DownloadConnectionRefusedError, DownloadTimeoutError,
                               ResponseDataLossError)
from scrapy.settings import Settings

from fault_server import serve_faults
from siteaudit.demo.server import serve_folder
from siteaudit_crawler import settings as project_settings
from siteaudit_crawler.download import SHORT_BODY, AiohttpHandler, scrapy_headers

PAGE = b"<!doctype html><html><head><title>Office</title></head><body><p>Call 503-555-0100.</p></body></html>"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dl")
    (folder / "page.html").write_bytes(PAGE)
    (folder / "long.pdf").write_bytes(b"%PDF-1.4 " + b"x" * (SHORT_BODY * 4))
    (folder / "short.pdf").write_bytes(b"%PDF-1.4 tiny")
    server = serve_folder(folder)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def faults(tmp_path_factory):
    server = serve_faults(tmp_path_factory.mktemp("faults"))
    yield server
    server.stop()


def fetch(url: str, method: str = "GET", maxsize: int | None = None, timeout: float = 5, **meta):
    settings = Settings()
    settings.setmodule(project_settings)
    if maxsize is not None:
        settings.set("DOWNLOAD_MAXSIZE", maxsize)
    handler = AiohttpHandler(SimpleNamespace(settings=settings))
    request = Request(url, method=method, meta={"download_timeout": timeout, **meta})

    async def go():
        try:
            return await handler.download_request(request)
        finally:
            await handler.close()

    response = asyncio.run(go())
    return response, request


def test_a_page_is_read_whole(site):
    response, request = fetch(f"{site.origin}/page.html", sa_body="html")
    assert response.status == 200 and response.body == PAGE and response.flags == []
    assert response.headers.get(b"Content-Type").startswith(b"text/html")
    assert request.meta["download_latency"] > 0  # AutoThrottle reads it


def test_head_has_no_body(site):
    response, _ = fetch(f"{site.origin}/long.pdf", method="HEAD", sa_body="short")
    assert response.status == 200 and response.body == b""
    assert int(response.headers[b"Content-Length"]) > SHORT_BODY


def test_a_check_reads_a_short_body_and_not_a_long_one(site):
    short, _ = fetch(f"{site.origin}/short.pdf", sa_body="short")
    assert short.body == b"%PDF-1.4 tiny" and short.flags == []
    long, _ = fetch(f"{site.origin}/long.pdf", sa_body="short")
    assert long.status == 200 and long.body == b"" and long.flags == ["download_stopped"]


def test_a_page_that_is_not_html_is_not_downloaded(site):
    response, request = fetch(f"{site.origin}/long.pdf", sa_body="html")
    assert response.body == b"" and response.flags == ["download_stopped"] and "sa_too_large" not in request.meta
    short, _ = fetch(f"{site.origin}/short.pdf", sa_body="html")
    assert short.body == b"%PDF-1.4 tiny"  # short: read (the connection is kept)


@pytest.mark.parametrize("path, why", [("/_f/big-declared", "declared 52428800 bytes"),
                                       ("/_f/big-chunked", "more than 1048576 bytes")])
def test_too_large_is_an_outcome_with_its_reason(faults, path, why):
    response, request = fetch(faults.origin + path, maxsize=1024 * 1024, sa_body="html")
    assert response.status == 200 and response.flags == ["download_stopped"] and response.body == b""
    assert request.meta["sa_too_large"] == why


def test_too_large_without_a_body_policy_is_scrapys_cancel(faults):
    with pytest.raises(DownloadCancelledError, match="larger than download max size"):
        fetch(faults.origin + "/_f/big-declared", maxsize=1024 * 1024)


def test_a_connection_reset_mid_body_is_data_loss(faults):
    with pytest.raises(ResponseDataLossError):
        fetch(faults.origin + "/_f/reset", sa_body="html")


def test_a_drip_times_out(faults):
    with pytest.raises(DownloadTimeoutError, match="took longer than 1 seconds"):
        fetch(faults.origin + "/_f/drip", timeout=1, sa_body="html")


def test_a_closed_port_is_refused():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: refused
        with pytest.raises(DownloadConnectionRefusedError):
            fetch(f"http://127.0.0.1:{port}/", sa_body="short")


def test_the_url_is_sent_as_scrapy_built_it():
    """Not re-encoded on the way out (yarl would turn %7E into ~ and change what the server sees)."""
    seen = []
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)

        def answer():
            conn, _ = srv.accept()
            with conn:
                seen.append(conn.recv(65536).split(b"\r\n", 1)[0])
                conn.sendall(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")

        thread = threading.Thread(target=answer)
        thread.start()
        response, _ = fetch(f"http://127.0.0.1:{srv.getsockname()[1]}/a%7Eb/c?q=a%2Fb&x=%7E", sa_body="short")
        thread.join(5)
    assert response.status == 204
    assert seen == [b"GET /a%7Eb/c?q=a%2Fb&x=%7E HTTP/1.1"]


def test_response_headers_are_what_scrapys_headers_would_hold():
    from scrapy.http import Headers

    raw = ((b"content-type", b"text/html"), (b"Set-Cookie", b"a=1"), (b"set-cookie", b"b=2"), (b"X-EMPTY", b""),
           (b"cf-mitigated", b"challenge"))
    ours = scrapy_headers(raw)
    assert ours == Headers(list(raw)) and isinstance(ours, Headers)
    assert ours.getlist("Set-Cookie") == [b"a=1", b"b=2"] and ours.get(b"CF-Mitigated") == b"challenge"
