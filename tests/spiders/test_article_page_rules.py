"""The extraction rules for titles, dates and paragraph breaks, one invented page each.

Every page here is written for the test, with invented people and places; the rules
are generic, so each is shown on the kind of markup it exists for.
"""

from __future__ import annotations

import json

import pytest

from spiders.article_page import analyse_page, extract_article

PARAGRAPHS = [
    f"Councillors in the invented borough of Hollowmere heard on Tuesday that the new clinic, number {i}, "
    f"would open in the spring after a delay caused by a shortage of builders and a wet winter on the coast."
    for i in range(6)
]


def page(*, head: str = "", body: str | None = None, ld: dict | None = None, title: str = "Page title") -> str:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    if body is None:
        body = "<article>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>"
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='og:type' content='article'>{head}{script}</head><body>{body}</body></html>")


def article_body(h1: str = "") -> str:
    return "<article>" + (f"<h1>{h1}</h1>" if h1 else "") + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>"


def test_site_name_suffix_named_by_og_site_name_is_cut():
    html = page(title="Clinic opening delayed again | Hollowmere Gazette",
                head="<meta property='og:site_name' content='Hollowmere Gazette'>")
    assert extract_article(html, "https://gazette.example/a")["title"] == "Clinic opening delayed again"


def test_site_name_prefix_named_by_the_host_is_cut():
    html = page(title="Hollowmere Gazette - Clinic opening delayed again")
    assert extract_article(html, "https://www.hollowmeregazette.example/a")["title"] == "Clinic opening delayed again"


def test_title_part_that_is_not_the_site_name_stays():
    html = page(title="Budget 2030: clinic opening delayed", head="<meta property='og:site_name' content='Gazette'>")
    assert extract_article(html, "https://gazette.example/a")["title"] == "Budget 2030: clinic opening delayed"


def test_headline_most_sources_agree_on_beats_a_sharing_title():
    html = page(body=article_body("Clinic opening delayed by builder shortage"),
                head="<meta property='og:title' content='You will not believe this clinic news'>",
                ld={"@type": "NewsArticle", "headline": "Clinic opening delayed by builder shortage"})
    assert extract_article(html, "https://gazette.example/a")["title"] == "Clinic opening delayed by builder shortage"


def test_json_ld_headline_wins_when_no_two_sources_agree():
    html = page(body=article_body("Delay for clinic"), head="<meta property='og:title' content='Clinic delayed'>",
                ld={"@type": "NewsArticle", "headline": "Hollowmere clinic delayed until spring"})
    assert extract_article(html, "https://gazette.example/a")["title"] == "Hollowmere clinic delayed until spring"


def test_html_entities_in_json_ld_headline_are_decoded():
    html = page(ld={"@type": "NewsArticle", "headline": "Clinic &#8216;on track&#8217; says chair"})
    assert extract_article(html, "https://gazette.example/a")["title"] == "Clinic \u2018on track\u2019 says chair"


def og_title(text: str) -> str:
    return f"<meta property='og:title' content=\"{text}\">"


@pytest.mark.parametrize("banner", ["Hollowmere gales LIVE: ferries stay in port as the harbour wall is closed",
                                    "Gales live updates: ferries stay in port as the harbour wall is closed",
                                    "Ferries stay in port as the harbour wall is closed \u2013 live"])
def test_live_blog_banner_loses_to_the_story_headline_without_it(banner):
    html = page(body=article_body(banner), head=og_title("Ferries stay in port as gales close Hollowmere harbour wall"),
                ld={"@type": "LiveBlogPosting", "headline": banner})
    assert extract_article(html, "https://gazette.example/a")["title"] == (
        "Ferries stay in port as gales close Hollowmere harbour wall")


def test_every_source_with_a_live_banner_keeps_it():
    banner = "Hollowmere gales live: ferries stay in port"
    html = page(body=article_body(banner), head=og_title(banner), ld={"@type": "LiveBlogPosting", "headline": banner})
    assert extract_article(html, "https://gazette.example/a")["title"] == banner


def test_headline_said_with_words_left_out_beats_its_longer_form():
    longer = "Clinic opening delayed by builder shortage after a wet winter on the coast"
    html = page(body=article_body(longer), head=og_title("Clinic opening delayed by builder shortage after wet winter"),
                ld={"@type": "NewsArticle", "headline": longer})
    assert extract_article(html, "https://gazette.example/a")["title"] == (
        "Clinic opening delayed by builder shortage after wet winter")


def test_a_fragment_or_a_rewording_of_the_headline_does_not_beat_it():
    longer = "Clinic opening delayed by builder shortage after a wet winter on the coast"
    for short in ("Clinic opening delayed again", "Clinic opening delayed by a shortage of builders"):
        html = page(body=article_body(longer), head=og_title(short), ld={"@type": "NewsArticle", "headline": longer})
        assert extract_article(html, "https://gazette.example/a")["title"] == longer, short


def test_quotes_follow_most_sources_and_a_tie_goes_to_the_plain_ones():
    ld = {"@type": "NewsArticle", "headline": "Chair says clinic &#8216;on track&#8217;"}
    typographic = "Chair says clinic \u2018on track\u2019"
    tie = page(body=article_body(typographic), head=og_title("Chair says clinic 'on track'"), ld=ld,
               title="Chair says clinic 'on track' | Gazette")
    assert extract_article(tie, "https://gazette.example/a")["title"] == "Chair says clinic 'on track'"
    most = page(body=article_body(typographic), head=og_title("Chair says clinic 'on track'"), ld=ld)
    assert extract_article(most, "https://gazette.example/a")["title"] == typographic


