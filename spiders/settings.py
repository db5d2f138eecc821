"""The one Scrapy settings module for postwatch crawls (``spiders.run`` loads it).

Crawls are polite by default because they run unattended against publishers we do
not control: robots.txt is obeyed, AutoThrottle adapts the pace to each server's
latency, few requests go to one site at a time, and every run has a page budget and
a link-depth limit. The two limits can be changed per run without editing code:

    POSTWATCH_MAX_PAGES   pages fetched per run        (default 500)
    POSTWATCH_MAX_DEPTH   link hops from a start URL   (default 5)
    POSTWATCH_CONTACT_URL where a site owner can reach us, sent in the User-Agent

``spiders.run`` also accepts ``--max-pages``/``--max-depth``, which win over these.
Setting names that Scrapy 2.19 no longer reads (REQUEST_FINGERPRINTER_IMPLEMENTATION,
CONCURRENT_REQUESTS_PER_IP) are deliberately absent: 2.19's fingerprinter is the
current one by default, and CONCURRENT_REQUESTS_PER_IP now raises a deprecation warning.
"""

from __future__ import annotations

import os

from spiders.revisit import DEFAULT_SCHEDULE, parse_schedule


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"environment variable {name}={value!r} is not a whole number") from None


BOT_NAME = "postwatch"
SPIDER_MODULES = ["spiders.news"]
NEWSPIDER_MODULE = "spiders"

# Set POSTWATCH_CONTACT_URL to a page that says who runs the crawler and how to reach
# them; the default is only a placeholder (RFC 2606 example domain).
CONTACT_URL = os.environ.get("POSTWATCH_CONTACT_URL", "").strip() or "https://example.org/postwatch-crawler"
USER_AGENT = f"postwatch/0.1 (+{CONTACT_URL})"

# Politeness
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.1  # small, so local tests are fast; AutoThrottle raises it for slow servers
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
COOKIES_ENABLED = False  # news pages do not need a session; consent cookies only add noise

# Limits per run
CLOSESPIDER_PAGECOUNT = _env_int("POSTWATCH_MAX_PAGES", 500)
DEPTH_LIMIT = _env_int("POSTWATCH_MAX_DEPTH", 5)
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # an article page is well under 10 MB; anything bigger is not one
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
DNS_TIMEOUT = 15
REDIRECT_MAX_TIMES = 5

# Breadth-first: the newest stories sit near the start pages, so when the page budget
# runs out it should be the old, deep pages that were left unfetched.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

# Retries: transient server errors and dropped connections, twice. A 503/429 with
# Retry-After is retried no sooner than the server asks, and not at all if it asks for
# more than POSTWATCH_RETRY_AFTER_MAX seconds (spiders/middlewares.py). Giving up is
# reported once, by the spider's crawl error line, not again by Scrapy at ERROR level.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"
POSTWATCH_RETRY_AFTER_MAX = 60.0

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.middlewares.RetryAfterMiddleware": 550,
    "spiders.middlewares.ConditionalGetMiddleware": 560,
    "spiders.middlewares.RedirectLoopMiddleware": 610,  # sees a 3xx before RedirectMiddleware (600)
    "spiders.middlewares.AddressPolicyMiddleware": 620,  # judges every request and every 3xx's Location
    "spiders.cookies.SiteCookiesMiddleware": 700,  # only with POSTWATCH_COOKIES_PATH; after redirects are built
}

ITEM_PIPELINES = {
    "spiders.pipelines.ValidatePipeline": 100,
    "spiders.pipelines.StampPipeline": 200,
    "spiders.pipelines.DedupePipeline": 300,
    "spiders.pipelines.JsonlStorePipeline": 900,
}
POSTWATCH_MIN_WORDS = 80  # ValidatePipeline's floor; same as spiders.article_page.MIN_ARTICLE_WORDS
POSTWATCH_ITEMS_PATH = None  # set by spiders.run (--items)
POSTWATCH_ERRORS_PATH = None  # set by spiders.run (--errors)
POSTWATCH_NOT_MODIFIED_PATH = None  # set by spiders.run (--not-modified): known articles answered 304
POSTWATCH_LEFT_ALONE_PATH = None  # set by spiders.run (--left-alone): known articles the revisit policy did not fetch
POSTWATCH_KNOWN_PATH = None  # set by spiders.run (--known): JSONL of stored articles (validators, revisit times)

# Revisiting (spiders/revisit.py): a known article is fetched again when a sitemap or
# feed says it changed, or at these points after it first appeared (then never without
# a signal); POSTWATCH_RECHECK = "all" (`postwatch crawl --recheck all`) fetches them all.
POSTWATCH_REVISIT_AFTER = os.environ.get("POSTWATCH_REVISIT_AFTER", "").strip() or DEFAULT_SCHEDULE
parse_schedule(POSTWATCH_REVISIT_AFTER)  # a bad step fails here, naming the variable, not mid-crawl
POSTWATCH_RECHECK = None
# Link scope: an article page's own links are followed only when it is fewer than this
# many hops from a start URL (1: only an article given as a start URL is wandered from).
POSTWATCH_ARTICLE_LINK_DEPTH = 1
# Subscriber sites: a Netscape cookies.txt (`postwatch crawl --cookies FILE`); each
# cookie goes to its own site only (spiders/cookies.py), and is never logged or stored.
POSTWATCH_COOKIES_PATH = None

LOG_LEVEL = "INFO"
LOG_FORMATTER = "spiders.pipelines.UrlOnlyLogFormatter"
# No control servers in an unattended crawl: the telnet console, and 2.19's remote
# control extension (an HTTP server that runs Python code sent to it and writes a
# job file with its token under the user's home directory).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
