"""Fixture server for fault scenarios: the named endpoints of server.py plus hostile ones.

Endpoints under ``/_f/`` (each one a thing an old, large or hostile site does):

- ``/_f/drip``            headers, then one byte every 0.2 s (slow drip, never finishes in time)
- ``/_f/hang``            reads the request and never answers
- ``/_f/reset``           half the body, then a TCP reset, always
- ``/_f/reset-once``      a reset the first time it is asked (per path), then 200
- ``/_f/storm/N``         a 429 storm: every /_f/storm/* answers 429 + Retry-After: 1 for
                          ``storm_seconds`` after the first storm request, then 200
- ``/_f/burst/N``         502 twice (per path), then 200
- ``/_f/bomb.html``       gzip bomb: 512 MB of zeros in about 500 KB, ``Content-Encoding: gzip``
- ``/_f/big-declared``    50 MB page with a Content-Length
- ``/_f/big-chunked``     50 MB page without a length (read until close)
- ``/_f/cp1252``          a Windows-1252 page whose header says UTF-8
- ``/_f/nocharset``       a UTF-8 page with no charset anywhere
- ``/_f/bogus-charset``   a page declaring ``charset=x-no-such-charset``
- ``/_f/png-as-html``     PNG bytes served as text/html
- ``/_f/cal?month=YYYY-MM`` an endless calendar (prev/next month links)
- ``/_f/sess?sid=X``      every link carries a fresh session id
- ``/_f/deeper/...``      any path; links to ``more/`` relative (ever deeper)
- ``/_f/many-links``      50,000 links (fragments on the page itself)
- ``/_f/nested``          20,000 nested ``<div>`` elements, then a phone number
- ``/_f/phone-wall``      80,000 phone numbers on one line (1 MB), then a link
- ``/_f/auth``            200 with the right basic auth, else 401
- ``/_f/headers``         records whether an Authorization header came: ``seen_auth[host + path]``

``robots_mode`` on the handler class: ``file`` (serve robots.txt from the folder),
``503`` (robots.txt answers 503) or ``hang`` (robots.txt never answers).
"""

from __future__ import annotations

import base64
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from urllib.parse import parse_qs, urlsplit

from server import ScenarioHandler
from siteaudit.demo.server import serve_folder

MB = 1024 * 1024
_BOMB: bytes | None = None
_BOMB_LOCK = threading.Lock()


