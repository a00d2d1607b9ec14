"""The flood view of the transparency page, in Debian's Chromium at a desktop's and a phone's size under the
page's own Content-Security-Policy, against a real server process with the demo data: Jakarta Timur's river
basins, drains, gauges and pump stations with four hours of readings (gauges at SIAGA_2 and SIAGA_1, a pump
station FAULT) and the day's flood reports.

The view shows what floodStatus answers over HTTP (the highest alert in words, pumps running of those installed,
stations down, flood reports of the last 24 hours), the gauges most dangerous first with their labels, the basins
and drains drawn and no street light, the faulty station down. Then the demo's telemetry gateway records readings
over HTTP and the page follows without a reload: a normal gauge turns Siaga 1 and climbs the list, the broken
station works again. The view is a tab kept in the URL, reached by keyboard, and a link opens it; a city without
assets (Kota Bogor) says so; on a phone nothing is wider than the screen, and English reads as English."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.async_api import Locator, async_playwright, expect

from testkit.browser import ARGS, ARTIFACTS, CHROMIUM, DESKTOP, PHONE
from testkit.pages import gql, no_overflow, open_page
from testkit.processes import ServerProcess, login

pytestmark = pytest.mark.timeout(180)
JAKARTA_TIMUR = "31.75"
GAUGE = "id code name alertLevel siaga1Cm"
STATUS = f"""query($area: ID) {{ floodStatus(areaId: $area) {{ highestAlert pumpStations pumpsRunning pumpsTotal
  pumpStationsDown floodReportsLast24h gauges {{ {GAUGE} }} }} }}"""
SHAPES = "{ basins: assets(kinds: [RIVER_BASIN]) { id } drains: assets(kinds: [DRAIN]) { id } }"
FAULTY = '{ assets(kinds: [PUMP_STATION], statuses: [FAULT]) { id code pumpsTotal } }'
RECORD = "mutation($id: ID!, $input: AssetReadingInput!) { recordAssetReading(assetId: $id, input: $input) { id } }"
LABELS = {"SIAGA_4": "Siaga 4", "SIAGA_3": "Siaga 3", "SIAGA_2": "Siaga 2", "SIAGA_1": "Siaga 1"}
WORDS = {"SIAGA_4": "Normal", "SIAGA_3": "Waspada", "SIAGA_2": "Kritis", "SIAGA_1": "Bencana"}


async def flood_status(http: httpx.AsyncClient, area: str) -> dict[str, Any]:
    return dict((await gql(http, STATUS, {"area": area}))["floodStatus"])


async def shows(view: Locator, status: dict[str, Any]) -> None:
    """The summary says what floodStatus says, in numbers and in words (waiting for a live refresh)."""

    def stat(name: str) -> Locator:
        return view.locator(f'.stat[data-stat="{name}"]')

    level = status["highestAlert"]
    await expect(stat("highestAlert")).to_have_attribute("data-value", level)
    await expect(stat("highestAlert").locator("dd")).to_have_text(f"{LABELS[level]} {WORDS[level]}")
    await expect(stat("pumpsRunning").locator("dd")).to_have_text(
        f"{status['pumpsRunning']} dari {status['pumpsTotal']}")
    await expect(stat("stationsDown").locator("dd")).to_have_text(
        f"{status['pumpStationsDown']} dari {status['pumpStations']}")
    await expect(stat("floodReports").locator("dd")).to_have_text(str(status["floodReportsLast24h"]))
    # The gauges as floodStatus lists them, most dangerous first, each with its label in words.
    await expect(view.locator(".gauge .asset-name")).to_have_text([g["name"] for g in status["gauges"]])
    await expect(view.locator(".gauge .alert-badge")).to_have_text([LABELS[g["alertLevel"]] for g in status["gauges"]])


async def test_the_flood_view_shows_the_picture_and_follows_it_live(demo_server: ServerProcess) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as playwright, httpx.AsyncClient(base_url=demo_server.url, timeout=30) as http:
        city = next(c for c in (await gql(http, "{ cities { code area { id } } }"))["cities"]
                    if c["code"] == JAKARTA_TIMUR)
        area = city["area"]["id"]
        before = await flood_status(http, area)
        levels = [g["alertLevel"] for g in before["gauges"]]
        assert levels[0] == "SIAGA_1" and levels.count("SIAGA_2") == 2 and before["pumpStationsDown"] == 1
        shapes = await gql(http, SHAPES)
        [faulty] = (await gql(http, FAULTY))["assets"]
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        # On a desktop, Jakarta Timur's reports; the flood tab by keyboard, kept in the URL beside the city.
        desktop, page, desktop_errors = await open_page(browser, f"{demo_server.url}/?city={JAKARTA_TIMUR}", DESKTOP)
        await page.get_by_role("tab", name="Laporan").focus()
        await page.keyboard.press("ArrowRight")
        await expect(page.get_by_role("tab", name="Banjir")).to_have_attribute("aria-selected", "true")
        await expect(page).to_have_url(re.compile(r"\?city=31\.75&view=banjir(#.*)?$"))
        view = page.get_by_role("tabpanel", name="Banjir")
        await expect(view).to_have_attribute("data-loaded", "true")
        await expect(page.locator("#feed-view")).to_be_hidden()
        await expect(page.locator("#filters select[name=category]")).to_be_hidden()  # it filters reports only
        await shows(view, before)

        # The map: every basin and drain drawn, gauges and stations as markers, and no street light.
        await expect(page.locator("#map path.flood-basin")).to_have_count(len(shapes["basins"]))
        await expect(page.locator("#map .basin-label")).to_have_count(len(shapes["basins"]))
        await expect(page.locator("#map path.flood-drain")).to_have_count(len(shapes["drains"]))
        await expect(page.locator("#map .gauge-marker")).to_have_count(len(before["gauges"]))
        await expect(page.locator("#map .station-marker")).to_have_count(before["pumpStations"])
        await expect(page.locator("#map .leaflet-marker-icon")).to_have_count(
            len(before["gauges"]) + before["pumpStations"])
        await expect(page.locator("#map path.flood-report")).to_have_count(before["floodReportsLast24h"])
        await expect(view.locator(".flood-report-list .card")).to_have_count(before["floodReportsLast24h"])

        # The broken station is down in words, in the list and on the map.
        station = view.locator(f'.station[data-code="{faulty["code"]}"]')
        await expect(station.locator(".status-badge")).to_have_text("Rusak")
        await expect(view.locator(".station").first).to_have_attribute("data-code", faulty["code"])  # first: urgent
        await expect(page.locator(f'#map .station-marker.is-down[data-code="{faulty["code"]}"]')).to_have_count(1)

        # From the list to the map: the most dangerous gauge's popup, its level against its thresholds.
        top = before["gauges"][0]
        await view.get_by_role("button", name=f"Lihat di peta: {top['name']}").click()
        popup = page.locator(f'.leaflet-popup .flood-popup[data-code="{top["code"]}"]')
        await expect(popup.locator(".alert-badge")).to_have_text("Siaga 1")
        await expect(popup.locator(".water-level")).to_have_text(re.compile(r"^Tinggi air \d+ cm$"))
        await expect(popup.locator(".thresholds")).to_have_text(  # \s: the no-break spaces that keep "1 ≥ 270" whole
            re.compile(rf"^Batas siaga: 3\s≥\s\d+ · 2\s≥\s\d+ · 1\s≥\s{top['siaga1Cm']}\scm$"))
        await expect(popup.locator(".last-reading time")).to_have_text(re.compile(r" WIB$"))
        await page.screenshot(path=str(ARTIFACTS / "flood-desktop.png"), animations="disabled")

        # Live: the gateway reads a normal gauge at its Siaga 1 mark; the page follows without a reload.
        gateway = await login(http, demo_server.url, "telemetri_sda")
        normal = next(g for g in before["gauges"] if g["alertLevel"] == "SIAGA_4")
        await gql(http, RECORD, {"id": normal["id"], "input": {"waterLevelCm": normal["siaga1Cm"]}}, gateway)
        item = view.locator(f'.gauge[data-code="{normal["code"]}"]')
        await expect(item.locator(".alert-badge")).to_have_text("Siaga 1")
        await expect(item.locator(".alert-words")).to_have_text("Bencana")
        await expect(page.locator(f'#map .gauge-marker[data-code="{normal["code"]}"]')).to_have_class(
            re.compile(r"\balert-SIAGA_1\b"))
        risen = await flood_status(http, area)
        assert [g["code"] for g in risen["gauges"]][:2] == sorted([top["code"], normal["code"]])
        await shows(view, risen)

        # The broken station works again with every pump: no station down, more pumps running.
        await gql(http, RECORD, {"id": faulty["id"], "input": {"status": "OK", "pumpsRunning": faulty["pumpsTotal"]}},
                  gateway)
        await expect(station.locator(".status-badge")).to_have_text("Berfungsi")
        await expect(page.locator("#map .station-marker.is-down")).to_have_count(0)
        repaired = await flood_status(http, area)
        assert repaired["pumpStationsDown"] == 0 and repaired["pumpsRunning"] > risen["pumpsRunning"]
        await shows(view, repaired)
        await page.screenshot(path=str(ARTIFACTS / "flood-desktop-live.png"), full_page=True)

        # Kota Bogor has no assets yet: nothing to draw, and the lists say so.
        await page.get_by_role("combobox", name="Kota", exact=True).select_option("32.71")
        await expect(page).to_have_url(re.compile(r"\?city=32\.71&view=banjir(#.*)?$"))
        await expect(view.locator("#flood-title")).to_have_text("Pantauan banjir · Kota Bogor")
        await expect(view.locator(".stat[data-stat=stationsDown] dd")).to_have_text("0 dari 0")
        await expect(view.get_by_text("Tidak ada pintu air atau pos pantau di sini.")).to_be_visible()
        await expect(page.locator("#map path.flood-basin")).to_have_count(0)

        # Back to the reports: the view leaves the URL, the clusters come back.
        await page.get_by_role("tab", name="Laporan").click()
        await expect(page).to_have_url(re.compile(r"\?city=32\.71(#.*)?$"))
        await expect(page.locator("#feed-view")).to_be_visible()
        await expect(page.locator("#map .leaflet-marker-icon")).to_have_count(0)
        await no_overflow(page, DESKTOP["width"])

        # On a phone, a link opens the flood view of the city; a report opens and leads back to it.
        phone, small, phone_errors = await open_page(
            browser, f"{demo_server.url}/?city={JAKARTA_TIMUR}&view=banjir", PHONE)
        small_view = small.get_by_role("tabpanel", name="Banjir")
        await expect(small_view).to_have_attribute("data-loaded", "true")
        await shows(small_view, repaired)
        await no_overflow(small, PHONE["width"])
        await small.screenshot(path=str(ARTIFACTS / "flood-phone.png"), full_page=True)
        await small_view.locator(".flood-report-list .card a").first.click()
        await expect(small.locator(".report")).to_be_visible()
        await expect(small_view).to_be_hidden()
        await small.get_by_role("link", name="← Kembali ke linimasa").click()
        await expect(small_view).to_be_visible()
        await expect(small.get_by_role("tab", name="Banjir")).to_have_attribute("aria-selected", "true")

        # English: the same view, its words in English, the level's label unchanged.
        await small.locator("#lang").click()
        await expect(small.locator("body")).to_have_attribute("data-ready", "true")
        english = small.get_by_role("tabpanel", name="Flood")
        await expect(english).to_have_attribute("data-loaded", "true")
        await expect(english.locator(".stat[data-stat=highestAlert] dd")).to_have_text("Siaga 1 Disaster")
        await expect(english.locator(".stat[data-stat=pumpsRunning] dt")).to_have_text("Pumps running")
        await expect(english.locator(f'.station[data-code="{faulty["code"]}"] .status-badge')).to_have_text("Working")
        await no_overflow(small, PHONE["width"])
        await small.screenshot(path=str(ARTIFACTS / "flood-phone-english.png"), full_page=True)
        assert desktop_errors == [] and phone_errors == []
        await desktop.close()
        await phone.close()
        await browser.close()
