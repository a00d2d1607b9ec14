"""The leaders' rankings screen (#/peringkat) in Debian's Chromium at a desktop's and a phone's size, under the
page's own Content-Security-Policy, against a real server process with the demo data.

Pisangan Baru gets enough reports this month to be ranked. The lurah sees its figures in the table as `performance`
answers them over HTTP; a column's header sorts the rows (by click and by keyboard, with aria-sort); the CSV he
downloads holds the header and the rows in the table's order; Pisangan Baru's own page shows its last 12 weeks. An
officer follows a report up over HTTP: the screen says the figures changed, and a reload shows the new share
followed up. Then RT/RW duty compliance: two valid duty reports of Ketua RT 001 are paid Rp 20.000, with a total,
and its CSV writes a head whose name starts with "=" as text. The overdue map shows the lurah's overdue reports,
each a marker and a list entry; a resident reads the rankings but hears that the rest is for officials."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from playwright.async_api import Locator, Page, async_playwright, expect

from demo.loader import DEMO_PASSWORD
from demo.photos import sample_photo
from testkit.axe import check_screen
from testkit.browser import ARGS, CHROMIUM, DESKTOP, PHONE
from testkit.pages import gql, no_overflow, open_page, sign_in
from testkit.processes import ServerProcess, create, login
from testkit.reports import PISANGAN_BARU

pytestmark = pytest.mark.timeout(300)
JAKARTA = timedelta(hours=7)
ROW = "rank ranked score received followUpRate overdue reopenRate area { id name }"
PERFORMANCE = f"""query($u: PerformanceUnit!, $f: DateTime!, $t: DateTime!, $a: ID) {{
  performance(unit: $u, from: $f, to: $t, areaId: $a) {{ {ROW} }} }}"""
COMPLIANCE = """query($a: ID!, $m: String!) { dutyCompliance(areaId: $a, month: $m) { account { handle displayName }
  area { name } submitted valid daysCompliant payableAmount } }"""
QUEUE = "{ workQueue(first: 100) { edges { node { id isOverdue } } } }"
CREATE_ACCOUNT = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { handle } }"
VERIFY = "mutation($id: ID!) { verify(reportId: $id, verdict: VALID) { id } }"
CSV_HEADER = ("Peringkat,Kelurahan,Skor (0–100),Laporan masuk,Ditindaklanjuti (%),Median respons (menit),"
              "Median tindak lanjut (jam),Dibuka kembali (%),Lewat tenggat")
HOSTILE_NAME = "=HYPERLINK(\"http://x\",\"Ketua RT 002\")"


def jakarta_today() -> datetime:
    return datetime.now(UTC) + JAKARTA


def this_month() -> tuple[str, str, str]:
    """This month in Jakarta: its start and the next month's, as the screen asks, and "YYYY-MM"."""
    today = jakarta_today().date()
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return f"{first.isoformat()}T00:00:00+07:00", f"{following.isoformat()}T00:00:00+07:00", first.strftime("%Y-%m")


def this_week() -> tuple[str, str]:
    monday = jakarta_today().date() - timedelta(days=jakarta_today().weekday())
    return f"{monday.isoformat()}T00:00:00+07:00", f"{(monday + timedelta(days=7)).isoformat()}T00:00:00+07:00"


def number(value: float, digits: int = 1) -> str:
    """As Intl.NumberFormat("id-ID", {maximumFractionDigits}) writes it, half away from zero."""
    text = f"{int(value * 10**digits + 0.5) / 10**digits:.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def percent(share: float) -> str:
    return f"{int(share * 100 + 0.5)}%"


async def multipart(http: httpx.AsyncClient, token: str, query: str, variables: dict[str, Any], path: str,
                    photo: bytes) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}", "graphql-require-preflight": "1"}
    response = await http.post("/graphql", headers=headers,
                               data={"operations": orjson.dumps({"query": query, "variables": variables}).decode(),
                                     "map": orjson.dumps({"0": [f"variables.{path}"]}).decode()},
                               files={"0": ("photo.jpg", photo, "image/jpeg")})
    result = response.json()
    assert "errors" not in result, result
    return dict(result["data"])


