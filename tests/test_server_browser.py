"""A real browser (Debian's headless Chromium, driven by Selenium) against a real server."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait
from server_support import live_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1000"]


@pytest.fixture(scope="module")
def server(built: Path):
    with live_server(built) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="stpgraph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait(driver, seconds: float = 10) -> WebDriverWait:
    return WebDriverWait(driver, seconds)


def test_search_a_body_open_its_page_and_see_its_successor(server, browser) -> None:
    browser.get(server.url + "/")
    box = browser.find_element(By.ID, "search")
    box.send_keys("Suffolk and North East Essex")
    # live results appear as you type
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#live-results li a")))
    box.send_keys(Keys.ENTER)
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#results li a")))
    hits = browser.find_elements(By.CSS_SELECTOR, "#results li a")
    target = next(a for a in hits if a.get_attribute("href").endswith("/id/stp/E54000023"))
    target.click()
    wait(browser).until(ec.presence_of_element_located((By.ID, "timeline")))
    assert browser.find_element(By.ID, "label").text == "Suffolk and North East Essex"
    successors = browser.find_elements(By.CSS_SELECTOR, "#timeline .successor")
    assert any("Integrated Care Board" in s.text for s in successors), [s.text for s in successors]
    dates = [d.text for d in browser.find_elements(By.CSS_SELECTOR, "#timeline .date")]
    assert any(d.startswith("20") for d in dates)


def test_form_page_timeline_names_the_prompting_policy(server, browser) -> None:
    browser.get(server.url + "/id/form/stp")
    wait(browser).until(ec.presence_of_element_located((By.ID, "timeline")))
    text = browser.find_element(By.ID, "timeline").text
    assert "integrated care system" in text
    assert "prompted by" in text


def test_run_a_saved_query_and_see_rows(server, browser) -> None:
    browser.get(server.url + "/query")
    picker = Select(browser.find_element(By.ID, "saved"))
    picker.select_by_value("form-succession")
    wait(browser).until(lambda d: "replacedBy" in d.find_element(By.ID, "editor").get_attribute("value")
                        or "form-succession" in d.find_element(By.ID, "saved-link").get_attribute("href"))
    browser.find_element(By.ID, "run").click()
    wait(browser).until(lambda d: "row" in d.find_element(By.ID, "query-status").text)
    rows = browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")
    assert rows, browser.find_element(By.ID, "query-status").text
    assert "row" in browser.find_element(By.ID, "query-status").text


def test_saved_query_page_shows_rows(server, browser) -> None:
    browser.get(server.url + "/queries")
    browser.find_element(By.LINK_TEXT, browser.find_element(
        By.CSS_SELECTOR, "table.catalogue tbody tr td a").text).click()
    wait(browser).until(ec.presence_of_element_located((By.ID, "results")))
    assert browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")


def test_query_error_is_shown(server, browser) -> None:
    browser.get(server.url + "/query")
    editor = browser.find_element(By.ID, "editor")
    editor.clear()
    editor.send_keys("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    browser.find_element(By.ID, "run").click()
    wait(browser).until(ec.presence_of_element_located((By.ID, "query-error")))
    assert "SERVICE" in browser.find_element(By.ID, "query-error").text