def test_byline_and_site_name_after_the_headline_are_both_cut():
    html = page(title="Clinic opening delayed | Hollowmere Gazette | by Tamsin Orrey",
                head="<meta property='og:site_name' content='Hollowmere Gazette'>"
                     "<meta name='author' content='Tamsin Orrey'>")
    assert extract_article(html, "https://gazette.example/a")["title"] == "Clinic opening delayed"


def test_a_stated_headline_other_than_the_title_is_not_the_first_paragraph():
    longer = "Clinic opening delayed by builder shortage after a wet winter on the coast"
    html = page(body=article_body(longer), head=og_title("Clinic opening delayed by builder shortage after wet winter"),
                ld={"@type": "NewsArticle", "headline": longer})
    article = extract_article(html, "https://gazette.example/a")
    assert article["title"] != longer
    assert article["text"].split("\n\n")[0] == PARAGRAPHS[0]


def test_own_article_date_beats_an_older_date_elsewhere_on_the_page():
    html = page(head="<meta name='article.firstpublished' content='2019-02-05'>",
                ld={"@type": "NewsArticle", "headline": "Clinic", "datePublished": "2024-03-04T09:00:00+01:00"})
    assert extract_article(html, "https://gazette.example/a")["published"] == "2024-03-04"


def test_live_blog_takes_its_first_published_date_not_its_last_update():
    html = page(head="<meta property='article:published_time' content='2024-03-05T19:00:00Z'>",
                ld={"@type": "LiveBlogPosting", "headline": "Storm live", "datePublished": "2024-03-04T07:00:00Z",
                    "coverageStartTime": "2024-03-04T07:00:00Z", "dateModified": "2024-03-05T19:00:00Z",
                    "liveBlogUpdate": [{"@type": "BlogPosting", "headline": "Update",
                                        "datePublished": "2024-03-05T19:00:00Z"}]})
    assert extract_article(html, "https://gazette.example/live")["published"] == "2024-03-04"


def test_microdata_date_published_is_read_when_json_ld_has_none():
    body = ("<article><time itemprop='datePublished' datetime='2024-03-04T10:00+0100'>4 March</time>"
            + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>")
    html = page(body=body, head="<meta name='dc.date' content='2018-01-01'>")
    assert extract_article(html, "https://gazette.example/a")["published"] == "2024-03-04"


def test_og_url_identifies_a_page_without_canonical_link():
    html = page(head="<meta property='og:url' content='https://gazette.example/news/clinic'>")
    assert extract_article(html, "file:///tmp/saved/clinic.html")["canonical"] == "https://gazette.example/news/clinic"


def test_text_between_paragraphs_in_one_wrapper_keeps_its_breaks():
    body = ("<article><div class='story'>" + "".join(f"<p>{p} Ends here</p>" for p in PARAGRAPHS[:3])
            + "<h2>Next steps</h2><br>Further plans follow<p>" + PARAGRAPHS[3] + "</p>"
            + "<blockquote><p>First quoted line ends Here</p><p>Second quoted line</p></blockquote>"
            + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[4:]) + "</div></article>")
    text = extract_article(page(body=body), "https://gazette.example/a")["text"]
    assert "ends Here\n\nSecond quoted line" in text
    assert "HereSecond" not in text and "stepsFurther" not in text


def test_empty_element_styled_as_a_break_does_not_glue_words():
    body = ("<article>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:4])
            + "<p><span class='strong'>Figures for the year</span><span class='br'></span>"
              "<span class='em'>The council published them</span> on Friday with the budget.</p>"
            + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[4:]) + "</article>")
    text = extract_article(page(body=body), "https://gazette.example/a")["text"]
    assert "yearThe" not in text and "year The council" in text


def test_declared_article_body_replaces_an_extraction_that_is_part_of_it():
    declared = "\n\n".join(PARAGRAPHS + [p.replace("clinic", "library") for p in PARAGRAPHS])
    html = page(ld={"@type": "NewsArticle", "headline": "Clinic", "articleBody": declared})
    text = extract_article(html, "https://gazette.example/a")["text"]
    assert text.count("library") == len(PARAGRAPHS) and text.count("\n\n") == 2 * len(PARAGRAPHS) - 1


def test_shorter_declared_article_body_is_ignored():
    html = page(ld={"@type": "NewsArticle", "headline": "Clinic", "articleBody": PARAGRAPHS[0]})
    assert extract_article(html, "https://gazette.example/a")["text"].count("\n\n") == len(PARAGRAPHS) - 1


def test_teaser_behind_a_declared_paywall_is_paywalled_and_the_full_story_is_an_article():
    ld = {"@type": "NewsArticle", "headline": "Clinic", "isAccessibleForFree": "False"}
    teaser = page(body=f"<article><p>{PARAGRAPHS[0]}</p><p>Subscribe to read on.</p></article>", ld=ld)
    analysis = analyse_page(teaser, "https://gazette.example/a")
    assert analysis.kind == "paywalled" and analysis.reason.startswith("the page declares paid content")
    assert analyse_page(page(ld=ld), "https://gazette.example/a").kind == "article"