async def open_rankings(page: Page) -> Locator:
    await page.locator('#nav a[data-screen="peringkat"]').click()
    await expect(page.get_by_role("heading", level=1, name="Peringkat kinerja")).to_be_visible()
    section = page.locator(".lk-rankings")
    await expect(section).to_have_attribute("data-loaded", "true")
    return section


async def column(table: Locator, key: str) -> list[str]:
    return [text.strip() for text in await table.locator(f'tbody [data-col="{key}"]').all_inner_texts()]


async def village_row(http: httpx.AsyncClient, area: str, village: str) -> dict[str, Any]:
    start, end, _ = this_month()
    rows = (await gql(http, PERFORMANCE, {"u": "VILLAGE", "f": start, "t": end, "a": area}))["performance"]
    return dict(next(r for r in rows if r["area"]["id"] == village))


async def expect_figures(row: Locator, figures: dict[str, Any]) -> None:
    """The row shows what performance answered, written the Indonesian way."""
    await expect(row.locator('[data-col="rank"]')).to_have_text(str(figures["rank"]) if figures["ranked"] else
                                                                "–belum diperingkat")
    await expect(row.locator('[data-col="score"]')).to_have_text(number(figures["score"] * 100))
    await expect(row.locator('[data-col="received"]')).to_have_text(str(figures["received"]))
    await expect(row.locator('[data-col="followUpRate"]')).to_have_text(percent(figures["followUpRate"]))
    await expect(row.locator('[data-col="reopenRate"]')).to_have_text(percent(figures["reopenRate"]))
    await expect(row.locator('[data-col="overdue"]')).to_have_text(str(figures["overdue"]))


