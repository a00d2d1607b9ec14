"""What the page's browser tests do once Chromium runs: open the page in a context of its own, collecting its
uncaught errors and the Content-Security-Policy's refusals (which reach the console only), and ask the same
server over plain HTTP what the page should show."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, FilePayload, Page, ViewportSize, expect

from demo.loader import DEMO_PASSWORD
from demo.photos import sample_photo


async def open_page(browser: Browser, url: str, viewport: ViewportSize) -> tuple[BrowserContext, Page, list[str]]:
    """The page at this size, under its own policy, once it says it is ready; and the list its errors go to."""
    context = await browser.new_context(viewport=viewport)
    page = await context.new_page()
    errors = _collect_errors(page)
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


async def sign_in(page: Page, handle: str) -> None:
    """Through the header's form, as a person does; back once the app shows the viewer."""
    await page.click("#signin-open")
    await page.fill("#signin input[name=handle]", handle)
    await page.fill("#signin input[name=password]", DEMO_PASSWORD)
    await page.click("#signin button[type=submit]")
    await expect(page.locator("body")).to_have_attribute("data-viewer", handle)


async def open_app(browser: Browser, url: str, viewport: ViewportSize, handle: str | None = None,
                   where: tuple[float, float] | None = None) -> tuple[BrowserContext, Page, list[str]]:
    """The app at this size, signed in as `handle`; with `where`, the device's location allowed and set there."""
    options: dict[str, Any] = {"viewport": viewport}
    if where:
        options.update(geolocation={"latitude": where[0], "longitude": where[1]}, permissions=["geolocation"])
    context = await browser.new_context(**options)
    page = await context.new_page()
    errors = _collect_errors(page)
    await page.goto(url)
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")
    if handle:
        await sign_in(page, handle)
    return context, page, errors


def _collect_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(error.stack or str(error)))

    def refused(message: ConsoleMessage) -> None:
        if "Refused to" in message.text:
            errors.append(message.text)

    page.on("console", refused)
    return errors


def photo(name: str, seed: int, gps: tuple[float, float] | None = None) -> FilePayload:
    """A camera's photo for a file input: 2400 × 1800, with GPS where given."""
    return {"name": name, "mimeType": "image/jpeg", "buffer": sample_photo(seed, name, size=(2400, 1800), gps=gps)}
