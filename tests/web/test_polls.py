"""Signing in, polls and the officials' watch on the transparency page, in Debian's Chromium at a phone's
and a desktop's size, against a real server process with the demo data.

A resident of Pisangan Baru votes in the lurah's poll, sees the bars, changes the vote and sees a
neighbour's vote arrive live (pollUpdated); an account younger than a day hears the API's refusal; the
lurah sees his kelurahan's trending topics, with sample reports that open the report's page, and a surge.
The page runs under its own Content-Security-Policy here (no bypass), so the bars' widths must be set in a
way the policy allows; the waits are Playwright's locators, which need no eval."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    ViewportSize,
    async_playwright,
    expect,
)

from demo.loader import DEMO_PASSWORD
from testkit.aging import backdate_accounts
from testkit.browser import ARGS, ARTIFACTS, CHROMIUM, DESKTOP, PHONE
from testkit.pages import gql
from testkit.processes import ServerProcess, create, login

pytestmark = pytest.mark.timeout(240)
OPTIONS = ["Dekat pasar", "Di belakang kantor kelurahan", "Di tepi kali (dengan tanggul)"]
QUESTION = "Di mana sebaiknya depo sampah baru dibangun?"
CREATE_ACCOUNT = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { handle } }"
CREATE_POLL = "mutation($i: CreatePollInput!) { createPoll(input: $i) { id status options { id label } } }"
VOTE = "mutation($p: ID!, $o: ID!) { vote(pollId: $p, optionId: $o) { totalVotes } }"
# A complaint that five residents post within the hour: a surge of SAMPAH in Pisangan Baru, and its words trend.
COMPLAINT = "Sampah menggunung di gang {n}, baunya menyengat dan belum diangkut petugas."


async def prepare(server: ServerProcess, http: httpx.AsyncClient) -> tuple[str, list[str]]:
    """Three residents of Pisangan Baru (two of them two days old), the lurah's open poll, five complaints."""
    admin = await login(http, server.url, "admin")
    villages = (await gql(http, "{ areas(level: VILLAGE) { id name } }"))["areas"]
    pisangan_baru = next(a["id"] for a in villages if a["name"] == "Pisangan Baru")
    for handle in ("warga_satu", "warga_dua", "warga_baru"):
        await gql(http, CREATE_ACCOUNT, {"i": {"handle": handle, "displayName": handle.replace("_", " ").title(),
                                               "password": DEMO_PASSWORD, "role": "CITIZEN",
                                               "areaId": pisangan_baru}}, admin)
    # Accounts vote from one day old: two of them signed up two days ago (the server reads the age from the
    # database on every request; core.clock cannot reach another process). warga_baru stays new.
    await backdate_accounts(server.env["WARGA_DATABASE_URL"], "warga_satu", "warga_dua")
    lurah = await login(http, server.url, "lurah_pisanganbaru")
    closes = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    poll = (await gql(http, CREATE_POLL, {"i": {"question": QUESTION, "options": OPTIONS, "areaId": pisangan_baru,
                                                "closesAt": closes}}, lurah))["createPoll"]
    assert poll["status"] == "OPEN"
    resident = await login(http, server.url, "budi")
    for n in range(5):
        await create(http, server.url, resident, COMPLAINT.format(n=n + 1))
    return poll["id"], [o["id"] for o in poll["options"]]


