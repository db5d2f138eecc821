"""extract_article() on pages the demo site renders, and on minimal generic pages."""

from __future__ import annotations

import re
import urllib.request
from urllib.parse import urlsplit

import pytest

from spiders.article_page import analyse_page, content_hash, extract_article

FILLER = (
    "The trust board met in public on Thursday to discuss the appointment and the wider plan for urgent care. "
    "Members asked about the financial position, the recruitment of senior nurses and the timetable for the "
    "new emergency department, and the chair promised a fuller report at the next meeting in the spring. "
)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def page_url(site, article) -> str:
    return site.url + urlsplit(article["url"]).path


def plain_page(head: str = "", body_extra: str = "") -> str:
    """A page with prose only, no site furniture, so just the metadata under test varies."""
    paragraphs = "".join(f"<p>{FILLER}Paragraph {n}.</p>" for n in range(3))
    return (f"<!DOCTYPE html><html><head><title>Chair named at Fenwold trust</title>{head}</head>"
            f"<body><article><h1>Chair named at Fenwold trust</h1>{body_extra}{paragraphs}</article></body></html>")


def test_body_text_matches_source_paragraph_for_paragraph(demo_site, articles):
    for article in articles:
        extracted = extract_article(fetch(page_url(demo_site, article)), page_url(demo_site, article))
        assert extracted is not None, article["id"]
        assert extracted["text"] == article["text"], article["id"]


def test_paragraphs_are_separated_by_one_blank_line(demo_site, articles):
    extracted = extract_article(fetch(page_url(demo_site, articles[0])), page_url(demo_site, articles[0]))
    assert extracted["text"].count("\n\n") == 4
    assert "\n\n\n" not in extracted["text"]


def test_line_breaks_inside_a_paragraph_are_kept(demo_site, articles):
    article = articles[10]
    extracted = extract_article(fetch(page_url(demo_site, article)), page_url(demo_site, article))
    assert "are:\n- chief nurse: £150,000\n- director of strategy: £125,000\n\n" in extracted["text"]


def test_html_list_becomes_one_block_of_dash_lines():
    page = plain_page(body_extra="<ul><li>Chief nurse</li><li>Medical <b>director</b></li></ul>")
    assert extract_article(page, "https://example.org/x")["text"].startswith("- Chief nurse\n- Medical director\n\n")


def test_title_is_the_headline_with_escaped_characters_restored(demo_site, articles):
    article = articles[4]  # headline has & < > and quotes
    extracted = extract_article(fetch(page_url(demo_site, article)), page_url(demo_site, article))
    assert extracted["title"] == article["title"]


def test_boilerplate_stays_out_of_the_text(demo_site, articles):
    extracted = extract_article(fetch(page_url(demo_site, articles[1])), page_url(demo_site, articles[1]))
    for noise in ("cookies", "Related articles", "Daily briefing", "All rights reserved", "By "):
        assert noise not in extracted["text"]


def test_published_is_the_original_date_not_the_modified_one(demo_site, articles):
    article = articles[4]
    html = fetch(page_url(demo_site, article))
    assert b"dateModified" in html  # the page does carry a later date
    assert extract_article(html, page_url(demo_site, article))["published"] == article["published"]


def test_undated_article_has_no_published_date(demo_site, articles):
    article = articles[7]
    assert article["published"] is None
    extracted = extract_article(fetch(page_url(demo_site, article)), page_url(demo_site, article))
    assert extracted is not None
    assert extracted["published"] is None


def test_canonical_comes_from_canonical_link_not_fetched_url(demo_site, articles):
    url = page_url(demo_site, articles[2])
    extracted = extract_article(fetch(url + "?utm_source=newsletter&ref=x"), url + "?utm_source=newsletter&ref=x")
    assert extracted["canonical"] == url


def test_home_page_is_not_an_article(demo_site):
    assert extract_article(fetch(demo_site.url + "/"), demo_site.url + "/") is None


def test_listing_page_is_not_an_article(demo_site):
    analysis = analyse_page(fetch(demo_site.url + "/news?page=2"), demo_site.url + "/news?page=2")
    assert analysis.article is None
    assert analysis.kind == "listing"


def test_listing_page_without_any_metadata_is_still_not_an_article(demo_site):
    html = fetch(demo_site.url + "/news?page=1").decode()
    stripped = html.replace('<meta property="og:type" content="website">', "")
    assert "og:type" not in stripped
    assert analyse_page(stripped, demo_site.url + "/news?page=1").kind == "listing"


def test_short_page_is_not_an_article(demo_site):
    analysis = analyse_page(fetch(demo_site.url + "/about"), demo_site.url + "/about")
    assert analysis.article is None
    assert analysis.kind == "too_short"


def test_prose_page_without_metadata_is_an_article():
    extracted = extract_article(plain_page(), "https://example.org/chair")
    assert extracted is not None
    assert extracted["title"] == "Chair named at Fenwold trust"
    assert extracted["published"] is None


@pytest.mark.parametrize(
    ("head", "body_extra"),
    [
        ('<meta property="article:published_time" content="2023-11-02T09:00:00Z">', ""),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2023-11-02"}</script>', ""),
        ("", '<time datetime="2023-11-02">2 November 2023</time>'),
    ],
    ids=["meta", "json-ld", "time-element"],
)
def test_published_date_is_read_from_each_common_source(head, body_extra):
    extracted = extract_article(plain_page(head, body_extra), "https://example.org/chair")
    assert extracted["published"] == "2023-11-02"


def test_accepts_str_as_well_as_bytes(demo_site, articles):
    url = page_url(demo_site, articles[3])
    html = fetch(url)
    assert extract_article(html.decode("utf-8"), url) == extract_article(html, url)


def test_content_hash_ignores_whitespace_layout():
    assert content_hash("Chief  named", "One para.\n\nTwo para.") == content_hash("Chief named", "One para. Two para.")


def test_content_hash_changes_with_wording():
    assert content_hash("Chief named", "One para.") != content_hash("Chief named", "One paragraph.")
    assert content_hash("Chief named", "One para.") != content_hash("Chair named", "One para.")


def test_content_hash_is_sha256_hex():
    assert re.fullmatch(r"[0-9a-f]{64}", content_hash(None, "x"))


def test_every_gold_article_comes_back_from_its_demo_page():
    """The bundled gold articles survive rendering and extraction intact. They are committed,
    so a missing file is a failure, not a reason to skip."""
    from pipeline.demo.site import GOLD_DIR, DemoSite, load_gold_articles

    assert sorted(path.name for path in GOLD_DIR.glob("*.jsonl")) == ["dev.jsonl", "test.jsonl"]
    gold = load_gold_articles()
    assert gold, f"no articles in {GOLD_DIR}"
    with DemoSite(gold) as site:
        for article in site.articles:
            extracted = extract_article(fetch(site.url + article["path"]), site.url + article["path"])
            assert extracted is not None, article["id"]
            assert (extracted["title"], extracted["published"], extracted["text"]) == (
                article["title"], article["published"], article["text"]), article["id"]
