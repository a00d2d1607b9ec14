"""Many cities on the transparency page, in Debian's Chromium at a desktop's and a phone's size, against a real
server process with the demo data: Jakarta Timur (the partner) and part of Kota Bogor (not a partner, with its
own catalog).

A resident of Sempur (Bogor) reports an angkot, and another report lies outside every city. Picking Kota Bogor
shows Bogor's reports alone, that one with the grey badge of a report nobody handles and no deadline, and Bogor's
catalog (ANGKOT_NGETEM, which Jakarta Timur's lacks); the map moves to Bogor; the choice is in the URL, so a link
opens the city; "all" shows every city again. The page runs under its own Content-Security-Policy; the waits are
Playwright's locators, which need no eval."""

from __future__ import annotations

import asyncio
import re

import httpx
import orjson
import pytest
from playwright.async_api import (
    Page,
    async_playwright,
    expect,
)

from demo.photos import sample_photo
from testkit.browser import ARGS, ARTIFACTS, CHROMIUM, DESKTOP, PHONE
from testkit.pages import no_overflow, open_page
from testkit.processes import ServerProcess, login
from testkit.reports import PISANGAN_BARU

pytestmark = pytest.mark.timeout(180)
CREATE = "mutation($input: CreateReportInput!) { createReport(input: $input) { id } }"
SEMPUR = (-6.586752, 106.798557)  # a kelurahan of Kota Bogor (32.71.03.1006), at its centroid
SEMARANG = (-6.9932, 110.4203)  # in no city the demo knows
ANGKOT = "Angkot ngetem di mulut gang Sempur, antre sampai ke tikungan."
TROTOAR = "Trotoar ambles di Simpang Lima, pejalan kaki turun ke jalan."
UNHANDLED = "Belum ditangani: kota belum bermitra"
OUTSIDE = "Di luar wilayah kota mitra"


async def report(http: httpx.AsyncClient, token: str, body: str, category: str, where: tuple[float, float]) -> str:
    """A report with one photo, posted as the app posts it (the GraphQL multipart request spec); its id."""
    variables = {"input": {"body": body, "categoryCode": category, "lat": where[0], "lng": where[1],
                           "photos": [None]}}
    headers = {"authorization": f"Bearer {token}", "apollo-require-preflight": "1"}
    response = await http.post("/graphql", headers=headers,
                               data={"operations": orjson.dumps({"query": CREATE, "variables": variables}).decode(),
                                     "map": orjson.dumps({"0": ["variables.input.photos.0"]}).decode()},
                               files={"0": ("p.jpg", sample_photo(len(body)), "image/jpeg")})
    result = response.json()
    assert not result.get("errors"), result
    return str(result["data"]["createReport"]["id"])


async def only_city(page: Page, code: str) -> None:
    """Every card of the feed is of this city (once the feed of the choice has replaced the one before)."""
    await expect(page.locator(f'#feed .card:not([data-city="{code}"])')).to_have_count(0)
    await expect(page.locator(f'#feed .card[data-city="{code}"]').first).to_be_visible()


async def map_shows(page: Page, point: tuple[float, float], at_most_degrees: float) -> None:
    """The map's markers cover the point in a box at most this tall (a city, not every city)."""
    box = page.locator("#map")
    await box.scroll_into_view_if_needed()  # on a phone, below the reports: Leaflet loads once it is seen
    for _ in range(100):
        south, west, north, east = map(float, (await box.get_attribute("data-bbox") or "0,0,0,0").split(","))
        if south <= point[0] <= north and west <= point[1] <= east and north - south <= at_most_degrees:
            await expect(box).not_to_have_attribute("data-markers", "0")
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the map shows {south},{west} to {north},{east}, not {point}")


