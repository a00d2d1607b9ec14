"""The web app's whole story in Chromium, at a phone's size and a desktop's: a resident posts a report with a
photo and the device's location, sees an open report nearby first and mentions the lurah from the suggestions;
the lurah sees it arrive live in the work queue and the mention in the inbox, acknowledges the report and follows
it up with a proof photo; the resident sees the green badge arrive live and accepts the fix; the camat's ranking
table shows Pisangan Baru's figures change. Every screen on the way is photographed and
scanned by axe-core."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import Page, ViewportSize, async_playwright, expect

from testkit.axe import check_screen
from testkit.browser import ARGS, CHROMIUM, DESKTOP, PHONE
from testkit.pages import gql, no_overflow, open_app, photo
from testkit.processes import ServerProcess, login
from testkit.reports import PISANGAN_BARU

pytestmark = pytest.mark.timeout(300)
BODY = "Lampu jalan di gang Kayu Manis mati sejak kemarin, gelap total di malam hari."
REPORT = "query($id: ID!) { report(id: $id) { status badge body mentions { handle } photos { width } } }"


async def report_id(page: Page) -> str:
    await page.wait_for_url("**/#/r/*")
    return page.url.split("#/r/")[1]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_a_report_from_posting_to_an_accepted_fix(demo_server: ServerProcess, size: ViewportSize) -> None:
    async with async_playwright() as playwright, httpx.AsyncClient(base_url=demo_server.url, timeout=30) as http:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        official_context, official, official_errors = await open_app(browser, demo_server.url, size,
                                                                     "lurah_pisanganbaru")
        await official.click("#nav a[href='#/antrian']")
        await expect(official.locator(".queue .card").first).to_be_visible()
        await check_screen(official, "queue")
        unread = official.locator("#unread")
        before = await unread.text_content() if await unread.is_visible() else "0"

        leader_context, leader, leader_errors = await open_app(browser, demo_server.url, size, "camat_matraman")
        await leader.click("#nav a[href='#/peringkat']")
        villages = (await gql(http, "{ areas(level: VILLAGE) { id name } }"))["areas"]
        pisangan_baru = next(a["id"] for a in villages if a["name"] == "Pisangan Baru")
        row = leader.locator(f'.lk-rankings tbody tr[data-unit-id="{pisangan_baru}"]')
        received = await row.locator('[data-col="received"]').inner_text()
        followed = await row.locator('[data-col="followUpRate"]').inner_text()
        await check_screen(leader, "rankings")

        context, page, errors = await open_app(browser, demo_server.url, size, "budi", where=PISANGAN_BARU)
        await check_screen(page, "feed")
        await page.click("#nav a[href='#/lapor']")
        # The device's location is allowed: it comes by itself, and the open reports nearby with it.
        await expect(page.locator(".where")).to_contain_text(f"{PISANGAN_BARU[0]:.5f}")
        await page.select_option(".post-form select[name=category]", "PJU_PADAM")
        await expect(page.locator(".nearby .card").first).to_be_visible()
        await page.set_input_files("input[name=photos]", [photo("lampu.jpg", 7)])
        await page.fill("textarea[name=body]", BODY + " @lur")
        await page.keyboard.type("a")  # an input event with the caret after "@lura"
        first = page.locator(".mentions [role=option]").first
        await expect(first).to_have_attribute("data-handle", "lurah_pisanganbaru")
        await check_screen(page, "post")
        await first.click()
        await expect(page.locator("textarea[name=body]")).to_have_value(f"{BODY} @lurah_pisanganbaru ")
        await page.click(".post-form button[type=submit]")
        report = await report_id(page)
        await expect(page.locator("#report-view[data-badge=RED]")).to_be_visible()
        await page.click("button[data-action=follow-area]")  # Pisangan Baru's news into the home timeline
        await expect(page.locator("button[data-action=follow-area]")).to_have_attribute("aria-pressed", "true")
        await check_screen(page, "report")
        token = await login(http, demo_server.url, "budi")
        posted = (await gql(http, REPORT, {"id": report}, token))["report"]
        assert posted["body"] == f"{BODY} @lurah_pisanganbaru"
        assert [m["handle"] for m in posted["mentions"]] == ["lurah_pisanganbaru"]
        # 2400 px wide from the camera: made smaller in the browser before the upload.
        assert posted["photos"][0]["width"] <= 1600

        # The lurah's queue got it live, overdue ones still first; so did the menu's unread count (the mention).
        arrived = official.locator(f".queue [data-report-id='{report}']")
        await expect(arrived).to_be_visible()
        await expect(unread).not_to_have_text(before or "0")
        await official.click("#nav a[href='#/notifikasi']")
        mentioned = official.locator(".notification.is-unread[data-kind=MENTIONED]").first
        await expect(mentioned).to_contain_text(BODY)
        await check_screen(official, "inbox")
        await official.click("#nav a[href='#/antrian']")
        await arrived.locator("a").click()
        await official.click("details[data-action=acknowledge] summary")
        await official.click("form[data-action=acknowledge] button[type=submit]")
        await expect(official.locator("#report-view[data-badge=YELLOW]")).to_be_visible()
        await official.click("details[data-action=follow-up] summary")
        await official.fill("form[data-action=follow-up] textarea[name=note]", "Lampu sudah diganti.")
        await official.set_input_files("form[data-action=follow-up] input[name=photos]",
                                       [photo("terang.jpg", 8, gps=(PISANGAN_BARU[0] + 0.0002, PISANGAN_BARU[1]))])
        await official.click("form[data-action=follow-up] button[type=submit]")
        await expect(official.locator("#report-view[data-badge=GREEN]")).to_be_visible()
        # The proof photo keeps its GPS (sent as taken): the official sees how far from the report it was taken.
        await expect(official.locator(".distance")).to_contain_text(" m ")
        await check_screen(official, "report-official")

        # The resident's page turns green without a reload; the resident accepts the fix.
        await expect(page.locator("#report-view[data-badge=GREEN]")).to_be_visible()
        await page.select_option("form[data-action=accept] select[name=stars]", "5")
        await page.click("form[data-action=accept] button[type=submit]")
        await expect(page.locator("#report-view .timeline [data-kind=CLOSED]")).to_be_visible()
        assert (await gql(http, REPORT, {"id": report}, token))["report"]["status"] == "CLOSED"

        # The leader's ranking table: Pisangan Baru received one more report and followed up a larger share.
        await leader.locator(".lk-rankings").get_by_role("button", name="Muat ulang").click()
        await expect(row.locator('[data-col="received"]')).to_have_text(str(int(received) + 1))
        await expect(row.locator('[data-col="followUpRate"]')).not_to_have_text(followed)

        await no_overflow(page, size["width"])
        assert not errors and not official_errors and not leader_errors, errors + official_errors + leader_errors
        await context.close()
        await official_context.close()
        await leader_context.close()
        await browser.close()
