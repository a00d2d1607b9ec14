"""The RT/RW duty screen (#/tugas) in Debian's Chromium at a phone's and a desktop's size, under the page's own
Content-Security-Policy, against a real server process with the demo data.

Ketua RT 001 of Pisangan Baru has sent one duty report today (over HTTP): the screen counts it against the three a
day and shows its verdict, which turns VALID live when the kelurahan's verifier marks it. On the phone, with the
location granted inside his RT, he takes a photo (a real JPEG), changes the prefilled text and sends: the answer is
lost on the way (the server made the report, the phone hears a network error, the live socket brings the new
report into today's count), he taps Kirim again, and the retry carries the same request key, so the server answers
with the same report — one report, not two: the count goes from 1 to 2 and stays there. On a desktop without the
location permission the screen says the location was denied."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, Request, Route, async_playwright, expect

from demo.photos import sample_photo
from testkit.axe import check_screen
from testkit.browser import ARGS, ARTIFACTS, CHROMIUM, DESKTOP, PHONE
from testkit.pages import gql, no_overflow, open_page, sign_in
from testkit.processes import ServerProcess, create, login
from testkit.reports import PISANGAN_BARU

pytestmark = pytest.mark.timeout(240)
VERIFY = "mutation($id: ID!, $v: Verdict!) { verify(reportId: $id, verdict: $v) { id } }"
TODAY = """query($f: ReportFilter) { feed(filter: $f, first: 50) { edges { node { id kind body category { code }
  author { handle } verification { verdict } } } } }"""
JAKARTA = timedelta(hours=7)


def start_of_today() -> str:
    """Midnight in Jakarta, as the screen counts today."""
    now = datetime.now(UTC) + JAKARTA
    return f"{now.date().isoformat()}T00:00:00+07:00"


async def todays_duty(http: httpx.AsyncClient, author_id: str) -> list[dict[str, Any]]:
    data = await gql(http, TODAY, {"f": {"kind": "DUTY", "authorId": author_id, "since": start_of_today()}})
    return [edge["node"] for edge in data["feed"]["edges"]]


async def open_duty(page: Page) -> None:
    await page.locator('#nav a[data-screen="tugas"]').click()
    await expect(page.get_by_role("heading", level=1, name="Laporan tugas RT/RW")).to_be_visible()
    await expect(page.locator(".dt-count")).to_have_attribute("data-count", re.compile(r"^\d+$"))


async def test_an_rt_head_sends_a_duty_report_in_three_taps(demo_server: ServerProcess) -> None:
    async with async_playwright() as playwright, httpx.AsyncClient(base_url=demo_server.url, timeout=30) as http:
        token = await login(http, demo_server.url, "ketua_rt001")
        me = (await gql(http, "{ me { id } }", token=token))["me"]["id"]
        first = await create(http, demo_server.url, token, "Laporan tugas RT/RW pagi: jalan lingkungan bersih",
                             kind="DUTY", category="KEBERSIHAN")
        assert [r["id"] for r in await todays_duty(http, me)] == [first]
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        # On the phone, inside his RT, the location allowed.
        phone, page, errors = await open_page(browser, demo_server.url + "/", PHONE)
        await phone.grant_permissions(["geolocation"], origin=demo_server.url)
        await phone.set_geolocation({"latitude": PISANGAN_BARU[0], "longitude": PISANGAN_BARU[1], "accuracy": 12})
        await sign_in(page, "ketua_rt001")
        await open_duty(page)
        count = page.locator(".dt-count")
        await expect(count).to_have_text("1 dari 3 laporan hari ini")
        await expect(page.locator(f'.dt-list li[data-report-id="{first}"] .dt-verdict')).to_have_text(
            "Menunggu verifikasi")
        # The verifier marks it valid: the verdict shows without a reload.
        verifier = await login(http, demo_server.url, "sekel_pisanganbaru")
        await gql(http, VERIFY, {"id": first, "v": "VALID"}, verifier)
        await expect(page.locator(f'.dt-list li[data-report-id="{first}"] .dt-verdict')).to_have_text("Valid")

        # Step 2 filled itself: the location, the duty's category, a text to keep or change.
        location = page.locator(".dt-location")
        await expect(location).to_have_attribute("data-state", "ok")
        await expect(location).to_have_text("Lokasi: -6.21170, 106.86900 (±12 m)")
        await expect(page.locator(".dt-category")).to_have_text("Kategori: Kebersihan")
        body = page.get_by_label("Keterangan")
        await expect(body).to_have_value(re.compile(r"^Laporan tugas RT/RW \d{1,2} \w+ \d{4}$"))
        await no_overflow(page, PHONE["width"])
        await check_screen(page, "duty")

        # Tap 1: the photo (the big button is the file input's label).
        await page.get_by_label("Ambil foto").set_input_files(
            {"name": "tugas.jpg", "mimeType": "image/jpeg", "buffer": sample_photo(12, "RT 001 sore")})
        await expect(page.locator(".dt-preview img")).to_have_count(1)
        await expect(page.locator(".dt-photo-button")).to_contain_text("Ganti foto")
        await body.fill("Laporan tugas RT/RW sore: selokan gang 3 sudah bersih")

        # Tap 3: send. The first answer is lost after the server made the report; the retry is the same request.
        keys: list[str] = []

        async def lossy(route: Route, request: Request) -> None:
            if request.method != "POST" or "multipart/form-data" not in (request.headers.get("content-type") or ""):
                await route.continue_()
                return
            operations = re.search(rb'name="operations"\r\n\r\n(.*?)\r\n--', request.post_data_buffer or b"", re.S)
            assert operations is not None
            keys.append(json.loads(operations.group(1))["variables"]["input"]["clientMutationId"])
            if len(keys) == 1:
                await route.fetch()  # the server makes the report …
                await route.abort("internetdisconnected")  # … and the phone never hears of it
            else:
                await route.continue_()

        await page.route("**/graphql", lossy)
        send = page.get_by_role("button", name="Kirim", exact=True)
        await send.click()
        await expect(page.get_by_role("alert")).to_have_text(
            "Tidak tersambung ke server. Periksa koneksi Anda lalu coba lagi.")
        # The report the server made arrives over the live socket meanwhile: today's count already says 2.
        await expect(count).to_have_text("2 dari 3 laporan hari ini")
        await send.click()
        await expect(page.locator(".dt-sent")).to_have_text("Laporan tugas terkirim.")
        await expect(count).to_have_text("2 dari 3 laporan hari ini")  # the retry made no second report
        assert len(keys) == 2 and keys[0] == keys[1] and len(keys[0]) >= 32
        await expect(page.locator(".dt-list li")).to_have_count(2)
        await expect(page.locator(".dt-preview img")).to_have_count(0)  # ready for the next one

        # The API agrees: one new DUTY report, with his text, in the duty category, waiting for its verdict.
        reports = await todays_duty(http, me)
        assert len(reports) == 2 and reports[1]["id"] == first
        newest = reports[0]
        assert newest["kind"] == "DUTY" and newest["author"]["handle"] == "ketua_rt001"
        assert newest["body"] == "Laporan tugas RT/RW sore: selokan gang 3 sudah bersih"
        assert newest["category"]["code"] == "KEBERSIHAN" and newest["verification"] is None
        await expect(page.locator(f'.dt-list li[data-report-id="{newest["id"]}"] .dt-verdict')).to_have_text(
            "Menunggu verifikasi")
        await page.unroute("**/graphql")
        await no_overflow(page, PHONE["width"])
        await page.screenshot(path=str(ARTIFACTS / "duty-sent-390.png"), full_page=True)

        # On a desktop, the location not allowed: the screen says so and offers to try again.
        desktop, page2, errors2 = await open_page(browser, demo_server.url + "/", DESKTOP)
        await sign_in(page2, "ketua_rt001")
        await open_duty(page2)
        await expect(page2.locator(".dt-count")).to_have_text("2 dari 3 laporan hari ini")
        await expect(page2.locator(".dt-location")).to_have_attribute("data-state", "error")
        await expect(page2.locator(".dt-location")).to_have_text(re.compile(r"^Izin lokasi ditolak"))
        await expect(page2.get_by_role("button", name="Cari lokasi lagi")).to_be_visible()
        await no_overflow(page2, DESKTOP["width"])
        await check_screen(page2, "duty")
        assert errors == [] and errors2 == []
        await phone.close()
        await desktop.close()
        await browser.close()