class Watch:
    """A page's uncaught errors and the policy's refusals (the console reports those)."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self.console)

    def console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.errors.append(message.text)


async def open_page(browser: Browser, url: str, viewport: ViewportSize) -> tuple[BrowserContext, Page, Watch]:
    context = await browser.new_context(viewport=viewport)  # its own sessionStorage: its own sign-in
    page = await context.new_page()
    watch = Watch(page)
    await page.goto(url + "/")
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")
    await expect(page.locator("#live")).to_have_attribute("data-state", "live")
    return context, page, watch


async def sign_in(page: Page, handle: str) -> None:
    await page.get_by_role("button", name="Masuk", exact=True).click()
    await page.get_by_label("Nama pengguna").fill(handle)
    await page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    await page.locator("#signin").get_by_role("button", name="Masuk", exact=True).click()
    await expect(page.locator("body")).to_have_attribute("data-viewer", handle)
    await expect(page.locator("#whoami")).to_have_text(f"@{handle}")


async def sign_out(page: Page) -> None:
    await page.get_by_role("button", name="Keluar").click()
    await expect(page.locator("body")).to_have_attribute("data-viewer", "")
    await expect(page.get_by_role("button", name="Masuk", exact=True)).to_be_visible()


def option(card: Locator, option_id: str) -> Locator:
    return card.locator(f'.option[data-option-id="{option_id}"]')


async def no_overflow(page: Page, width: int) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth") <= width
    # Nothing inside a panel sticks out of it either (a long word, a bar, a button).
    wide = await page.evaluate("""() => [...document.querySelectorAll('.panel *')].filter(e => {
        const r = e.getBoundingClientRect(); return r.width > 0 && r.right > window.innerWidth + 0.5;
      }).map(e => e.className || e.tagName)""")
    assert wide == []


async def test_a_resident_votes_and_an_official_watches(demo_server: ServerProcess) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as playwright, httpx.AsyncClient(base_url=demo_server.url, timeout=30) as http:
        poll_id, option_ids = await prepare(demo_server, http)
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        # On a phone, signed out: the city's open poll, read-only, its counts hidden.
        phone, page, phone_watch = await open_page(browser, demo_server.url, PHONE)
        card = page.locator(f'.poll[data-poll-id="{poll_id}"]')
        await expect(card.locator(".question")).to_have_text(QUESTION)
        await expect(card).to_have_attribute("data-results", "hidden")
        await expect(card.locator("input[type=radio]")).to_have_count(0)
        await expect(page.locator("#polls .note")).to_have_text("Masuk untuk ikut memilih.")
        await expect(page.locator("#insights")).to_be_hidden()

        # A resident of Pisangan Baru signs in: the polls of their area, to vote in; results after voting.
        await sign_in(page, "warga_satu")
        await expect(page.locator("#polls-title")).to_contain_text("Pisangan Baru")
        await expect(card.locator("input[type=radio]")).to_have_count(3)
        await expect(card.locator(".hidden-results")).to_have_text(
            "Hasil tampil setelah Anda memilih atau saat jajak pendapat ditutup.")
        await expect(page.locator("#insights")).to_be_hidden()  # residents do not watch
        await card.get_by_label(OPTIONS[0]).check()
        await card.get_by_role("button", name="Kirim pilihan").click()
        await expect(card).to_have_attribute("data-results", "shown")
        await expect(card.locator(".poll-message")).to_have_text("Pilihan Anda tersimpan.")
        await expect(option(card, option_ids[0])).to_have_attribute("data-votes", "1")
        await expect(option(card, option_ids[0])).to_have_class("option chosen")
        await expect(option(card, option_ids[0]).locator(".count")).to_have_text("1 suara · 100%")
        assert await option(card, option_ids[0]).locator(".fill").evaluate("e => e.style.width") == "100%"

        # A change of mind moves the vote.
        await card.get_by_label(OPTIONS[1]).check()
        await card.get_by_role("button", name="Ubah pilihan").click()
        await expect(card.locator(".poll-message")).to_have_text("Pilihan Anda diubah.")
        await expect(option(card, option_ids[1])).to_have_attribute("data-votes", "1")
        await expect(option(card, option_ids[0])).to_have_attribute("data-votes", "0")
        await expect(card.locator(".option.chosen")).to_have_attribute("data-option-id", option_ids[1])

        # A neighbour votes from their own phone: the bars move without a reload.
        neighbour = await login(http, demo_server.url, "warga_dua")
        await gql(http, VOTE, {"p": poll_id, "o": option_ids[2]}, neighbour)
        await expect(option(card, option_ids[2])).to_have_attribute("data-votes", "1")
        await expect(card.locator(".total")).to_have_text("Total 2 suara")
        await expect(option(card, option_ids[1]).locator(".count")).to_have_text("1 suara · 50%")
        await expect(card.locator(".option.chosen")).to_have_attribute("data-option-id", option_ids[1])
        await no_overflow(page, PHONE["width"])
        await card.scroll_into_view_if_needed()
        await page.screenshot(path=str(ARTIFACTS / "polls-phone.png"))

        # The same resident changes their mind from another device until the vote's rate limit stops them: each
        # change arrives live, and the page's next change hears RATE_LIMITED, said in Indonesian with the wait.
        own = await login(http, demo_server.url, "warga_satu")
        last = None
        for n in range(12):
            answer = (await http.post("/graphql", headers={"authorization": f"Bearer {own}"}, json={
                "query": VOTE, "variables": {"p": poll_id, "o": option_ids[n % 2]}})).json()
            if answer.get("errors"):
                assert answer["errors"][0]["extensions"]["code"] == "RATE_LIMITED", answer
                break
            last = option_ids[n % 2]
        assert last is not None and n < 11, "the vote's rate limit never answered"
        await expect(card.locator(".option.chosen")).to_have_attribute("data-option-id", last)
        other = OPTIONS[0] if last == option_ids[1] else OPTIONS[1]
        await card.get_by_label(other).check()
        await card.get_by_role("button", name="Ubah pilihan").click()
        await expect(card.get_by_role("alert")).to_have_text(re.compile(r"^Terlalu sering\. Coba lagi dalam \d+ detik"))
        await expect(card.locator(".option.chosen")).to_have_attribute("data-option-id", last)
        await expect(card.get_by_role("button", name="Ubah pilihan")).to_be_enabled()
        await page.screenshot(path=str(ARTIFACTS / "polls-phone-rate-limited.png"))

        # On a desktop, an account made today: no form to be refused, but the reason, and the counts stay hidden.
        desktop, page2, desktop_watch = await open_page(browser, demo_server.url, DESKTOP)
        await sign_in(page2, "warga_baru")
        card2 = page2.locator(f'.poll[data-poll-id="{poll_id}"]')
        await expect(card2.locator(".why-not")).to_have_text(
            "Akun Anda masih baru: Anda dapat memilih mulai satu hari setelah mendaftar.")
        await expect(card2.locator("input[type=radio]")).to_have_count(0)
        await expect(card2).to_have_attribute("data-results", "hidden")
        await expect(card2.locator(".hidden-results")).to_have_text("Hasil tampil saat jajak pendapat ditutup.")
        # The API agrees, with the code the page would show.
        young = await login(http, demo_server.url, "warga_baru")
        refused = (await http.post("/graphql", headers={"authorization": f"Bearer {young}"}, json={
            "query": VOTE, "variables": {"p": poll_id, "o": option_ids[0]}})).json()
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        await no_overflow(page2, DESKTOP["width"])
        await page2.screenshot(path=str(ARTIFACTS / "polls-desktop.png"))

        # The lurah: his poll with every count and the turnout by kelurahan, and the watch of his kelurahan.
        await sign_out(page2)
        await sign_in(page2, "lurah_pisanganbaru")
        insights = page2.locator("#insights")
        await expect(insights).to_be_visible()
        await expect(insights).to_have_attribute("data-loaded", "true")
        await expect(page2.locator("#insights-title")).to_have_text("Pantauan Pisangan Baru")
        await expect(card2.locator(".total")).to_have_text("Total 2 suara")
        await expect(card2.locator(".turnout li")).to_have_count(1)
        await expect(card2.locator(".turnout li")).to_contain_text("Pisangan Baru")
        topic = insights.locator(".topic").filter(has=page2.locator(".term", has_text="menggunung"))
        await expect(topic).to_have_count(1)
        await expect(topic.locator("p.small")).to_have_text("5 laporan & komentar · sebelumnya 0")
        await expect(topic.locator(".growth")).to_have_text("naik 6×")
        await expect(topic.locator(".samples a")).to_have_count(3)
        surge = insights.locator('.surge[data-category="SAMPAH"]')
        await expect(surge).to_have_count(1)
        await expect(surge.locator("strong")).to_have_text("Sampah di Pisangan Baru")
        await no_overflow(page2, DESKTOP["width"])
        await page2.screenshot(path=str(ARTIFACTS / "officials-desktop.png"))

        # A sample report opens the report's page.
        await topic.locator(".samples summary").click()
        sample = topic.locator(".samples a").first
        report_id = await sample.get_attribute("data-report-id")
        await sample.click()
        await expect(page2.locator(f'.report[data-report-id="{report_id}"] .body')).to_contain_text("menggunung")
        await page2.get_by_role("link", name="← Kembali ke linimasa").click()
        await expect(insights).to_be_visible()

        # In English, still signed in (the token lives in the tab's sessionStorage, across the reload).
        await page2.get_by_role("button", name="Ganti bahasa ke English").click()
        await expect(page2.locator("#insights-title")).to_have_text("Watching Pisangan Baru")
        await expect(page2.locator("#whoami")).to_have_text("@lurah_pisanganbaru")
        await expect(card2.locator(".total")).to_have_text("2 votes in all")
        await expect(insights.locator('.surge[data-category="SAMPAH"] strong')).to_have_text("Sampah in Pisangan Baru")
        await page2.get_by_role("button", name="switch to Bahasa Indonesia").click()
        await expect(page2.locator("#insights-title")).to_have_text("Pantauan Pisangan Baru")

        # The same watch on the phone.
        await sign_out(page)
        await sign_in(page, "lurah_pisanganbaru")
        await expect(page.locator('#insights .surge[data-category="SAMPAH"]')).to_have_count(1)
        await expect(page.locator("#insights .topic").first).to_be_visible()
        await no_overflow(page, PHONE["width"])
        await page.screenshot(path=str(ARTIFACTS / "officials-phone.png"), full_page=True)
        assert phone_watch.errors == [] and desktop_watch.errors == []
        await phone.close()
        await desktop.close()
        await browser.close()
