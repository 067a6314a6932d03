"""Python fallback for nginx (used only when nginx is not installed): the same two servers.

    python bench/fallback_server.py SITE_DIR PORT EXT_PORT

Serves SITE_DIR/www on 127.0.0.1:PORT with the special locations of
SITE_DIR/nginx-locations.conf (exact 301s, 410, 500, redirect loops), and the
"external" server on EXT_PORT (/page/ 200, /head405/ 405 to HEAD and 200 to GET,
everything else 404).  Much slower than nginx: timings taken with it are not
comparable with the README's table.
"""

from __future__ import annotations

import re
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

EXT_PAGE = b"<!DOCTYPE html><html><head><title>Partner agency</title></head><body><p>Partner page.</p></body></html>"


def load_locations(conf: Path) -> tuple[dict[str, str], list[tuple[str, int]]]:
    redirects, prefixes = {}, []
    for line in conf.read_text().splitlines():
        m = re.match(r"location = (\S+) \{ return 301 (\S+); \}", line)
        if m:
            redirects[m.group(1)] = m.group(2)
        m = re.match(r"location \^~ (\S+) \{ return (\d+); \}", line)
        if m:
            prefixes.append((m.group(1), int(m.group(2))))
    return redirects, prefixes


class SiteHandler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    redirects: dict[str, str] = {}
    prefixes: list[tuple[str, int]] = []

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("LinkChecker", "1")
        super().end_headers()

    def _special(self) -> bool:
        path = self.path.split("?", 1)[0]
        m = re.match(r"^/loop/(\d+)/([ab])$", path)
        target = self.redirects.get(path) or (f"/loop/{m.group(1)}/{'b' if m.group(2) == 'a' else 'a'}" if m else None)
        if target:
            self.send_response(301 if path in self.redirects else 302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True
        for prefix, status in self.prefixes:
            if path.startswith(prefix):
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return True
        return False

    def do_GET(self):
        if not self._special():
            super().do_GET()

    def do_HEAD(self):
        if not self._special():
            super().do_HEAD()


class ExternalHandler(SiteHandler):
    def _reply(self, body: bool):
        path = self.path.split("?", 1)[0]
        if path.startswith("/head405/") and not body:
            status = 405
        elif path.startswith(("/page/", "/head405/")):
            status = 200
        else:
            status = 404
        payload = EXT_PAGE if status == 200 else b""
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if body:
            self.wfile.write(payload)

    def do_GET(self):
        self._reply(True)

    def do_HEAD(self):
        self._reply(False)


def main(argv: list[str]) -> int:
    site, port, ext_port = Path(argv[0]), int(argv[1]), int(argv[2])
    SiteHandler.redirects, SiteHandler.prefixes = load_locations(site / "nginx-locations.conf")
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 256  # the default 5 drops SYNs at 16 concurrent clients
    ThreadingHTTPServer.handle_error = lambda self, request, address: None  # clients reset connections
    main_srv = ThreadingHTTPServer(("127.0.0.1", port), partial(SiteHandler, directory=str(site / "www")))
    ext_srv = ThreadingHTTPServer(("127.0.0.1", ext_port), ExternalHandler)
    threading.Thread(target=ext_srv.serve_forever, daemon=True).start()
    try:
        main_srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
