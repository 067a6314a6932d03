"""Shared fixtures: scenario sites served on 127.0.0.1, and a CLI runner in a subprocess.

A crawl runs Scrapy's reactor, which cannot be restarted in one process, so
crawl tests run ``python -m siteaudit`` in a subprocess; everything else uses
click's CliRunner in-process.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from server import serve_scenario

SITES = Path(__file__).parent / "sites"


@pytest.fixture(scope="session")
def external_site():
    server = serve_scenario(SITES / "external")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def basic_site(external_site):
    """The `basic` scenario; its pages link to the `external` scenario as another host."""
    server = serve_scenario(SITES / "basic")
    # Use "localhost" for the external site: a different host from 127.0.0.1, so out of scope.
    ext = f"http://localhost:{external_site.port}"
    server.httpd.RequestHandlerClass.replacements.update({"__EXTERNAL__": ext, "__SELF__": server.origin})
    yield server
    server.stop()


@pytest.fixture(scope="session")
def guard_site(external_site):
    server = serve_scenario(SITES / "guard")
    server.httpd.RequestHandlerClass.replacements.update({"__EXTERNAL__": f"http://localhost:{external_site.port}"})
    yield server
    server.stop()