async def test_a_city_is_picked_linked_and_unpicked(demo_server: ServerProcess) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as playwright, httpx.AsyncClient(base_url=demo_server.url, timeout=30) as http:
        rina = await login(http, demo_server.url, "rina")  # the demo's resident of Sempur
        angkot = await report(http, rina, ANGKOT, "ANGKOT_NGETEM", SEMPUR)
        outside = await report(http, rina, TROTOAR, "FASUM", SEMARANG)
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        # On a desktop, every city by default: partners first, a city that has not signed on says so.
        desktop, page, desktop_errors = await open_page(browser, demo_server.url + "/", DESKTOP)
        picker = page.get_by_role("combobox", name="Kota", exact=True)
        await expect(picker).to_have_value("")
        await expect(picker.locator("option")).to_have_text(["Semua kota", "Jakarta Timur",
                                                             "Kota Bogor — belum bermitra"])
        await expect(page.locator('#feed .card[data-city="31.75"]').first).to_be_visible()
        await expect(page.locator(f'#feed .card[data-report-id="{angkot}"]')).to_be_visible()
        await expect(page.locator(f'#feed .card[data-report-id="{outside}"] .badge-unhandled')).to_have_text(OUTSIDE)

        # Kota Bogor: its reports alone, unhandled and without a deadline, its catalog, its kecamatan, its area.
        await picker.select_option("32.71")
        await expect(page).to_have_url(re.compile(r"\?city=32\.71$"))
        await expect(page).to_have_title("Warga — Laporan Warga · Kota Bogor")
        await only_city(page, "32.71")
        card = page.locator(f'#feed .card[data-report-id="{angkot}"]')
        await expect(card.locator(".badge-unhandled")).to_have_text(UNHANDLED)
        await expect(card.locator(".due")).to_have_count(0)
        await expect(page.locator("#feed .card .due")).to_have_count(0)
        await expect(page.locator(f'#feed .card[data-report-id="{outside}"]')).to_have_count(0)
        category = page.locator("#filters select[name=category]")
        await expect(category.locator('option[value="ANGKOT_NGETEM"]')).to_have_text("Angkot ngetem sembarangan")
        await expect(page.locator("#filters select[name=district] option")).to_have_text(
            ["Semua", "Bogor Tengah", "Bogor Utara"])
        await map_shows(page, SEMPUR, 0.2)
        await page.screenshot(path=str(ARTIFACTS / "cities-bogor-desktop.png"))

        # Bogor's own category filters the feed like any other.
        await category.select_option("ANGKOT_NGETEM")
        await expect(page.locator("#feed .card .category").filter(has_not_text="Angkot ngetem")).to_have_count(0)
        await expect(card).to_be_visible()

        # The report's page says plainly that nobody handles it, and gives its time in the city's zone.
        await card.locator("a").click()
        article = page.locator(f'.report[data-report-id="{angkot}"]')
        await expect(article.locator(".badge-unhandled")).to_have_text(UNHANDLED)
        await expect(article.locator(".unhandled-note")).to_contain_text("Kota Bogor belum bermitra")
        await expect(article.locator(".due")).to_have_count(0)
        await expect(article.locator("p.small time").first).to_have_text(re.compile(r" WIB$"))
        await page.get_by_role("link", name="← Kembali ke linimasa").click()

        # Jakarta Timur, by keyboard: handled reports with their deadlines, and no Bogor category (the one picked
        # is not offered there, so the category goes back to all).
        await picker.focus()
        await page.keyboard.press("ArrowUp")
        await expect(picker).to_have_value("31.75")
        await expect(page).to_have_url(re.compile(r"\?city=31\.75(#.*)?$"))  # the hash of the feed, "#/"
        await only_city(page, "31.75")
        await expect(category.locator('option[value="ANGKOT_NGETEM"]')).to_have_count(0)
        await expect(category).to_have_value("")
        await expect(page.locator("#feed .badge-unhandled")).to_have_count(0)
        await expect(page.locator("#feed .card .due").first).to_have_text(re.compile(r"^Tenggat .+ WIB$"))
        await map_shows(page, PISANGAN_BARU, 0.5)

        # All of them again: both cities, the national catalog, and nothing left in the URL.
        await picker.select_option("")
        await expect(page).to_have_url(re.compile(rf"^{re.escape(demo_server.url)}/(#.*)?$"))
        await expect(page.locator(f'#feed .card[data-report-id="{angkot}"]')).to_be_visible()
        await expect(page.locator('#feed .card[data-city="31.75"]').first).to_be_visible()
        await expect(category.locator('option[value="ANGKOT_NGETEM"]')).to_have_count(0)
        await expect(category.locator('option[value="SAMPAH"]')).to_have_count(1)
        await no_overflow(page, DESKTOP["width"])
        # The demo's cities are all on WIB; a city further east reads its times in its own zone, named.
        zoned = await page.evaluate("""async () => { const { formatTime } = await import("/static/i18n.js");
          return ["Asia/Makassar", "Asia/Jayapura"].map((zone) => formatTime("2026-11-24T01:30:00Z", zone)); }""")
        assert zoned == ["24 Nov 2026, 09.30 WITA", "24 Nov 2026, 10.30 WIT"]

        # On a phone, a link to Kota Bogor opens it picked, with nothing wider than the screen.
        phone, small, phone_errors = await open_page(browser, demo_server.url + "/?city=32.71", PHONE)
        small_picker = small.get_by_role("combobox", name="Kota", exact=True)
        await expect(small_picker).to_have_value("32.71")
        await only_city(small, "32.71")
        await expect(small.locator(f'#feed .card[data-report-id="{angkot}"] .badge-unhandled')).to_have_text(UNHANDLED)
        await expect(small.locator('#filters select[name=category] option[value="ANGKOT_NGETEM"]')).to_have_count(1)
        await map_shows(small, SEMPUR, 0.2)
        await no_overflow(small, PHONE["width"])
        await small.screenshot(path=str(ARTIFACTS / "cities-bogor-phone.png"), full_page=True)
        await small.locator(f'#feed .card[data-report-id="{angkot}"] a').click()
        await expect(small.locator(".report .unhandled-note")).to_be_visible()
        await no_overflow(small, PHONE["width"])
        await small.get_by_role("link", name="← Kembali ke linimasa").click()
        await small_picker.select_option("")
        await expect(small.locator('#feed .card[data-city="31.75"]').first).to_be_visible()
        await expect(small.locator(f'#feed .card[data-report-id="{angkot}"]')).to_be_visible()
        await expect(small).to_have_url(re.compile(rf"^{re.escape(demo_server.url)}/(#.*)?$"))

        # A city Warga does not know, in a link: every city.
        await small.goto(demo_server.url + "/?city=99.99")
        await expect(small.locator("body")).to_have_attribute("data-ready", "true")
        await expect(small_picker).to_have_value("")
        await expect(small.locator('#feed .card[data-city="31.75"]').first).to_be_visible()
        assert desktop_errors == [] and phone_errors == []
        await desktop.close()
        await phone.close()
        await browser.close()
