"""The demo site: what it serves, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from pipeline.demo.site import DemoSite, load_gold_articles


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def test_binds_a_free_port_on_localhost(demo_site):
    assert urlsplit(demo_site.url).hostname == "127.0.0.1"
    assert urlsplit(demo_site.url).port > 0


def test_article_is_served_at_the_path_of_its_url(demo_site, articles):
    status, content_type, html = get(demo_site.url + urlsplit(articles[0]["url"]).path)
    assert (status, content_type) == (200, "text/html; charset=utf-8")
    assert '<meta property="og:type" content="article">' in html


def test_headline_is_html_escaped(demo_site, articles):
    _, _, html = get(demo_site.url + urlsplit(articles[4]["url"]).path)
    assert "A&amp;E waits hit &lt;four-hour&gt; &quot;low&quot;" in html
    assert "<four-hour>" not in html.split("<script")[0]


def test_undated_article_has_no_date_anywhere(demo_site, articles):
    _, _, html = get(demo_site.url + urlsplit(articles[7]["url"]).path)
    assert "<time" not in html and "datePublished" not in html and "published_time" not in html


def test_listing_pages_hold_ten_and_link_next_and_previous(demo_site):
    _, _, page2 = get(demo_site.url + "/news?page=2")
    assert page2.count('class="teaser"') == 10
    assert 'href="/news?page=3" rel="next"' in page2 and 'href="/news?page=1" rel="prev"' in page2


def test_listing_page_past_the_end_is_404(demo_site):
    assert get(demo_site.url + "/news?page=4")[0] == 404


def test_unknown_path_is_404(demo_site):
    assert get(demo_site.url + "/no/such/page")[0] == 404


def test_rss_lists_every_article_with_pubdate_when_dated(demo_site, articles):
    _, content_type, body = get(demo_site.url + "/feed.rss")
    items = ET.fromstring(body).findall("./channel/item")
    assert content_type.startswith("application/rss+xml")
    assert len(items) == len(articles)
    assert sum(1 for item in items if item.find("pubDate") is not None) == len(articles) - 1


def test_sitemap_index_points_to_a_news_sitemap_of_every_article(demo_site, articles):
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ET.fromstring(get(demo_site.url + "/sitemap.xml")[2])
    [child] = [loc.text for loc in index.findall("sm:sitemap/sm:loc", ns)]
    urlset = ET.fromstring(get(child)[2])
    assert len(urlset.findall("sm:url/sm:loc", ns)) == len(articles)


def test_robots_txt_allows_all_but_admin_and_names_the_sitemap(demo_site):
    _, _, robots = get(demo_site.url + "/robots.txt")
    assert "Disallow: /admin/" in robots
    assert f"Sitemap: {demo_site.url}/sitemap.xml" in robots


def test_url_before_start_is_an_error(articles):
    with pytest.raises(RuntimeError, match="not running"):
        DemoSite(articles).url


def test_load_gold_articles_keeps_gold_fields_only(tmp_path, articles):
    path = tmp_path / "dev.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in articles[:2]) + "\n", encoding="utf-8")
    loaded = load_gold_articles([path, tmp_path / "missing.jsonl"])
    assert [sorted(a) for a in loaded] == [["id", "published", "text", "title", "url"]] * 2


def test_load_gold_articles_without_files_is_empty(tmp_path):
    assert load_gold_articles([tmp_path / "missing.jsonl"]) == []


# -- conditional requests -----------------------------------------------------------------
def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_pages_carry_etag_and_last_modified(demo_site, articles):
    _, headers, _ = fetch(demo_site.url + urlsplit(articles[0]["url"]).path)
    assert headers["ETag"].startswith('"') and headers["Last-Modified"].endswith("GMT")


def test_matching_etag_gets_304_without_a_body(demo_site, articles):
    url = demo_site.url + urlsplit(articles[1]["url"]).path
    _, headers, _ = fetch(url)
    status, again, body = fetch(url, {"If-None-Match": headers["ETag"]})
    assert (status, body, again["ETag"]) == (304, b"", headers["ETag"])


def test_stale_etag_gets_the_page(demo_site, articles):
    status, _, body = fetch(demo_site.url + urlsplit(articles[1]["url"]).path, {"If-None-Match": '"stale"'})
    assert status == 200 and body


def test_if_modified_since_is_honoured_without_an_etag(demo_site, articles):
    url = demo_site.url + urlsplit(articles[2]["url"]).path
    _, headers, _ = fetch(url)
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110)
    assert fetch(url, {"If-None-Match": '"stale"', "If-Modified-Since": headers["Last-Modified"]})[0] == 200


def test_edit_changes_the_page_and_its_validators(articles):
    with DemoSite(articles[:3]) as site:
        path = urlsplit(articles[0]["url"]).path
        _, before, _ = fetch(site.url + path)
        site.edit(path, text=articles[0]["text"] + "\n\nA correction was added to this story.")
        status, after, body = fetch(site.url + path, {"If-None-Match": before["ETag"]})
        assert status == 200 and b"A correction was added" in body
        assert after["ETag"] != before["ETag"] and after["Last-Modified"] != before["Last-Modified"]


def test_hits_record_status_and_conditional_headers(articles):
    with DemoSite(articles[:3]) as site:
        url = site.url + urlsplit(articles[0]["url"]).path
        etag = fetch(url)[1]["ETag"]
        fetch(url, {"If-None-Match": etag})
        assert [(hit.status, hit.if_none_match) for hit in site.requests] == [(200, ""), (304, etag)]
