"""Extraction and link scope on 84 real publisher pages nobody here wrote markup for.

The pages and their expected fields are read from the shared folder beside the project
(``../shared/pages``, or ``POSTWATCH_PAGES_DIR``) and never copied into it. Every page
is checked for its published day, body word F1 and words run together; the title for
every page but the few whose expected headline no rule on the page's own headline
fields reaches (strict xfail, each with its kind: one that starts passing must be taken
off the list). The
totals pin the figures the extractor reaches today. Then the pages are served on
127.0.0.1 with a sitemap and crawled: sitemap entries are articles, read and not
wandered from, so the crawl costs one request a page.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from tests.benchmarks.real_pages import PagesSite, PageScore, load_pages, score_page, summary_line
from spiders.run import run_crawl

PAGES = load_pages()
pytestmark = pytest.mark.skipif(not PAGES, reason="the shared real pages (../shared/pages) are not here")

# Pages whose expected title no rule on the page's own headline sources reaches, by kind.
# Strict: a page that starts passing must leave this list.
OTHER_FIELD = "the publisher's parser reads a field the page's headline sources outvote"
TITLE_MISSES = {
    # og:title is a shorter rewording (not a condensing) of the headline JSON-LD and <h1> agree on
    "uk_EveningStandard_2024_10_24": OTHER_FIELD,
    # the JSON-LD headline (= the <title>) against og:title and <h1> agreeing: five other
    # pages with this same split expect the og:title/<h1> wording, so no vote separates them
    "uk_Metro_2024_07_17": OTHER_FIELD, "us_APNews_2024_09_03": OTHER_FIELD, "us_Wired_2024_04_28": OTHER_FIELD,
    # a site-search meta field that mixes plain and typographic quotes; no headline source spells it so
    "us_RollingStone_2024_04_25": "expected spelling of quotes is in no headline source",
}
MIN_TITLES, MIN_DAYS, MIN_MACRO_F1, MIN_PAGE_F1 = 79, 84, 0.96, 0.5


@lru_cache(maxsize=None)
def scored(page_id: str) -> PageScore:
    return score_page(next(page for page in PAGES if page.id == page_id))


def ids(mark_title_misses: bool = False) -> list:
    return [pytest.param(page.id, id=page.id, marks=pytest.mark.xfail(reason=TITLE_MISSES[page.id], strict=True))
            if mark_title_misses and page.id in TITLE_MISSES else pytest.param(page.id, id=page.id)
            for page in PAGES]


@pytest.mark.parametrize("page_id", ids(mark_title_misses=True))
def test_title_is_the_publishers_headline(page_id):
    page = next(p for p in PAGES if p.id == page_id)
    assert scored(page_id).title == " ".join(page.expected["title"].split())


@pytest.mark.parametrize("page_id", ids())
def test_published_day_is_the_first_published_one(page_id):
    page = next(p for p in PAGES if p.id == page_id)
    assert scored(page_id).published == page.expected["publishing_date"][:10]


@pytest.mark.parametrize("page_id", ids())
def test_body_words_match_and_never_run_together(page_id):
    score = scored(page_id)
    assert score.run_together == ()
    assert score.f1 >= MIN_PAGE_F1


def test_every_listed_title_miss_is_one_of_the_pages():
    assert set(TITLE_MISSES) <= {page.id for page in PAGES}


def test_totals_hold_the_gains():
    scores = [scored(page.id) for page in PAGES]
    print("\n" + summary_line(scores))
    assert sum(s.title_exact for s in scores) >= MIN_TITLES
    assert sum(s.day_right for s in scores) >= MIN_DAYS
    assert sum(s.f1 for s in scores) / len(scores) >= MIN_MACRO_F1


@pytest.fixture(scope="module")
def pages_site():
    with PagesSite(PAGES) as site:
        yield site


def test_sitemap_crawl_reads_each_page_once_and_follows_none_of_their_links(pages_site, tmp_path):
    pages_site.requests.clear()
    output = run_crawl([pages_site.url + "/sitemap.xml"], tmp_path, timeout=300)
    assert output.ok, output.stderr_tail
    requested = [path for path, _ in pages_site.requests]
    assert output.stats["downloader/request_count"] <= len(PAGES) + 6  # at most 90 for the 84 pages
    assert sorted(set(requested) - {"/sitemap.xml", "/robots.txt"}) == sorted(pages_site)
    assert [path for path, status in pages_site.requests if status == 404] == ["/robots.txt"]
    assert len(list(output.iter_articles())) == len(PAGES)


def test_depth_limit_holds_for_sitemap_entries(pages_site, tmp_path):
    """index (depth 0) -> sitemap (1) -> pages (2): a limit of 1 stops before the pages."""
    pages_site.requests.clear()
    output = run_crawl([pages_site.url + "/sitemap-index.xml"], tmp_path, timeout=120, max_depth=1)
    assert output.ok, output.stderr_tail
    assert {path for path, _ in pages_site.requests} == {"/sitemap-index.xml", "/sitemap.xml", "/robots.txt"}
    assert list(output.iter_articles()) == []
