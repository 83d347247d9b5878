"""The plan report in a real browser: the distribution's headless Chromium, driven by Playwright.

Each report must load with no console error, draw every chart, find a member by name and
list the members short behind a coverage cell. The test skips only where Chromium is not
installed and this is not CI (CI installs it: see ``.ci/run``).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from checker import check_plan, read_assignments
from cli import main
from models import load_scenario

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent.parent
TUTORIAL = ROOT / "scenarios" / "tutorial" / "scenario.yaml"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed: .ci/run must install it")
        pytest.skip("chromium is not installed (apt-get install chromium chromium-driver)")
    return found


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A fresh Chromium profile, no network fetch of any kind, pages at 1400 x 900."""
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path_factory.mktemp("profile")),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 900},
        )
        yield context
        context.close()


def _solve_with_report(scenario: Path, out: Path, time_limit: int) -> Path:
    args = ["solve", str(scenario), "--out", str(out), "--time-limit", str(time_limit)]
    result = CliRunner().invoke(main, [*args, "--workers", "2", "--quiet", "--report"])
    assert result.exit_code == 0, result.output
    assert check_plan(load_scenario(scenario), read_assignments(out)).violations == []
    return out / "report.html"


def _open(browser: Any, report: Path) -> tuple[Any, list[str]]:
    page = browser.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(report.as_uri())
    return page, errors


def _draw_every_chart(page: Any) -> int:
    """Scroll each chart into view (they draw as they come near) and wait until it is drawn."""
    charts = page.locator("div.chart")
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        page.wait_for_function(
            "(div) => div.classList.contains('drawn')", arg=chart.element_handle()
        )
    assert page.locator("div.chart.drawn .main-svg").count() >= charts.count()
    return int(charts.count())


def _find_member(page: Any, text: str, member_id: str) -> None:
    """Type into the member search, pick the match, and see the member's ledger."""
    page.fill("#member-search", text)
    page.locator("#member-matches button", has_text=member_id).first.click()
    ledger = page.locator("#member-ledger")
    assert member_id in ledger.inner_text()
    assert ledger.locator("table").count() >= 1


def _drill_into_a_short_cell(page: Any) -> None:
    """Click the first coverage cell with windows short: it lists exactly those members."""
    cells = page.locator("#coverage-table td.cell")
    for index in range(cells.count()):
        met, windows = map(int, re.findall(r"\d+", cells.nth(index).inner_text())[:2])
        if met < windows:
            cells.nth(index).click()
            drill = page.locator("#coverage .coverage-block").first.locator(".drill")
            assert drill.locator("tbody tr").count() == windows - met
            return
    pytest.fail("no coverage cell has a window short")


def test_tutorial_report_in_chromium(browser: Any, tmp_path: Path) -> None:
    report = _solve_with_report(TUTORIAL, tmp_path / "plan", time_limit=30)
    page, errors = _open(browser, report)
    # The tutorial solves against a previous plan: its report shows the changes too.
    assert _draw_every_chart(page) == 6
    _find_member(page, "王建", "M01")
    assert "rotate" in page.locator("#member-ledger").inner_text()
    _drill_into_a_short_cell(page)
    page.locator("#changes-members").scroll_into_view_if_needed()
    assert page.locator("#changes-members tbody tr").count() >= 1
    page.screenshot(path=str(tmp_path / "tutorial.png"), full_page=True)
    assert errors == []
    assert (tmp_path / "tutorial.png").stat().st_size > 0


def test_generated_company_report_in_chromium(browser: Any, tmp_path: Path) -> None:
    folder = tmp_path / "company"
    generated = CliRunner().invoke(
        main, ["generate", str(folder), "--members", "300", "--years", "2", "--seed", "7"]
    )
    assert generated.exit_code == 0, generated.output
    report = _solve_with_report(folder / "scenario.yaml", tmp_path / "plan", time_limit=40)
    page, errors = _open(browser, report)
    assert _draw_every_chart(page) >= 5
    member = load_scenario(folder / "scenario.yaml").members[41]
    assert member.name  # the generator names every member in Chinese
    _find_member(page, member.name, member.id)
    _drill_into_a_short_cell(page)
    page.fill("#unmet-filter", "zzz-no-such-text")
    assert page.locator("#unmet-table tbody tr").count() == 0
    page.screenshot(path=str(tmp_path / "company.png"), full_page=True)
    assert errors == []
