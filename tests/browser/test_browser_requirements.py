"""Without Chromium the browser tests skip with a reason, except under CI=true where they fail."""

from __future__ import annotations

import pytest

import browser_helpers


def test_missing_chromium_skips_locally_and_fails_in_ci(monkeypatch):
    monkeypatch.setattr(browser_helpers, "_missing", lambda: "Chromium is not installed (apt-get install chromium)")
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        browser_helpers.require_browser({})
    with pytest.raises(pytest.fail.Exception, match="CI=true but the browser tests cannot run"):
        browser_helpers.require_browser({"CI": "true"})


def test_present_chromium_is_returned(monkeypatch):
    monkeypatch.setattr(browser_helpers, "_missing", lambda: None)
    assert browser_helpers.require_browser({"CI": "true"}).endswith("chromium")
