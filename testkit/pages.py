"""What the page's browser tests do once Chromium runs: open the page in a context of its own, collecting its
uncaught errors and the Content-Security-Policy's refusals (which reach the console only), and ask the same
server over plain HTTP what the page should show."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, ViewportSize, expect


async def open_page(browser: Browser, url: str, viewport: ViewportSize) -> tuple[BrowserContext, Page, list[str]]:
    """The page at this size, under its own policy, once it says it is ready; and the list its errors go to."""
    context = await browser.new_context(viewport=viewport)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def refused(message: ConsoleMessage) -> None:
        if "Refused to" in message.text:
            errors.append(message.text)

    page.on("console", refused)
    await page.goto(url)
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")
    return context, page, errors


async def gql(http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None,
              token: str | None = None) -> dict[str, Any]:
    """A JSON request's data; an answer with errors fails the test, showing them."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    result = (await http.post("/graphql", headers=headers, json={"query": query, "variables": variables})).json()
    assert not result.get("errors"), result
    return dict(result["data"])


async def no_overflow(page: Page, width: int) -> None:
    """Nothing makes the page scroll sideways at this width."""
    assert await page.evaluate("document.documentElement.scrollWidth") <= width
