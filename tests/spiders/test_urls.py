"""canonicalize(): one spelling per page, so the warehouse stores each article once."""

from spiders.urls import canonicalize, site_host


def test_lower_cases_scheme_and_host_but_not_path():
    assert canonicalize("HTTPS://News.Example.ORG/Leadership/CEO") == "https://news.example.org/Leadership/CEO"


def test_drops_default_ports():
    assert canonicalize("http://example.org:80/a") == "http://example.org/a"
    assert canonicalize("https://example.org:443/a") == "https://example.org/a"


def test_keeps_non_default_port():
    assert canonicalize("http://127.0.0.1:8000/a") == "http://127.0.0.1:8000/a"


def test_drops_fragment():
    assert canonicalize("https://example.org/story#comments") == "https://example.org/story"


def test_drops_tracking_params():
    url = ("https://example.org/story?utm_source=newsletter&utm_medium=email&UTM_Campaign=x"
           "&fbclid=abc&gclid=def&mc_cid=1&mc_eid=2&_ga=3")
    assert canonicalize(url) == "https://example.org/story"


def test_keeps_and_sorts_other_params():
    assert canonicalize("https://example.org/news?page=2&cat=nhs&utm_source=x") == "https://example.org/news?cat=nhs&page=2"


def test_keeps_param_encoding_as_written():
    assert canonicalize("https://example.org/search?q=chief%20executive&a=1") == (
        "https://example.org/search?a=1&q=chief%20executive"
    )


def test_empty_path_becomes_slash():
    assert canonicalize("https://example.org") == "https://example.org/"


def test_prefers_canonical_link_on_same_host():
    assert canonicalize("https://example.org/story?ref=home", "https://example.org/story") == "https://example.org/story"


def test_resolves_relative_canonical_link():
    assert canonicalize("https://example.org/a/b?x=1", "/a/b") == "https://example.org/a/b"


def test_treats_www_and_bare_host_as_same_site():
    assert canonicalize("https://www.example.org/amp/story", "https://example.org/story") == "https://example.org/story"


def test_ignores_canonical_link_to_another_site():
    assert canonicalize("https://example.org/story", "https://syndicator.example.com/copy") == "https://example.org/story"


def test_ignores_canonical_link_that_is_not_http():
    assert canonicalize("https://example.org/story", "javascript:void(0)") == "https://example.org/story"


def test_saved_page_takes_its_canonical_link():
    assert canonicalize("file:///tmp/saved/story.html", "https://example.org/story#top") == "https://example.org/story"


def test_canonical_link_is_cleaned_too():
    assert canonicalize("https://example.org/s", "HTTPS://EXAMPLE.org:443/s?utm_source=x#f") == "https://example.org/s"


def test_is_idempotent():
    once = canonicalize("HTTP://Example.org:80/a?b=2&a=1&utm_term=z#x")
    assert canonicalize(once) == once == "http://example.org/a?a=1&b=2"


def test_site_host_ignores_port_case_and_www():
    assert site_host("http://WWW.Example.org:8080/x") == "example.org"
