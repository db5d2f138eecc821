"""iter_archive(): JSONL files and folders of saved pages, through the crawl's pipelines."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from spiders.archive import ArchiveError, iter_archive
from spiders.article_page import content_hash
from spiders.items import ArticleItem


def write_jsonl(path: Path, records: list) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def news_jsonl(tmp_path, articles) -> Path:
    return write_jsonl(tmp_path / "news.jsonl", articles[:5])


# -- JSONL: what comes out --------------------------------------------------------------
def test_jsonl_lines_become_article_items(news_jsonl, articles):
    items = list(iter_archive(news_jsonl))
    assert [type(i) for i in items] == [ArticleItem] * 5
    first = items[0]
    assert first["url"] == articles[0]["url"]
    assert (first["title"], first["published"], first["text"]) == (
        articles[0]["title"], articles[0]["published"], articles[0]["text"])


def test_jsonl_items_are_stamped_like_crawled_ones(news_jsonl, articles):
    first = next(iter_archive(news_jsonl))
    assert first["source"] == "archive:news.jsonl"
    assert first["content_hash"] == content_hash(articles[0]["title"], articles[0]["text"])
    assert first["fetched_at"].endswith("+00:00")


def test_null_url_becomes_archive_url(tmp_path, articles):
    path = write_jsonl(tmp_path / "gold.jsonl", [{**articles[0], "url": None}])
    assert next(iter_archive(path))["url"] == "archive://gold/fx-000"


def test_url_is_canonicalized(tmp_path, articles):
    path = write_jsonl(tmp_path / "news.jsonl", [{**articles[0], "url": "HTTPS://Example.org/a?utm_source=x#f"}])
    assert next(iter_archive(path))["url"] == "https://example.org/a"


def test_duplicate_text_under_another_id_is_skipped(tmp_path, articles):
    copy = {**articles[0], "id": "copy", "url": None}
    path = write_jsonl(tmp_path / "news.jsonl", [articles[0], copy, articles[1]])
    skipped = []
    items = list(iter_archive(path, on_skip=lambda where, why: skipped.append((where, why))))
    assert [i["url"] for i in items] == [articles[0]["url"], articles[1]["url"]]
    assert skipped == [("archive://news/copy", f"duplicate of {articles[0]['url']}")]


def test_too_short_article_is_skipped_not_an_error(tmp_path, articles):
    short = {"id": 9, "url": None, "published": None, "title": "Brief", "text": "Only a few words here."}
    path = write_jsonl(tmp_path / "news.jsonl", [short, articles[0]])
    skipped = []
    items = list(iter_archive(path, on_skip=lambda where, why: skipped.append(why)))
    assert [i["url"] for i in items] == [articles[0]["url"]]
    assert skipped == ["text too short (5 words, need 80): archive://news/9"]


def test_blank_lines_are_ignored(tmp_path, articles):
    path = tmp_path / "news.jsonl"
    path.write_text("\n" + json.dumps(articles[0]) + "\n\n" + json.dumps(articles[1]) + "\n", encoding="utf-8")
    assert len(list(iter_archive(path))) == 2


def test_timestamp_published_is_cut_to_a_date(tmp_path, articles):
    path = write_jsonl(tmp_path / "news.jsonl", [{**articles[0], "published": "2024-03-05T10:00:00Z"}])
    assert next(iter_archive(path))["published"] == "2024-03-05"


# -- JSONL: bad input ---------------------------------------------------------------------
def test_invalid_json_line_is_named_with_parser_message(tmp_path, articles):
    path = tmp_path / "news.jsonl"
    lines = [json.dumps(a) for a in articles[:6]] + ['{"id": 7 "url": null}'] + [json.dumps(articles[8])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ArchiveError) as error:
        iter_archive(path)
    assert str(error.value) == (
        "news.jsonl line 7 is not valid JSON (Expecting ',' delimiter); fix or remove that line and run again"
    )


def test_bad_last_line_loads_nothing(tmp_path, articles):
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps(articles[0]) + "\n" + json.dumps(articles[1]) + "\n{oops\n", encoding="utf-8")
    loaded = []
    with pytest.raises(ArchiveError):
        loaded.extend(iter_archive(path))
    assert loaded == []


def test_missing_path(tmp_path):
    with pytest.raises(ArchiveError) as error:
        iter_archive(tmp_path / "nope.jsonl")
    assert str(error.value) == f"no such file or folder: {tmp_path / 'nope.jsonl'}; give a .jsonl file or a folder of .html pages"


def test_file_that_is_not_jsonl(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text("id,text\n", encoding="utf-8")
    with pytest.raises(ArchiveError) as error:
        iter_archive(path)
    assert str(error.value) == "news.csv is not a .jsonl file; give a .jsonl file or a folder of .html pages"


def test_empty_jsonl(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(ArchiveError) as error:
        iter_archive(path)
    assert str(error.value) == "news.jsonl has no articles (it is empty); give a .jsonl file or a folder of .html pages"


def test_line_without_text(tmp_path, articles):
    record = {k: v for k, v in articles[0].items() if k != "text"}
    path = write_jsonl(tmp_path / "news.jsonl", [articles[1], record])
    with pytest.raises(ArchiveError) as error:
        iter_archive(path)
    assert str(error.value) == 'news.jsonl line 2 has no "text"; fix or remove that line and run again'


def test_line_without_id(tmp_path, articles):
    record = {k: v for k, v in articles[0].items() if k != "id"}
    path = write_jsonl(tmp_path / "news.jsonl", [record])
    with pytest.raises(ArchiveError) as error:
        iter_archive(path)
    assert str(error.value) == 'news.jsonl line 1 has no "id"; fix or remove that line and run again'


def test_line_that_is_not_an_object(tmp_path):
    path = write_jsonl(tmp_path / "news.jsonl", [["fx-1", "text"]])
    with pytest.raises(ArchiveError) as error:
        iter_archive(path)
    assert str(error.value) == (
        "news.jsonl line 1 is a JSON list, not an object with id, url, published, title and text; "
        "fix or remove that line and run again"
    )


def test_text_that_is_not_a_string(tmp_path, articles):
    path = write_jsonl(tmp_path / "news.jsonl", [{**articles[0], "text": ["para one", "para two"]}])
    with pytest.raises(ArchiveError) as error:
        iter_archive(path)
    assert str(error.value) == 'news.jsonl line 1 has a "text" that is not a string or null; fix or remove that line and run again'


def test_title_with_an_unpaired_surrogate_escape(tmp_path, articles):
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps(articles[0]) + "\n" + json.dumps({**articles[1], "title": "Board \ud800 news"}) + "\n",
                    encoding="utf-8")  # json.dumps writes the lone surrogate as the escape \ud800
    with pytest.raises(ArchiveError) as error:
        iter_archive(path)
    assert str(error.value) == ('news.jsonl line 2 has a "title" with a broken \\u escape (an unpaired surrogate); '
                                "fix or remove that line and run again")


def test_published_that_is_not_a_date(tmp_path, articles):
    path = write_jsonl(tmp_path / "news.jsonl", [{**articles[0], "published": "5 March 2024"}])
    with pytest.raises(ArchiveError) as error:
        iter_archive(path)
    assert str(error.value) == (
        "news.jsonl line 1 has published '5 March 2024', not a YYYY-MM-DD date; correct it or set it to null and run again"
    )


def test_file_that_is_not_utf8(tmp_path, articles):
    path = tmp_path / "news.jsonl"
    path.write_bytes(json.dumps(articles[0]).encode() + b"\n" + '{"id": "caf\u00e9"}'.encode("latin-1") + b"\n")
    with pytest.raises(ArchiveError) as error:
        iter_archive(path)
    assert str(error.value) == "news.jsonl line 2 is not UTF-8 text; save the file as UTF-8 and run again"


# -- folders of saved pages -----------------------------------------------------------------
@pytest.fixture
def saved_pages(tmp_path, demo_site, articles) -> Path:
    """Pages saved from the demo site: three articles (one twice), a listing, an about page."""
    folder = tmp_path / "saved"
    (folder / "nested").mkdir(parents=True)

    def save(url: str, name: str) -> None:
        with urllib.request.urlopen(url, timeout=10) as response:
            (folder / name).write_bytes(response.read())

    for n, article in enumerate(articles[:3]):
        save(demo_site.url + urlsplit(article["url"]).path, f"article-{n}.html")
    save(demo_site.url + urlsplit(articles[0]["url"]).path + "?utm_source=x", "nested/article-0-again.htm")
    save(demo_site.url + "/news?page=1", "listing.html")
    save(demo_site.url + "/about", "about.html")
    return folder


def test_folder_yields_only_articles_once_each(saved_pages, demo_site, articles):
    items = list(iter_archive(saved_pages))
    assert sorted(i["url"] for i in items) == sorted(demo_site.url + urlsplit(a["url"]).path for a in articles[:3])


def test_folder_items_carry_extracted_fields_and_folder_source(saved_pages, articles):
    by_title = {i["title"]: i for i in iter_archive(saved_pages)}
    item = by_title[articles[1]["title"]]
    assert (item["text"], item["published"], item["source"]) == (articles[1]["text"], articles[1]["published"], "archive:saved")


def _saved_without(tmp_path, demo_site, articles, *markers: str):
    folder = tmp_path / "pages"
    folder.mkdir()
    with urllib.request.urlopen(demo_site.url + urlsplit(articles[0]["url"]).path, timeout=10) as response:
        html = response.read().decode()
    page = folder / "story.html"
    page.write_text("\n".join(line for line in html.splitlines() if not any(m in line for m in markers)),
                    encoding="utf-8")
    return folder, page


def test_saved_page_without_canonical_link_is_known_by_its_og_url(tmp_path, demo_site, articles):
    folder, _ = _saved_without(tmp_path, demo_site, articles, 'rel="canonical"')
    assert next(iter_archive(folder))["url"] == demo_site.url + urlsplit(articles[0]["url"]).path


def test_saved_page_without_canonical_link_or_og_url_gets_its_file_url(tmp_path, demo_site, articles):
    folder, page = _saved_without(tmp_path, demo_site, articles, 'rel="canonical"', 'property="og:url"')
    assert next(iter_archive(folder))["url"] == page.resolve().as_uri()


def test_folder_without_html_pages(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ArchiveError) as error:
        iter_archive(tmp_path)
    assert str(error.value) == f"folder {tmp_path} has no .html pages; give a .jsonl file or a folder of .html pages"
