"""The page in a real browser: Debian's Chromium, headless, driven by Selenium through the
system chromedriver (no driver download: the paths are given and Selenium Manager stays
off). The warehouse is built from the gold articles by a real `ingest` flow.

Where Chromium is not installed these tests are skipped with the line that says how to
install it; `.ci/run` installs it, so CI always runs them."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL = "Chromium is not installed: run `sudo apt-get install -y chromium chromium-driver` to run the browser tests"
GOLD = Path(__file__).resolve().parents[2] / "pipeline" / "demo" / "gold"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1500"]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()), reason=INSTALL)]


@pytest.fixture(scope="module")
def gold_db(prefect, tmp_path_factory) -> Path:
    from pipeline.flows import ingest_flow

    tmp = tmp_path_factory.mktemp("browser")
    archive = tmp / "gold.jsonl"
    archive.write_text("".join(p.read_text(encoding="utf-8") for p in sorted(GOLD.glob("*.jsonl"))), encoding="utf-8")
    ingest_flow(str(archive), str(tmp / "gold.duckdb"))
    return tmp / "gold.duckdb"


@pytest.fixture(scope="module")
def site(gold_db) -> Iterator[str]:
    from pipeline.feed_server import FeedServer

    server = FeedServer(gold_db, 0).start()
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a driver
    profile = tempfile.mkdtemp(prefix="postwatch-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def failed_stories(db: Path) -> dict[str, set[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("""
            SELECT s.story_id, a.url FROM stories s JOIN events e USING (story_id) JOIN articles a USING (article_id)
            WHERE s.status = 'failed'
        """).fetchall()
    finally:
        con.close()
    found: dict[str, set[str]] = {}
    for story_id, url in rows:
        found.setdefault(story_id, set()).add(url)
    return found


def test_every_failed_story_appears_with_its_articles(browser, site, gold_db, tmp_path):
    expected = failed_stories(gold_db)
    assert expected, "the gold articles hold failed recruitments"
    browser.get(site + "/")
    shown = browser.find_elements("css selector", "#failed li.story")
    assert {li.get_attribute("data-story") for li in shown} == set(expected)
    for li in shown:
        links = {a.get_attribute("href") for a in li.find_elements("css selector", "a.article")}
        assert links == expected[li.get_attribute("data-story")]
        assert li.find_elements("css selector", ".dc-label")  # its evidence is marked
    shot = Path(os.environ.get("POSTWATCH_SCREENSHOT") or tmp_path / "page.png")
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_chart_is_drawn_by_plotly(browser, site):
    browser.get(site + "/")
    assert browser.find_elements("css selector", "#pay-chart .main-svg")


def test_an_organisation_link_leads_to_its_page(browser, site):
    browser.get(site + "/")
    link = browser.find_element("css selector", "#failed a.org")
    name = link.text
    link.click()
    assert browser.find_element("css selector", "h2.org-name").text == name
    assert browser.find_elements("css selector", "#stories li.story")


def test_a_search_finds_an_organisation_and_a_person(browser, site):
    browser.get(site + "/")
    box = browser.find_element("css selector", "form.search input[name=q]")
    box.send_keys("trust")
    box.submit()
    results = browser.find_elements("css selector", "#organisations a.org")
    assert results and all("trust" in r.text.lower() for r in results)
    first = results[0].text
    results[0].click()
    assert browser.find_element("css selector", "h2.org-name").text == first
    browser.get(site + "/")
    person = browser.find_element("css selector", "#appointments a.person").text
    box = browser.find_element("css selector", "form.search input[name=q]")
    box.send_keys(person.split()[-1])
    box.submit()
    assert person in [a.text for a in browser.find_elements("css selector", "#people a.person")]