def gzip_bomb(size: int = 512 * MB) -> bytes:
    """``size`` bytes of zeros, gzip-compressed, built without holding them in memory."""
    global _BOMB
    with _BOMB_LOCK:
        if _BOMB is None:
            comp = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
            chunk = b"\0" * MB
            parts = [comp.compress(chunk) for _ in range(size // MB)]
            parts.append(comp.flush())
            _BOMB = b"".join(parts)
        return _BOMB


def _month(value: str, delta: int) -> str:
    y, m = (int(x) for x in value.split("-"))
    m += delta
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    return f"{y:04d}-{m:02d}"


class FaultHandler(ScenarioHandler):
    robots_mode = "file"
    storm_seconds = 0.8
    storm_started: list[float] = []
    credentials = ("auditor", "s3cret-Pa55")
    seen_auth: dict[str, bool] = {}
    stop = threading.Event()

    def handle_request(self, head: bool) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        if path == "/robots.txt" and self.robots_mode != "file":
            with self.lock:
                type(self).hits[(self.command, path)] += 1
            if self.robots_mode == "503":
                return self.send_body(503, b"maintenance", "text/plain", head)
            return self._hang()
        if not path.startswith("/_f/"):
            return super().handle_request(head)
        name = path[4:]
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with self.lock:
            type(self).hits[(self.command, path)] += 1
            hits = type(self).hits[("GET", path)] + type(self).hits[("HEAD", path)]
        page = "<!doctype html><html><head><title>{}</title></head><body>{}</body></html>"
        html = lambda title, body="": page.format(title, body).encode()  # noqa: E731
        if name == "drip":
            return self._drip()
        if name == "hang":
            return self._hang()
        if name == "reset" or (name == "reset-once" and hits == 1):
            return self._reset()
        if name == "reset-once":
            return self.send_body(200, html("recovered"), "text/html; charset=utf-8", head)
        if name.startswith("storm/"):
            with self.lock:
                if not self.storm_started:
                    self.storm_started.append(time.monotonic())
                storming = time.monotonic() - self.storm_started[0] < self.storm_seconds
            if storming:
                return self.send_body(429, b"too many requests", "text/plain", head, {"Retry-After": "1"})
            return self.send_body(200, html(f"storm page {name}"), "text/html; charset=utf-8", head)
        if name.startswith("burst/"):
            if hits <= 2:
                return self.send_body(502, b"bad gateway", "text/plain", head)
            return self.send_body(200, html("after the burst"), "text/html; charset=utf-8", head)
        if name == "bomb.html":
            return self.send_body(200, gzip_bomb(), "text/html", head, {"Content-Encoding": "gzip"})
        if name == "big-declared":
            return self._big(head, declared=True)
        if name == "big-chunked":
            return self._big(head, declared=False)
        if name == "cp1252":
            body = ("<!doctype html><html><head><title>Caf\u00e9 \u2013 Office hours</title></head><body>"
                    "<p>Se\u00f1or Jos\u00e9\u2019s office: call 503-555-0142.</p></body></html>").encode("cp1252")
            return self.send_body(200, body, "text/html; charset=utf-8", head)
        if name == "nocharset":
            body = "<html><head><title>Caf\u00e9 \u2013 no charset</title></head><body>Ol\u00e1</body></html>"
            return self.send_body(200, body.encode("utf-8"), "text/html", head)
        if name == "bogus-charset":
            return self.send_body(200, html("Bogus charset", "<p>caf\u00e9</p>"), "text/html; charset=x-no-such-charset",
                                  head)
        if name == "png-as-html":
            body = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
            return self.send_body(200, body, "text/html", head)
        if name == "cal":
            month = q.get("month", "2026-01")
            body = (f'<h1>Events in {month}</h1><a href="/_f/cal?month={_month(month, -1)}">previous</a> '
                    f'<a href="/_f/cal?month={_month(month, 1)}">next</a>')
            return self.send_body(200, html(f"Calendar {month}", body), "text/html; charset=utf-8", head)
        if name == "sess":
            sid = f"{hits:04x}{abs(hash(self.path)) % 65536:04x}"
            body = f'<a href="/_f/sess?sid={sid}">home</a> <a href="/_f/sess-other?sid={sid}">other</a>'
            return self.send_body(200, html("Session", body), "text/html; charset=utf-8", head)
        if name == "sess-other":
            return self.send_body(200, html("Other"), "text/html; charset=utf-8", head)
        if name.startswith("deeper/") or name == "deeper":
            body = f'<p>{path}</p><a href="more/">more</a> <a href="./more/../more/">again</a>'
            return self.send_body(200, html("Deeper", body), "text/html; charset=utf-8", head)
        if name == "many-links":
            links = "".join(f'<a id="s{i}" href="#s{i}">{i}</a>\n' for i in range(50_000))
            return self.send_body(200, html("Many links", links), "text/html; charset=utf-8", head)
        if name == "phone-wall":
            body = "<p>" + "503-555-0100 " * 80_000 + '</p><a href="/malformed-target.html">after the wall</a>'
            return self.send_body(200, html("Phone wall", body), "text/html; charset=utf-8", head)
        if name == "nested":
            body = "<div>" * 20_000 + "Call 503-555-0199" + "</div>" * 20_000
            return self.send_body(200, html("Nested", body), "text/html; charset=utf-8", head)
        if name == "auth":
            expected = "Basic " + base64.b64encode(":".join(self.credentials).encode()).decode()
            if self.headers.get("Authorization") != expected:
                return self.send_body(401, b"who are you", "text/plain", head,
                                      {"WWW-Authenticate": 'Basic realm="intranet"'})
            return self.send_body(200, html("Members only", '<a href="/_f/auth-inner">inner</a>'),
                                  "text/html; charset=utf-8", head)
        if name == "auth-inner":
            return self.send_body(200, html("Inner"), "text/html; charset=utf-8", head)
        if name == "headers":
            with self.lock:
                type(self).seen_auth[self.headers.get("Host", "") + self.path] = "Authorization" in self.headers
            return self.send_body(200, html("Headers"), "text/html; charset=utf-8", head)
        return self.send_body(404, b"no such fault endpoint", "text/plain", head)

    # -- misbehaviour ---------------------------------------------------------

    def _hang(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not self.stop.is_set():
            time.sleep(0.1)
        self.close_connection = True

    def _drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        deadline = time.monotonic() + 20
        try:
            while time.monotonic() < deadline and not self.stop.is_set():
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass
        self.close_connection = True

    def _reset(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            self.wfile.write(b"<!doctype html><title>half</title>" + b"x" * 20000)
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()  # with SO_LINGER 0: an RST, not a FIN
        except OSError:
            pass
        self.close_connection = True

    def _big(self, head: bool, declared: bool) -> None:
        size = 50 * MB
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if declared:
            self.send_header("Content-Length", str(size))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if head:
            return
        chunk = (b"<p>" + b"filler text " * 5400 + b"</p>\n")[:64 * 1024]
        try:
            self.wfile.write(b"<!doctype html><title>Big</title>")
            for _ in range(size // len(chunk)):
                self.wfile.write(chunk)
        except OSError:
            pass


def serve_faults(folder, replacements=None, robots_mode="file"):
    """Serve ``folder`` with the fault endpoints; each server gets its own counters."""
    cls = type("Handler", (FaultHandler,), {"hits": Counter(), "lock": threading.Lock(), "storm_started": [],
                                            "seen_auth": {}, "stop": threading.Event(),
                                            "robots_mode": robots_mode})
    gzip_bomb()  # build it before the first request, not while a crawler waits
    server = serve_folder(folder, replacements, handler=cls)
    stop = server.stop

    def stop_all():
        server.httpd.RequestHandlerClass.stop.set()
        stop()

    server.stop = stop_all
    return server
