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
    assert page.find_elements(By.CSS_SELECTOR, "nav.outline a[href^='#chapters-']")
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


def _mark_parts(page: Any, context: str) -> tuple[str, str, str]:
    """(text before the mark, the mark's text, struck or inserted pieces) of the repair row whose
    context reads ``context`` once the edit is undone, as the browser renders it."""
    script = """
    const rows = [...document.querySelectorAll('table.repairs td.ctx')];
    for (const td of rows) {
      const mark = td.querySelector('mark.repair');
      if (!mark) continue;
      const kept = [...mark.childNodes].filter(n => !(n.tagName === 'INS')).map(n => n.textContent).join('');
      const head = document.createRange(); head.setStart(td, 0); head.setEndBefore(mark);
      const tail = document.createRange(); tail.setStartAfter(mark); tail.setEnd(td, td.childNodes.length);
      const before = head.toString();
      if (before + kept + tail.toString() !== arguments[0]) continue;
      const pieces = [...mark.querySelectorAll('del, ins')].map(n => n.tagName + ':' + n.textContent).join(',');
      const style = mark.querySelector('del') ? getComputedStyle(mark.querySelector('del')).textDecorationLine : '';
      return [before, mark.textContent, pieces + '|' + style];
    }
    return null;
    """
    found = page.execute_script(script, context)
    assert found, f"no marked repair with context {context!r}"
    return found[0], found[1], found[2]


def test_repairs_table_marks_the_repaired_characters(page: Any) -> None:
    from selenium.webdriver.common.by import By

    # Repairs and warnings are reachable first, from the top of the page.
    links = page.find_elements(By.CSS_SELECTOR, "nav.attention a")
    assert [link.get_attribute("href").rsplit("#", 1)[1] for link in links] == ["warnings", "repairs"]
    for details in page.find_elements(By.CSS_SELECTOR, "details.kind"):
        if not details.get_attribute("open"):
            details.find_element(By.TAG_NAME, "summary").click()
    before, marked, pieces = _mark_parts(page, "16年11月1目录第一章攻")
    assert before == "16年11月" and marked == "1"  # the page number, not the 1 of 16 or of 11
    assert pieces.startswith("DEL:1|") and "line-through" in pieces
    before, marked, pieces = _mark_parts(page, "全员劳动生产率年均增长62")
    assert before == "全员劳动生产率年均增长" and marked == "6.2%"
    assert pieces.startswith("INS:.,INS:%|")


def test_seed_report_marks_its_page_number_and_decimal_repairs(driver: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    from selenium.webdriver.common.by import By

    import planparse
    from tests.conftest import SEED

    record = planparse.parse(SEED)
    path = tmp_path_factory.mktemp("seed") / "seed.html"
    path.write_text(render_report(record), encoding="utf-8")
    driver.get(path.as_uri())
    for details in driver.find_elements(By.CSS_SELECTOR, "details.kind"):
        if not details.get_attribute("open"):
            details.find_element(By.TAG_NAME, "summary").click()
    checked = 0
    for repair in record.repairs:
        if repair.kind not in ("page_number", "decimal") or repair.context_offset is None or not repair.context:
            continue
        before, marked, _ = _mark_parts(driver, repair.context)
        assert before == repair.context[: repair.context_offset], repair
        assert marked == repair.after or (repair.kind == "page_number" and marked == repair.before), repair
        checked += 1
    # Each repair links to the element it concerns, and every link lands on an element of the page.
    missing = driver.execute_script(
        "return [...document.querySelectorAll('table.repairs a[href^=\"#\"]')]"
        ".map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id));")
    links = driver.find_elements(By.CSS_SELECTOR, "table.repairs a[href^='#']")
    assert len(links) >= 60 and missing == []
    kinds = {repair.kind for repair in record.repairs if repair.context_offset is not None}
    assert checked >= 60 and {"page_number", "decimal"} <= kinds
    # The first page-number repair sits after look-alike digits (16年11月1目录): the last 1 is marked.
    first = next(r for r in record.repairs if r.kind == "page_number")
    assert first.context and first.context.count(first.before) > 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n", encoding="utf-8")
    target = driver.find_element(By.CSS_SELECTOR, "table.repairs mark.repair")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", target)
    assert driver.save_screenshot(str(ARTIFACTS / "seed-repairs.png"))
