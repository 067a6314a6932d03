"""Scrapy settings for siteaudit: polite, identifiable defaults.

The CLI layers its options on top of these (see siteaudit.crawl).  Every
``SITEAUDIT_*`` setting is read by this project's own components.
"""

BOT_NAME = "siteaudit"
SPIDER_MODULES = ["siteaudit_crawler.spiders"]
NEWSPIDER_MODULE = "siteaudit_crawler.spiders"

# Identify ourselves: agencies must be able to tell who is crawling and why.
SITEAUDIT_CONTACT_URL = "https://github.com/siteaudit/siteaudit"
USER_AGENT = f"siteaudit/0.1 (+{SITEAUDIT_CONTACT_URL}; contact-information and link review)"

ROBOTSTXT_OBEY = True

# Polite by default: a few requests per host, a small delay, AutoThrottle.
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0

# aiohttp on the asyncio reactor instead of Twisted's HTTP client: a third of the CPU per request,
# the same resolver (private-address guard), and the body read only when it is needed (download.py).
DOWNLOAD_HANDLERS = {
    "http": "siteaudit_crawler.download.AiohttpHandler",
    "https": "siteaudit_crawler.download.AiohttpHandler",
    # Only http(s) is fetched: other schemes are judged without a request (links.check_non_http).
    "s3": None,
    "ftp": None,
    "file": None,
    "data": None,
}
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # bounded: a 50 MB page or a gzip bomb is cut off
DOWNLOAD_WARNSIZE = 0
DNS_TIMEOUT = 10

# Retries: our middleware replaces Scrapy's to add backoff and honour Retry-After.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Scrapy's list minus the Twisted HTTP client's TunnelError, whose import alone loads that
# client (unused: see DOWNLOAD_HANDLERS) and its TLS stack at every start (~0.15 s).
RETRY_EXCEPTIONS = [
    "scrapy.exceptions.CannotResolveHostError",
    "scrapy.exceptions.DownloadConnectionRefusedError",
    "scrapy.exceptions.DownloadFailedError",
    "scrapy.exceptions.DownloadTimeoutError",
    "scrapy.exceptions.ResponseDataLossError",
    "twisted.internet.error.ConnectionDone",
    "twisted.internet.error.ConnectError",
    "twisted.internet.error.ConnectionLost",
    OSError,  # HttpCompressionMiddleware on an empty "compressed" body
]
RETRY_GIVE_UP_LOG_LEVEL = "INFO"  # a link that stays broken is an outcome, not an error
# Seconds before the first retry, doubled each time (0.25 s, then 0.5 s), as common HTTP
# clients do: a retry rides out a blip (a restarting worker, a dropped connection).  A server
# that needs longer says so with Retry-After, which is honoured in full (up to the cap below).
# Every retry of a failure found late keeps the crawl open that long after its last page.
SITEAUDIT_RETRY_BACKOFF = 0.25
SITEAUDIT_RETRY_AFTER_MAX = 120  # never wait longer than this for one Retry-After
# A retry goes ahead of the frontier (Scrapy's default puts it behind every queued page):
# its backoff already made it wait, and a retry left to the end of the crawl keeps the
# crawl open for its whole backoff after the last page.
RETRY_PRIORITY_ADJUST = 100

