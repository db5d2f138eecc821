"""spiders/middlewares.py in-process: conditional requests, Retry-After, redirect loops.
(The real crawls that use them are in tests/spiders/test_crawl_incremental.py and test_crawl_faults.py.)"""

from __future__ import annotations

import json
from email.utils import formatdate

import pytest
from scrapy import Request
from scrapy.http import Response

from spiders.middlewares import (
    KNOWN_URL,
    ConditionalGetMiddleware,
    RedirectLoop,
    RedirectLoopMiddleware,
    read_known,
    retry_after_seconds,
)

SITE = "https://news.example.org"


def test_read_known_keeps_entries_with_a_validator_under_their_canonical_url(tmp_path):
    path = tmp_path / "known.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"url": SITE + "/a?utm_source=x", "etag": '"1"', "last_modified": None},
        {"url": SITE + "/b", "etag": None, "last_modified": "Mon, 01 Jan 2024 08:00:00 GMT"},
        {"url": SITE + "/c", "etag": None, "last_modified": None},
    ]) + "\n\n", encoding="utf-8")
    assert read_known(path) == {SITE + "/a": ('"1"', None), SITE + "/b": (None, "Mon, 01 Jan 2024 08:00:00 GMT")}


def test_known_url_is_requested_conditionally():
    middleware = ConditionalGetMiddleware({SITE + "/a": ('"v1"', "Mon, 01 Jan 2024 08:00:00 GMT")})
    request = Request(SITE + "/a#comments")
    middleware.process_request(request)
    assert request.headers["If-None-Match"] == b'"v1"'
    assert request.headers["If-Modified-Since"] == b"Mon, 01 Jan 2024 08:00:00 GMT"
    assert request.meta[KNOWN_URL] == SITE + "/a"
    assert 304 in request.meta["handle_httpstatus_list"]


def test_unknown_url_is_requested_plainly():
    request = Request(SITE + "/new")
    ConditionalGetMiddleware({SITE + "/a": ('"v1"', None)}).process_request(request)
    assert b"If-None-Match" not in request.headers and KNOWN_URL not in request.meta


@pytest.mark.parametrize(("header", "expected"), [("120", 120.0), ("0", 0.0), ("soon", None), ("", None)])
def test_retry_after_in_seconds(header, expected):
    response = Response(SITE, status=503, headers={"Retry-After": header} if header else {})
    assert retry_after_seconds(response) == expected


def test_retry_after_as_an_http_date():
    now = 1_700_000_000.0
    response = Response(SITE, status=503, headers={"Retry-After": formatdate(now + 30, usegmt=True)})
    assert retry_after_seconds(response, now=now) == pytest.approx(30, abs=1)
    past = Response(SITE, status=503, headers={"Retry-After": formatdate(now - 30, usegmt=True)})
    assert retry_after_seconds(past, now=now) == 0.0


def test_redirect_back_along_the_chain_is_a_loop():
    request = Request(SITE + "/b", meta={"redirect_urls": [SITE + "/a"]})
    response = Response(SITE + "/b", status=302, headers={"Location": "/a"}, request=request)
    with pytest.raises(RedirectLoop, match="redirect loop: .*/a -> .*/b -> .*/a"):
        RedirectLoopMiddleware().process_response(request, response)


def test_redirect_to_a_new_place_is_left_to_scrapy():
    request = Request(SITE + "/a")
    response = Response(SITE + "/a", status=301, headers={"Location": "/b"}, request=request)
    assert RedirectLoopMiddleware().process_response(request, response) is response
