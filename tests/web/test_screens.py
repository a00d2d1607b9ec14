"""The app's other screens in Chromium at a phone's size and a desktop's, each photographed and scanned by axe-core:
a new resident registers and lands on the posting screen, reads an empty home timeline and signs out; the
kelurahan's verifier judges an RT head's duty report, oldest first; the lurah keeps a report a resident flagged,
with a reason; and the flood view of the public part."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import ViewportSize, async_playwright, expect

from testkit.axe import check_screen
from testkit.browser import ARGS, CHROMIUM, DESKTOP, PHONE
from testkit.pages import gql, no_overflow, open_app
from testkit.processes import ServerProcess, create, login

pytestmark = pytest.mark.timeout(240)
FLAG = "mutation($r: ID!) { flagReport(reportId: $r, reason: \"Foto ini bukan di lokasi, menyesatkan.\") }"
REPORT = "query($r: ID!) { report(id: $r) { hidden verification { verdict } timeline { kind note } } }"


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_register_home_verify_moderate_and_flood(demo_server: ServerProcess, size: ViewportSize) -> None:
    width = size["width"]
    async with async_playwright() as playwright, httpx.AsyncClient(base_url=demo_server.url, timeout=30) as http:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context, page, errors = await open_app(browser, demo_server.url + "/#/daftar", size)
        await check_screen(page, "register")
        form = page.locator(".register-form")
        await form.locator("input[name=handle]").fill(f"dewi{width}")
        await form.locator("input[name=displayName]").fill("Dewi Lestari")
        await form.locator("input[name=password]").fill("pendek")
        await form.locator("button[type=submit]").click()
        await expect(form.locator(".error")).not_to_be_empty()  # too short: the server says what is wrong
        await form.locator("input[name=password]").fill("kata-sandi-panjang")
        await form.locator("button[type=submit]").click()
        await expect(page.locator("body")).to_have_attribute("data-viewer", f"dewi{width}")
        await expect(page.locator(".post-form")).to_be_visible()
        await page.click("#nav a[href='#/beranda']")
        await expect(page.locator("#screen .empty")).to_be_visible()
        await check_screen(page, "home")
        await page.click("#signout")
        await expect(page.locator("#nav a[href='#/beranda']")).to_be_hidden()
        await expect(page.locator("#screen")).to_contain_text("Masuk atau daftar dulu")

        # The verifier: the RT head's duty report, judged valid in one tap.
        rt = await login(http, demo_server.url, "ketua_rt001")
        duty = await create(http, demo_server.url, rt, f"Laporan tugas RT 001 ({width}): selokan dibersihkan",
                            kind="DUTY", category="KEBERSIHAN")
        verifier_context, verifier, verifier_errors = await open_app(browser, demo_server.url, size,
                                                                     "sekel_pisanganbaru")
        await verifier.click("#nav a[href='#/verifikasi']")
        item = verifier.locator(f".verify-list [data-report-id='{duty}']")
        await expect(item).to_be_visible()
        await check_screen(verifier, "verify")
        await item.get_by_role("button", name="Sah", exact=True).click()
        await expect(item).to_have_attribute("data-verdict", "VALID")
        assert (await gql(http, REPORT, {"r": duty}))["report"]["verification"]["verdict"] == "VALID"

        # The lurah: a resident's flag, decided with a reason the timeline keeps.
        budi = await login(http, demo_server.url, "budi")
        flagged = await create(http, demo_server.url, budi, f"Sampah di gang Haji Ung ({width})")
        await gql(http, FLAG, {"r": flagged}, await login(http, demo_server.url, "siti"))
        lurah_context, lurah, lurah_errors = await open_app(browser, demo_server.url, size, "lurah_pisanganbaru")
        await lurah.click("#nav a[href='#/moderasi']")
        decision = lurah.locator(f".flag-list [data-report-id='{flagged}']")
        await expect(decision).to_contain_text("bukan di lokasi")
        await check_screen(lurah, "flags")
        await decision.locator("details[data-action=keep] summary").click()
        await decision.locator("form[data-action=keep] textarea").fill("Foto sesuai, sudah dicek ke lokasi.")
        await decision.locator("form[data-action=keep] button[type=submit]").click()
        await expect(decision).to_contain_text("tetap tampil")
        kept = (await gql(http, REPORT, {"r": flagged}, await login(http, demo_server.url, "lurah_pisanganbaru")))
        assert not kept["report"]["hidden"]

        # The public part's flood view.
        await page.goto(demo_server.url + "/?view=banjir")
        await expect(page.locator("#flood-view .flood-summary")).to_be_visible()
        await check_screen(page, "flood")
        for p in (page, verifier, lurah):
            await no_overflow(p, width)
        assert not errors and not verifier_errors and not lurah_errors, errors + verifier_errors + lurah_errors
        for c in (context, verifier_context, lurah_context):
            await c.close()
        await browser.close()
