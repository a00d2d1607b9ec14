"""A report sent over a bad network is posted exactly once: the answer to the first attempt is lost as the phone
goes offline (the server made the report), the resident reloads the app while still offline (the service worker
serves it; the report waits on the device and says so), and back online the app sends it again with the same
clientMutationId, which the server answers with the report it already made."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import Route, async_playwright, expect

from testkit.axe import check_screen
from testkit.browser import ARGS, CHROMIUM, PHONE
from testkit.pages import gql, open_app, photo
from testkit.processes import ServerProcess, login
from testkit.reports import PISANGAN_BARU

pytestmark = pytest.mark.timeout(180)
BODY = "Tutup saluran air hilang di depan SD, berbahaya untuk anak-anak."
MINE = """query($id: ID!) { account(handle: "siti") { id } feed(filter: {authorId: $id}, first: 50) {
  edges { node { body } } } }"""


async def test_a_report_survives_a_lost_answer_a_reload_offline_and_is_posted_once(
        demo_server: ServerProcess) -> None:
    async with async_playwright() as playwright, httpx.AsyncClient(base_url=demo_server.url, timeout=30) as http:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context, page, errors = await open_app(browser, demo_server.url, PHONE, "siti", where=PISANGAN_BARU)
        # The app shell is kept by the service worker before the network goes.
        await page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        await page.click("#nav a[href='#/lapor']")
        await expect(page.locator(".where")).to_contain_text(f"{PISANGAN_BARU[0]:.5f}")
        await page.select_option(".post-form select[name=category]", "SALURAN_MAMPET")
        await page.set_input_files("input[name=photos]", [photo("saluran.jpg", 11)])
        await page.fill("textarea[name=body]", BODY)

        sent: list[str] = []

        async def lose_the_answer(route: Route) -> None:
            if "createReport" not in (route.request.post_data or ""):
                await route.continue_()
                return
            await route.fetch()  # the server makes the report…
            sent.append(route.request.url)
            await context.set_offline(True)
            await route.abort("internetdisconnected")  # …and its answer never arrives

        await page.route("**/graphql", lose_the_answer)
        await page.click(".post-form button[type=submit]")
        await expect(page.locator(".waiting-entry")).to_contain_text(BODY)
        await expect(page.locator("#outbox-status")).to_be_visible()
        await page.unroute("**/graphql")
        assert len(sent) == 1

        await page.reload()  # still offline: the service worker answers
        await expect(page.locator("body")).to_have_attribute("data-ready", "true")
        await expect(page.locator("#outbox-status")).to_be_visible()
        await page.evaluate("location.hash = '#/lapor'")
        await expect(page.locator(".waiting-entry")).to_contain_text(BODY)
        await check_screen(page, "post-waiting")

        await context.set_offline(False)
        await expect(page.locator("#outbox-status")).to_be_hidden(timeout=30_000)
        await expect(page.locator(".waiting-entry")).to_have_count(0)
        token = await login(http, demo_server.url, "siti")
        me = (await gql(http, '{ account(handle: "siti") { id } }', token=token))["account"]["id"]
        bodies = [e["node"]["body"] for e in (await gql(http, MINE, {"id": me}, token))["feed"]["edges"]]
        assert bodies.count(BODY) == 1
        assert not errors, errors
        await context.close()
        await browser.close()
