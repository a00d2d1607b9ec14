"""What every screen's browser test asks: axe-core (npm, the version package-lock.json pins) finds no violation of
WCAG 2.1 A/AA or its best practices; and a screenshot of the screen in the ignored test-artifacts/."""

from __future__ import annotations

from functools import cache

from playwright.async_api import Page

from testkit.browser import ARTIFACTS
from testkit.paths import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8")


async def no_violations(page: Page, name: str) -> None:
    """axe-core over the whole page as it is now; the violations, with the elements, fail the test."""
    if not await page.evaluate("typeof axe !== 'undefined'"):
        await page.evaluate(_source())  # through the DevTools protocol: the page's CSP does not apply to it
    result = await page.evaluate("rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})", RULES)
    problems = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in result["violations"]]
    assert not problems, f"{name}: {problems}"


async def screenshot(page: Page, name: str) -> None:
    """The whole page, named for the screen and the viewport's width."""
    ARTIFACTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    await page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


async def check_screen(page: Page, name: str) -> None:
    """The screen as shown: photographed, then scanned."""
    await screenshot(page, name)
    await no_violations(page, name)
