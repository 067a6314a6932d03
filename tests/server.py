"""Fixture web server: a scenario folder under tests/sites/ plus named endpoints.

Endpoints (under ``/_/``), modelled on Scrapy's mock server:

- ``/_/status/N``            answers status N
- ``/_/redirect/N?to=PATH``  N temporary (302) redirects, then PATH
- ``/_/moved?to=PATH``       one permanent (301) redirect
- ``/_/loop/a``, ``/_/loop/b`` redirect to each other forever
- ``/_/redirect-to?url=URL`` 302 to any URL (e.g. a private address)
- ``/_/slow?s=SECONDS``      waits before answering (past the crawl timeout)
- ``/_/flaky503``            503 the first time it is asked (per path), then 200
- ``/_/retry-after``         429 with Retry-After: 1 the first time, then 200
- ``/_/always429``           429 with Retry-After: 1, always
- ``/_/cf403``               403 with a ``cf-mitigated: challenge`` header
- ``/_/head405``             405 to HEAD, 200 to GET
- ``/_/always500``           500, always
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from urllib.parse import parse_qs, urlsplit

from siteaudit.demo.server import StaticHandler, serve_folder


class ScenarioHandler(StaticHandler):
    hits: Counter = Counter()
    lock = threading.Lock()

    def handle_request(self, head: bool) -> None:
        parts = urlsplit(self.path)
        if not parts.path.startswith("/_/"):
            return super().handle_request(head)
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        name = parts.path[3:]
        with self.lock:
            type(self).hits[(self.command, parts.path)] += 1
            hits_any = sum(n for (m, p), n in type(self).hits.items() if p == parts.path)
        ok = b"<!doctype html><title>ok</title><p>ok</p>"
        if name.startswith("status/"):
            code = int(name.split("/")[1])
            return self.send_body(code, b"<p>status</p>", "text/html", head)
        if name.startswith("redirect/"):
            n = int(name.split("/")[1])
            to = q.get("to", "/")
            loc = f"/_/redirect/{n - 1}?to={to}" if n > 1 else to
            return self.send_body(302, b"", "text/html", head, {"Location": loc})
        if name == "moved":
            return self.send_body(301, b"", "text/html", head, {"Location": q.get("to", "/")})
        if name == "loop/a":
            return self.send_body(302, b"", "text/html", head, {"Location": "/_/loop/b"})
        if name == "loop/b":
            return self.send_body(302, b"", "text/html", head, {"Location": "/_/loop/a"})
        if name == "redirect-to":
            return self.send_body(302, b"", "text/html", head, {"Location": q["url"]})
        if name == "slow":
            time.sleep(float(q.get("s", "5")))
            return self.send_body(200, ok, "text/html", head)
        if name == "flaky503":
            if hits_any == 1:
                return self.send_body(503, b"busy", "text/plain", head)
            return self.send_body(200, ok, "text/html", head)
        if name == "retry-after":
            if hits_any == 1:
                return self.send_body(429, b"slow down", "text/plain", head, {"Retry-After": "1"})
            return self.send_body(200, ok, "text/html", head)
        if name == "always429":
            return self.send_body(429, b"slow down", "text/plain", head, {"Retry-After": "1"})
        if name == "cf403":
            return self.send_body(403, b"challenge", "text/html", head, {"cf-mitigated": "challenge"})
        if name == "head405":
            if head:
                return self.send_body(405, b"", "text/plain", head, {"Allow": "GET"})
            return self.send_body(200, ok, "text/html", head)
        if name == "always500":
            return self.send_body(500, b"oops", "text/plain", head)
        return self.send_body(404, b"no such endpoint", "text/plain", head)


def serve_scenario(folder, replacements=None):
    cls = type("Handler", (ScenarioHandler,), {"hits": Counter(), "lock": threading.Lock()})
    return serve_folder(folder, replacements, handler=cls)
