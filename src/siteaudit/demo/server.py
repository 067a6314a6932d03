"""A tiny static web server on 127.0.0.1 for the demo site (and the test fixtures).

Serves one folder.  HTML files may contain placeholders that are replaced at
serve time, e.g. ``__PARTNER__`` → the origin of a second server, so static
pages can link to an "external" site whose port is only known at run time.
"""

from __future__ import annotations

import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit


class StaticHandler(BaseHTTPRequestHandler):
    server_version = "siteaudit-demo"
    protocol_version = "HTTP/1.1"

    # set per server class by serve_folder()
    root: Path = Path(".")
    replacements: dict[str, str] = {}

    def log_message(self, format, *args):  # noqa: A002 - keep test output clean
        pass

    def do_HEAD(self):
        self.handle_request(head=True)

    def do_GET(self):
        self.handle_request(head=False)

    def handle_request(self, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        file = self.resolve(path)
        if file is None:
            self.send_body(404, b"<!doctype html><title>Not found</title><h1>Not found</h1>", "text/html", head)
            return
        ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        body = file.read_bytes()
        if ctype in ("text/html", "text/xml", "application/xml"):
            text = body.decode("utf-8")
            for key, value in self.replacements.items():
                text = text.replace(key, value)
            body = text.encode("utf-8")
            ctype += "; charset=utf-8"
        self.send_body(200, body, ctype, head)

    def resolve(self, path: str) -> Path | None:
        candidate = (self.root / path.lstrip("/")).resolve()
        if self.root.resolve() not in (candidate, *candidate.parents):
            return None  # no escaping the folder
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def send_body(self, status: int, body: bytes, ctype: str, head: bool = False, headers: dict | None = None):
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout test); nothing to tell it


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 with an ephemeral port."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> "LocalServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def serve_folder(root: Path, replacements: dict[str, str] | None = None,
                 handler: type[StaticHandler] = StaticHandler) -> LocalServer:
    """Start serving ``root``; returns the started server (call ``stop()``)."""
    cls = type("BoundHandler", (handler,), {"root": Path(root), "replacements": dict(replacements or {})})
    return LocalServer(cls).start()