# Redirects are followed by the spider itself so every hop is recorded and
# checked against scope and the private-address guard.
REDIRECT_ENABLED = False
METAREFRESH_ENABLED = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy >= 2.19 starts an HTTP server that runs Python code sent to it (token in a job file
# under the user's profile).  A scheduled audit needs no remote code execution: off.
REMOTE_CONTROL_ENABLED = False
HTTPCACHE_ENABLED = False
# Scrapy's UrlLengthMiddleware would drop long URLs silently; the spider reports them instead.
URLLENGTH_LIMIT = 0

# The crawl's components, listed in full: Scrapy's *_BASE settings replaced, not patched with
# None.  Scrapy imports every component named in a priority dict, disabled or not, and the
# ones a siteaudit crawl never uses cost ~0.1 s at every start (the cookies middleware loads
# tldextract and requests, telnet Twisted Conch, remote control aiohttp's web server).
# Left out, with the reason:
# - spider middlewares: scope is the spider's (Offsite), depth is tracked in the request meta
#   (Depth), long URLs are reported, not dropped (UrlLength), Referer is not sent; Start only
#   tags start requests and MetaCopyDetection only warns about copied meta (the spider builds
#   every request's meta itself), yet each wraps every callback's output in an async generator;
# - downloader middlewares: redirects are followed by the spider (every hop recorded and
#   checked), no cookies, cache or per-request stats, HttpAuth replaced by BasicAuthMiddleware,
#   robots.txt by RobotsTxtConventionMiddleware, retries by BackoffRetryMiddleware;
# - extensions: feeds, job directories (SpiderState), telnet, remote control, memory debugging.
# A -s SPIDER_MIDDLEWARES/DOWNLOADER_MIDDLEWARES/EXTENSIONS setting still adds components.
SPIDER_MIDDLEWARES_BASE = {
    "scrapy.spidermiddlewares.httperror.HttpErrorMiddleware": 50,
}
DOWNLOADER_MIDDLEWARES_BASE = {
    "siteaudit_crawler.middlewares.PrivateAddressGuard": 50,
    "siteaudit_crawler.middlewares.RobotsTxtConventionMiddleware": 100,
    "scrapy.downloadermiddlewares.downloadtimeout.DownloadTimeoutMiddleware": 350,
    "scrapy.downloadermiddlewares.defaultheaders.DefaultHeadersMiddleware": 400,
    "siteaudit_crawler.middlewares.BasicAuthMiddleware": 450,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": 500,
    "siteaudit_crawler.middlewares.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": 590,
    "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": 750,
}
EXTENSIONS_BASE = {
    "scrapy.extensions.corestats.CoreStats": 0,
    "scrapy.extensions.logcount.LogCount": 0,
    "scrapy.extensions.memusage.MemoryUsage": 0,
    "scrapy.extensions.closespider.CloseSpider": 0,
    "scrapy.extensions.logstats.LogStats": 0,
    "scrapy.extensions.throttle.AutoThrottle": 0,
}
ITEM_PIPELINES = {
    "siteaudit_crawler.pipelines.StorePipeline": 300,
}

# Crawl order: breadth-first, so --max-depth and --max-pages cut a sensible frontier.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
DUPEFILTER_CLASS = "scrapy.dupefilters.BaseDupeFilter"  # the spider de-duplicates targets itself
# Scrapy hands a callback's output to CONCURRENT_ITEMS asyncio tasks per response (default
# 100: 100 tasks created for every response).  The store pipeline is synchronous, so more
# than one brings nothing; at 1 the crawl of a 2,000-page site takes 20% less CPU.
CONCURRENT_ITEMS = 1
# Scrapy reads the source of every new callback to warn about `return value` in generators; the
# spider's callbacks are known (and bound once), the check is only cost.
WARN_ON_GENERATOR_RETURN_VALUE = False
# Scrapy's stats, minus the per-call deprecation shims (stats.py).
STATS_CLASS = "siteaudit_crawler.stats.LeanStats"
# Per-request downloader/* counters nobody reads (siteaudit keeps its own siteaudit/* stats).
DOWNLOADER_STATS = False

# Contact extraction on one page (inline or in a worker) may not take longer than this.
SITEAUDIT_EXTRACT_SECONDS = 30.0

# Page analysis (parsing, links, contacts) runs in this many worker processes, started with
# the crawl; SITEAUDIT_WORKERS = 0 keeps it in the crawler process
# (default: one worker per core beyond the first, at most 4).
SITEAUDIT_WORKERS = None

SITEAUDIT_DB = "siteaudit.db"
# A batch is one transaction: written when it holds this many rows (a page is ~40) or is this old
# (even when no item follows it).  Batches are written a slice at a time while the crawl goes on
# (pipelines.py).  Every commit writes the link indexes' pages it touched again: a 2,000-page
# crawl's writes take 0.51 s of CPU in 11 batches (every 0.5 s), 0.45 s in 5 (every second).
SITEAUDIT_FLUSH_ROWS = 20000
SITEAUDIT_FLUSH_SECONDS = 1.0

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# Names that resolve to private addresses are refused unless allowed (see resolver.py).
TWISTED_DNS_RESOLVER = "siteaudit_crawler.resolver.GuardedResolver"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
