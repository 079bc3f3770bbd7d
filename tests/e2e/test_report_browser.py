"""End-to-end: open the review report in Debian's headless Chromium and use it like a reviewer.

Needs ``/usr/bin/chromium``, ``/usr/bin/chromedriver`` (apt ``chromium chromium-driver``) and pip
``selenium``; ``.ci/install-browser.sh`` installs them. Skips with a clear message when absent.
The screenshot lands in ``tests/e2e/artifacts/`` (gitignored) for a human to look at.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planparse.report import render_report
from tests.unit.test_report import record

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.skip(f"no browser: {', '.join(missing)} missing (run .ci/install-browser.sh)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("no browser client: pip package 'selenium' missing (run .ci/install-browser.sh)")
    profile = tempfile.mkdtemp(prefix="planparse-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    try:
        drv = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    except Exception as exc:  # a broken install must not look like a report bug
        shutil.rmtree(profile, ignore_errors=True)
        pytest.skip(f"headless Chromium could not start: {exc}")
    drv.set_page_load_timeout(15)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def page(driver: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("report") / "plan.html"
    path.write_text(render_report(record()), encoding="utf-8")
    driver.get(path.as_uri())
    return driver


def test_tables_flags_and_outline_present(page: Any) -> None:
    from selenium.webdriver.common.by import By

    tables = page.find_elements(By.CSS_SELECTOR, "table.indicators")
    assert tables and all(t.is_displayed() for t in tables)
    assert page.find_elements(By.CSS_SELECTOR, "tr.ind.flagged")
    assert page.find_elements(By.CSS_SELECTOR, "td.rep.c-lo")
    assert page.find_elements(By.CSS_SELECTOR, "nav.outline a[href^='#ch-']")
    assert page.find_elements(By.CSS_SELECTOR, "figure.chart svg rect")
    # Console errors would mean the inline script broke.
    logs = [e for e in page.get_log("browser") if e.get("level") == "SEVERE"]
    assert not logs, logs


def test_hover_and_focus_show_alternatives(page: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    cell = page.find_element(By.CSS_SELECTOR, "td.rep.c-lo")
    tip = page.find_element(By.ID, cell.get_attribute("aria-describedby"))
    assert tip.get_attribute("role") == "tooltip"
    assert not tip.is_displayed()
    ActionChains(page).move_to_element(cell).perform()
    assert tip.is_displayed()
    text = tip.text
    assert "6.58" in text and "658" in text and "0.55" in text
    # Move the mouse away: the tooltip hides again.
    ActionChains(page).move_to_element(page.find_element(By.CSS_SELECTOR, "header.doc h1")).perform()
    assert not tip.is_displayed()
    # Keyboard only: Tab from the top of the page until a repaired value has focus.
    page.find_element(By.TAG_NAME, "body").click()
    page.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
    body = page.find_element(By.TAG_NAME, "body")
    for _ in range(80):
        body.send_keys(Keys.TAB)
        active = page.switch_to.active_element
        if "rep" in (active.get_attribute("class") or "").split():
            break
    else:
        pytest.fail("Tab never reached a repaired value")
    focus_tip = page.find_element(By.ID, active.get_attribute("aria-describedby"))
    assert focus_tip.is_displayed() and "候选" in focus_tip.text
    active.send_keys(Keys.ESCAPE)
    assert not focus_tip.is_displayed()


def test_only_flagged_filter_and_screenshot(page: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    rows = page.find_elements(By.CSS_SELECTOR, "tr.ind")
    plain = [r for r in rows if "flagged" not in (r.get_attribute("class") or "")]
    flagged = [r for r in rows if "flagged" in (r.get_attribute("class") or "")]
    assert plain and flagged
    box = page.find_element(By.ID, "only-flagged")
    box.click()
    assert box.is_selected()
    assert all(not r.is_displayed() for r in plain)
    assert all(r.is_displayed() for r in flagged)
    box.click()
    assert all(r.is_displayed() for r in plain)
    # Screenshot with a tooltip open, for a human to check the rendering.
    cell = page.find_element(By.CSS_SELECTOR, "td.rep.c-lo")
    page.execute_script("arguments[0].scrollIntoView({block: 'center'});", cell)
    ActionChains(page).move_to_element(cell).perform()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # Self-ignoring folder, so a screenshot is never committed by accident.
    (ARTIFACTS / ".gitignore").write_text("*\n", encoding="utf-8")
    shot = ARTIFACTS / "report.png"
    assert page.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
