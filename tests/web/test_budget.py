"""The web app's JavaScript budget (docs/web.md): at most 60 KB, compressed as the server sends it, before a first
screen works, Leaflet apart (it loads only with a map in view). The scripts are those Chromium asks for while
opening the public feed, the posting screen and the official's queue at a phone's size; their sizes are what the
server sends for them with gzip accepted."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import Request, async_playwright, expect

from testkit.browser import ARGS, CHROMIUM, PHONE
from testkit.pages import open_app
from testkit.processes import ServerProcess

BUDGET = 60 * 1024
pytestmark = pytest.mark.timeout(120)


async def compressed_size(http: httpx.AsyncClient, url: str) -> int:
    """The bytes the server sends for this URL to a browser that accepts gzip (as they travel, not decoded)."""
    async with http.stream("GET", url, headers={"accept-encoding": "gzip"}) as response:
        return sum([len(chunk) async for chunk in response.aiter_raw()])


@pytest.mark.parametrize(("screen", "handle", "ready"), [
    ("", None, "#feed .card"), ("#/lapor", "budi", ".post-form"), ("#/antrian", "lurah_pisanganbaru", ".queue .card"),
], ids=["feed", "post", "queue"])
async def test_a_first_screen_costs_at_most_60_kb_of_javascript(demo_server: ServerProcess, screen: str,
                                                              handle: str | None, ready: str) -> None:
    async with async_playwright() as playwright, httpx.AsyncClient(base_url=demo_server.url, timeout=30) as http:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context, page, errors = await open_app(browser, demo_server.url, PHONE, handle)
        scripts: set[str] = set()

        def note(request: Request) -> None:
            if request.resource_type == "script":
                scripts.add(request.url)

        page.on("request", note)
        await page.goto(demo_server.url + "/" + screen)
        await page.reload()  # the app opened afresh on that screen (a hash alone would not load it again)
        await expect(page.locator(ready).first).to_be_visible()
        await page.wait_for_load_state("networkidle")
        assert scripts and not any("leaflet" in url for url in scripts), scripts
        sent = {url: await compressed_size(http, url) for url in scripts}
        assert sum(sent.values()) <= BUDGET, sent
        assert not errors, errors
        await context.close()
        await browser.close()