def read_csv(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8")  # as written: CRLF line ends, as RFC 4180 says
    assert text.startswith("\ufeff") and text.endswith("\r\n")
    return text[1:].rstrip("\r\n").split("\r\n")


async def places(http: httpx.AsyncClient) -> tuple[str, str, str]:
    """Jakarta Timur's area, Pisangan Baru and its RT 001."""
    city = next(c for c in (await gql(http, "{ cities { code area { id } } }"))["cities"] if c["code"] == "31.75")
    villages = (await gql(http, "{ areas(level: VILLAGE) { id name } }"))["areas"]
    village = next(a["id"] for a in villages if a["name"] == "Pisangan Baru")
    rts = (await gql(http, "{ areas(level: RT) { id name } }"))["areas"]
    return city["area"]["id"], village, next(a["id"] for a in rts if a["name"].startswith("RT 001"))


async def test_the_lurah_reads_sorts_and_downloads_the_rankings(demo_server: ServerProcess, tmp_path: Path) -> None:
    async with async_playwright() as playwright, httpx.AsyncClient(base_url=demo_server.url, timeout=30) as http:
        city, village, _ = await places(http)
        # Four more reports make ten this month: Pisangan Baru is ranked.
        reporters = [await login(http, demo_server.url, "budi"), await login(http, demo_server.url, "siti")]
        fresh = [await create(http, demo_server.url, reporters[n % 2], f"Sampah menumpuk di gang {n + 1} Pisangan Baru")
                 for n in range(4)]
        before = await village_row(http, city, village)
        assert before["ranked"] and before["rank"] == 1 and before["received"] == 10
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        desktop, page, errors = await open_page(browser, demo_server.url + "/", DESKTOP)
        await sign_in(page, "lurah_pisanganbaru")
        section = await open_rankings(page)
        await expect(section.get_by_role("heading", level=2)).to_have_text(re.compile(r"^Peringkat kelurahan · "))
        await expect(section.get_by_label("Wilayah")).to_have_value(city)
        table = section.locator("table")
        row = table.locator(f'tbody tr[data-unit-id="{village}"]')
        await expect_figures(row, before)
        await expect(table.locator("tbody tr").first).to_have_attribute("data-unit-id", village)  # rank 1 first
        await expect(table.locator('th[data-key="rank"]')).to_have_attribute("aria-sort", "ascending")
        await expect(table.locator("tbody tr")).to_have_count(65)
        await check_screen(page, "rankings")

        # Sorting: "Laporan masuk" by a click (most first), again (fewest first); the names by keyboard.
        received = table.get_by_role("button", name="Laporan masuk")
        await received.click()
        await expect(table.locator('th[data-key="received"]')).to_have_attribute("aria-sort", "descending")
        await expect(table.locator('th[data-key="rank"]')).not_to_have_attribute("aria-sort", re.compile("."))
        counts = [int(n) for n in await column(table, "received")]
        assert counts == sorted(counts, reverse=True) and counts[0] == 10 and counts[-1] == 0
        await expect(table.locator("tbody tr").first).to_have_attribute("data-unit-id", village)
        await received.click()
        await expect(table.locator('th[data-key="received"]')).to_have_attribute("aria-sort", "ascending")
        counts = [int(n) for n in await column(table, "received")]
        assert counts == sorted(counts) and counts[-1] == 10
        await expect(table.locator("tbody tr").last).to_have_attribute("data-unit-id", village)
        names_button = table.get_by_role("button", name="Kelurahan")
        await names_button.focus()
        await page.keyboard.press("Enter")
        await expect(table.locator('th[data-key="unit"]')).to_have_attribute("aria-sort", "ascending")
        await expect(names_button).to_be_focused()
        names = await column(table, "unit")
        assert names == sorted(names, key=str.casefold) and names[0] == "Balekambang"
        await page.keyboard.press("Space")
        await expect(table.locator('th[data-key="unit"]')).to_have_attribute("aria-sort", "descending")
        assert await column(table, "unit") == names[::-1]

        # The CSV: the header, then the rows in the table's order (by name, Z first), figures as numbers.
        async with page.expect_download() as download_info:
            await section.get_by_role("link", name="Unduh tabel (CSV)").click()
        download = await download_info.value
        assert re.fullmatch(r"peringkat-kelurahan-\d{4}-\d\d-01_\d{4}-\d\d-01\.csv", download.suggested_filename)
        await download.save_as(tmp_path / "rankings.csv")
        lines = read_csv(tmp_path / "rankings.csv")
        assert lines[0] == CSV_HEADER and len(lines) == 66
        assert [line.split(",")[1] for line in lines[1:]] == names[::-1]
        [ours] = [line for line in lines if ",Pisangan Baru," in line]
        assert ours.startswith(f"1,Pisangan Baru,{round(before['score'] * 100, 1):g},10,")
        assert ours.endswith(f",{before['overdue']}")

        # An officer follows a report up: the screen hears that figures changed; a reload shows them.
        officer = await login(http, demo_server.url, "ppsu_pisanganbaru")
        await multipart(http, officer, "mutation($id: ID!, $p: [Upload!]!) { followUp(reportId: $id, "
                        "note: \"Sampah sudah diangkut\", photos: $p) { status } }", {"id": fresh[0], "p": [None]},
                        "p.0", sample_photo(30, "Bukti"))
        after = await village_row(http, city, village)
        assert after["followUpRate"] > before["followUpRate"]
        await expect(section.locator(".lk-status")).to_have_text(
            "Ada laporan baru atau yang berubah sejak data ini dimuat.")
        await section.get_by_role("button", name="Muat ulang").click()
        await expect(section).to_have_attribute("data-loaded", "true")
        await expect_figures(table.locator(f'tbody tr[data-unit-id="{village}"]'), after)

        # Pisangan Baru's own page: its last 12 weeks, this week's figures as performance says.
        await table.get_by_role("link", name="Pisangan Baru", exact=True).click()
        await expect(page).to_have_url(re.compile(r"#/peringkat/VILLAGE:"))
        await expect(page.get_by_role("heading", level=1)).to_have_text("Kelurahan: Pisangan Baru")
        trend = page.locator(".lk-trend")
        await expect(trend).to_have_attribute("data-loaded", "true")
        await expect(trend).to_have_attribute("data-weeks", "12")
        weeks = trend.locator("tbody tr")
        await expect(weeks).to_have_count(12)
        start, end = this_week()
        [week] = (await gql(http, PERFORMANCE, {"u": "VILLAGE", "f": start, "t": end, "a": village}))["performance"]
        assert await weeks.last.get_attribute("data-week") == start[:10]
        await expect(weeks.last.locator('[data-col="received"]')).to_have_text(str(week["received"]))
        await expect(weeks.last.locator('[data-col="score"]')).to_have_text(number(week["score"] * 100))
        await expect(weeks.last.locator('[data-col="followUpRate"]')).to_have_text(percent(week["followUpRate"]))
        await expect(weeks.first.locator('[data-col="received"]')).to_have_text("0")
        await check_screen(page, "rankings-unit")
        await page.get_by_role("link", name="← Semua peringkat").click()
        await expect(page.locator(".lk-rankings")).to_have_attribute("data-loaded", "true")

        # On a phone: nothing wider than the screen; the table scrolls in its own box, reachable by Tab.
        phone, small, phone_errors = await open_page(browser, demo_server.url + "/", PHONE)
        await sign_in(small, "lurah_pisanganbaru")
        phone_section = await open_rankings(small)
        box = phone_section.locator(".lk-scroll")
        await expect(box).to_have_attribute("tabindex", "0")
        assert await box.evaluate("e => e.scrollWidth > e.clientWidth")
        await no_overflow(small, PHONE["width"])
        await check_screen(small, "rankings")
        await small.goto(f"{demo_server.url}/#/peringkat/VILLAGE:{village}")
        await expect(small.locator(".lk-trend")).to_have_attribute("data-loaded", "true")
        await no_overflow(small, PHONE["width"])
        await check_screen(small, "rankings-unit")
        assert errors == [] and phone_errors == []
        await desktop.close()
        await phone.close()
        await browser.close()


async def test_duty_compliance_and_the_overdue_map(demo_server: ServerProcess, tmp_path: Path) -> None:
    async with async_playwright() as playwright, httpx.AsyncClient(base_url=demo_server.url, timeout=30) as http:
        _, village, rt = await places(http)
        admin = await login(http, demo_server.url, "admin")
        await gql(http, CREATE_ACCOUNT, {"i": {"handle": "ketua_rt002", "displayName": HOSTILE_NAME,
                                               "password": DEMO_PASSWORD, "role": "RT_RW", "areaId": rt}}, admin)
        # Two duty reports of Ketua RT 001 today, both found valid by the sekel.
        head = await login(http, demo_server.url, "ketua_rt001")
        verifier = await login(http, demo_server.url, "sekel_pisanganbaru")
        for n in range(2):
            created = await multipart(http, head, "mutation($i: CreateReportInput!) { createReport(input: $i) { id } }",
                                      {"i": {"body": f"Laporan tugas RT/RW {n}", "categoryCode": "KEBERSIHAN",
                                             "kind": "DUTY", "lat": PISANGAN_BARU[0], "lng": PISANGAN_BARU[1],
                                             "photos": [None]}}, "i.photos.0", sample_photo(40 + n, "Tugas"))
            await gql(http, VERIFY, {"id": created["createReport"]["id"]}, verifier)
        _, _, month = this_month()
        lurah = await login(http, demo_server.url, "lurah_pisanganbaru")
        compliance = (await gql(http, COMPLIANCE, {"a": village, "m": month}, lurah))["dutyCompliance"]
        ours = next(r for r in compliance if r["account"]["handle"] == "ketua_rt001")
        assert (ours["submitted"], ours["valid"], ours["payableAmount"]) == (2, 2, 20000)
        overdue = [e["node"]["id"] for e in (await gql(http, QUEUE, {}, lurah))["workQueue"]["edges"]
                   if e["node"]["isOverdue"]]
        assert overdue
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        for size in (DESKTOP, PHONE):
            context, page, errors = await open_page(browser, demo_server.url + "/", size)
            await sign_in(page, "lurah_pisanganbaru")
            await open_rankings(page)
            duty = page.locator(".lk-compliance")
            await expect(duty).to_have_attribute("data-loaded", "true")
            await expect(duty.get_by_label("Kelurahan")).to_have_value(village)
            await expect(duty.get_by_label("Bulan")).to_have_value(month)
            table = duty.locator("table")
            await expect(table.locator("tbody tr")).to_have_count(len(compliance))
            row = table.locator('tbody tr[data-handle="ketua_rt001"]')
            await expect(row.locator('[data-col="submitted"]')).to_have_text("2")
            await expect(row.locator('[data-col="valid"]')).to_have_text("2")
            await expect(row.locator('[data-col="payableAmount"]')).to_have_text(re.compile(r"^Rp\s20\.000$"))
            await expect(table.locator('tbody tr[data-handle="ketua_rt002"] th')).to_contain_text(HOSTILE_NAME)
            total = sum(r["payableAmount"] for r in compliance)
            rupiah = f"{total:,}".replace(",", r"\.")
            await expect(table.locator('tfoot [data-col="payableAmount"]')).to_have_text(re.compile(rf"^Rp\s{rupiah}$"))

            # The overdue map: a marker and a list entry for each overdue report the lurah may act on.
            map_section = page.locator(".lk-overdue")
            await expect(map_section).to_have_attribute("data-loaded", "true")
            await expect(map_section.locator(".lk-overdue-list li")).to_have_count(len(overdue))
            await expect(map_section.locator(".lk-map")).to_have_attribute("data-markers", str(len(overdue)))
            await expect(map_section.locator(".lk-pin")).to_have_count(len(overdue))
            await expect(map_section.locator(".lk-pin").first).to_have_attribute("role", "button")
            assert await page.evaluate(
                "document.querySelectorAll('link[href=\"/vendor/leaflet/leaflet.css\"]').length") == 1
            await no_overflow(page, size["width"])
            await check_screen(page, "rankings-compliance")
            assert errors == []
            if size is PHONE:
                await map_section.locator(".lk-overdue-list a").first.click()
                await expect(page.locator(f'.report[data-report-id="{overdue[0]}"]')).to_be_visible()
            await context.close()

        # The compliance CSV: a head's name that a spreadsheet would run as a formula is written as text.
        context, page, _ = await open_page(browser, demo_server.url + "/", DESKTOP)
        await sign_in(page, "sekel_pisanganbaru")
        await open_rankings(page)
        duty = page.locator(".lk-compliance")
        await expect(duty).to_have_attribute("data-loaded", "true")
        async with page.expect_download() as download_info:
            await duty.get_by_role("link", name="Unduh kepatuhan (CSV)").click()
        download = await download_info.value
        assert download.suggested_filename == f"kepatuhan-rtrw-pisangan-baru-{month}.csv"
        await download.save_as(tmp_path / "compliance.csv")
        lines = read_csv(tmp_path / "compliance.csv")
        assert lines[0] == "Akun,Nama,Wilayah,Dikirim,Valid,Hari patuh (≥ 3 valid),Dibayarkan (Rp)"
        assert "ketua_rt001,Ketua RT 001 Pisangan Baru,RT 001 / RW 01 Pisangan Baru,2,2,0,20000" in lines
        assert 'ketua_rt002,"\'=HYPERLINK(""http://x"",""Ketua RT 002"")",RT 001 / RW 01 Pisangan Baru,0,0,0,0' in lines
        sums = [sum(r[key] for r in compliance) for key in ("submitted", "valid", "daysCompliant", "payableAmount")]
        assert lines[-1] == "Total,,," + ",".join(map(str, sums))
        await context.close()

        # A resident reads the rankings; compliance and the map are for officials, and the screen says so.
        context, page, errors = await open_page(browser, demo_server.url + "/", PHONE)
        await sign_in(page, "budi")
        await open_rankings(page)
        await expect(page.locator(".lk-compliance .lk-status")).to_have_text(
            "Kepatuhan tugas RT/RW hanya untuk admin kota dan petugas kelurahan itu (lurah, sekel, petugas).")
        await expect(page.locator(".lk-compliance table")).to_have_count(0)
        await expect(page.locator(".lk-compliance form")).to_be_hidden()  # another kelurahan would be refused too
        await expect(page.locator(".lk-overdue .note")).to_contain_text("Peta ini untuk petugas")
        resident = await login(http, demo_server.url, "budi")
        refused = (await http.post("/graphql", headers={"authorization": f"Bearer {resident}"},
                                   json={"query": COMPLIANCE, "variables": {"a": village, "m": month}})).json()
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        await no_overflow(page, PHONE["width"])
        await check_screen(page, "rankings-resident")
        assert errors == []
        await context.close()
        await browser.close()
