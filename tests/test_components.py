"""The crawl's Scrapy components are listed in full (settings.py): exactly these run, and the
ones left out are not even imported (Scrapy imports every component a priority dict names)."""

from __future__ import annotations

import subprocess
import sys

from scrapy.settings import Settings
from scrapy.utils.conf import build_component_list

from siteaudit_crawler import settings as project_settings

EXPECTED = {
    "SPIDER_MIDDLEWARES": ["scrapy.spidermiddlewares.httperror.HttpErrorMiddleware"],
    "DOWNLOADER_MIDDLEWARES": [
        "siteaudit_crawler.middlewares.PrivateAddressGuard",
        "siteaudit_crawler.middlewares.RobotsTxtConventionMiddleware",
        "scrapy.downloadermiddlewares.downloadtimeout.DownloadTimeoutMiddleware",
        "scrapy.downloadermiddlewares.defaultheaders.DefaultHeadersMiddleware",
        "siteaudit_crawler.middlewares.BasicAuthMiddleware",
        "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware",
        "siteaudit_crawler.middlewares.BackoffRetryMiddleware",
        "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware",
        "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware",
    ],
    "EXTENSIONS": [
        "scrapy.extensions.corestats.CoreStats",
        "scrapy.extensions.logcount.LogCount",
        "scrapy.extensions.memusage.MemoryUsage",
        "scrapy.extensions.closespider.CloseSpider",
        "scrapy.extensions.logstats.LogStats",
        "scrapy.extensions.throttle.AutoThrottle",
    ],
}


def _settings() -> Settings:
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    return settings


def _enabled(settings: Settings, name: str) -> list[str]:
    """The import paths of the components Scrapy runs for ``name``, in order."""
    return [c if isinstance(c, str) else f"{c.__module__}.{c.__qualname__}"
            for c in build_component_list(settings.get_component_priority_dict_with_base(name))]


def test_exactly_the_listed_components_run():
    settings = _settings()
    for name, expected in EXPECTED.items():
        assert _enabled(settings, name) == expected, name


def test_a_user_setting_still_adds_a_component():
    settings = _settings()
    settings.set("DOWNLOADER_MIDDLEWARES", {"scrapy.downloadermiddlewares.cookies.CookiesMiddleware": 700},
                 priority="cmdline")
    assert "scrapy.downloadermiddlewares.cookies.CookiesMiddleware" in _enabled(settings, "DOWNLOADER_MIDDLEWARES")


def test_unused_components_are_not_imported():
    code = (
        "import sys\n"
        "from scrapy.settings import Settings\n"
        "from siteaudit_crawler import settings as mod\n"
        "s = Settings(); s.setmodule(mod, priority='project')\n"
        "for name in ('SPIDER_MIDDLEWARES', 'DOWNLOADER_MIDDLEWARES', 'EXTENSIONS'):\n"
        "    s.get_component_priority_dict_with_base(name)\n"
        "print(' '.join(m for m in ('tldextract', 'twisted.conch', 'aiohttp.web', 'scrapy.extensions.telnet',"
        " 'scrapy.downloadermiddlewares.cookies') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""


def test_versions_are_only_gathered_when_logged():
    # Scrapy gathers its "Versions:" INFO line (running `uname -p` in a subprocess) at every
    # start; below INFO nobody sees it, so the crawl skips it.
    from siteaudit.config import defaults
    from siteaudit_crawler.runner import build_settings

    assert build_settings(defaults(), "x.db", "WARNING").getlist("LOG_VERSIONS") == []
    assert "lxml" in build_settings(defaults(), "x.db", "INFO").getlist("LOG_VERSIONS")
    assert "lxml" in build_settings(defaults(), "x.db", "DEBUG").getlist("LOG_VERSIONS")
