"""Moderating flags over HTTP, as web/static/screens/flags.js does: flaggedReports gives each moderator (an area
head: their area's subtree; a city admin: their city; the admin: everywhere) the shown reports with open flags, the
oldest open flag first, paged; Report.flags shows the open flags to the report's moderators only; keepReport and
hideReport decide them, and the timeline tells officials (KEPT, HIDDEN). Everyone else is refused.

Other tests' flags share the database, so lists are read whole and narrowed to this test's reports.
"""

from __future__ import annotations

from typing import Any

import pytest

from core import clock
from models import Agency
from models.enums import Role
from resolvers.ids import to_global_id
from testkit.client import Api
from testkit.reports import CEGER, PISANGAN_BARU, post

FLAGGED = """query($n: Int, $a: String) { flaggedReports(first: $n, after: $a) {
  edges { cursor node { id hidden flags { reason createdAt } } }
  pageInfo { hasNextPage hasPreviousPage endCursor } } }"""
FLAG = "mutation($id: ID!, $r: String!) { flagReport(reportId: $id, reason: $r) }"
KEEP = "mutation($id: ID!, $r: String!) { keepReport(reportId: $id, reason: $r) { id hidden flags { reason } } }"
HIDE = "mutation($id: ID!, $r: String!) { hideReport(reportId: $id, reason: $r) { hidden flags { reason } } }"
UNHIDE = "mutation($id: ID!) { unhideReport(reportId: $id) { hidden } }"
REPORT = """query($id: ID!) { report(id: $id) { flags { reason } timeline { kind note actor { handle } } } }"""
FEED_FLAGS = "query($f: ReportFilter) { feed(filter: $f, first: 10) { edges { node { id flags { reason } } } } }"
VILLAGE, DISTRICT, CITY = "31.75.01.1001", "31.75.01", "31.75"  # Pisangan Baru, Matraman, Jakarta Timur


async def flagged(api: Api, token: str | None, first: int = 100) -> list[dict[str, Any]]:
    """Every node of the list, page by page, checking each page on the way."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = (await api.gql(FLAGGED, {"n": first, "a": after}, token))["flaggedReports"]
        assert len(page["edges"]) <= first and page["pageInfo"]["hasPreviousPage"] is (after is not None)
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


async def among(api: Api, token: str, reports: list[str]) -> list[str]:
    """The moderator's list, narrowed to these reports, in its order."""
    return [n["id"] for n in await flagged(api, token) if n["id"] in reports]


async def flag(api: Api, token: str, report: str, reason: str) -> None:
    assert (await api.gql(FLAG, {"id": report, "r": reason}, token))["flagReport"] is True
    clock.advance(60)  # flags a minute apart: their order is the order they were raised


async def flags_of(api: Api, token: str | None, report: str) -> list[str]:
    return [f["reason"] for f in (await api.gql(REPORT, {"id": report}, token))["report"]["flags"]]


async def test_each_moderator_reads_the_flags_of_their_reach(api: Api) -> None:
    resident, reporter = await api.account()
    neighbour, _ = await api.account()
    lurah, _ = await api.account(Role.AREA_HEAD, area_code=VILLAGE)
    camat, _ = await api.account(Role.AREA_HEAD, area_code=DISTRICT)
    ceger_lurah, _ = await api.account(Role.AREA_HEAD, area_code="31.75.10.1008")
    city_admin, _ = await api.account(Role.CITY_ADMIN, area_code=CITY)
    admin, _ = await api.account(Role.ADMIN)
    officer, _ = await api.account(Role.OFFICER, area_code=VILLAGE)
    a = (await post(api, resident, PISANGAN_BARU, body="Lampu gang mati"))["id"]
    b = (await post(api, resident, CEGER, body="Jalan berlubang", category="JALAN_RUSAK"))["id"]
    c = (await post(api, resident, PISANGAN_BARU, body="Sampah di kali", category="SAMPAH"))["id"]
    quiet = (await post(api, resident, PISANGAN_BARU, body="Pohon tumbang", category="POHON_TUMBANG"))["id"]
    await flag(api, neighbour, c, "Foto bukan di lokasi")
    await flag(api, neighbour, a, "Ada nomor HP warga")
    await flag(api, neighbour, b, "Iklan")
    await flag(api, resident, c, "Menyesatkan")  # a second flag does not move c: its oldest open flag places it
    mine = [a, b, c, quiet]

    assert await among(api, lurah, mine) == [c, a]
    assert await among(api, camat, mine) == [c, a]
    assert await among(api, ceger_lurah, mine) == [b]
    assert await among(api, city_admin, mine) == [c, a, b]
    assert await among(api, admin, mine) == [c, a, b]
    # Pages of every size give the same list, without a gap or a repeat.
    whole = [n["id"] for n in await flagged(api, admin)]
    assert len(set(whole)) == len(whole)
    for size in (1, 2, 3):
        assert [n["id"] for n in await flagged(api, admin, first=size)] == whole, size
    # The flags, oldest first, for the report's moderators only.
    assert await flags_of(api, lurah, c) == ["Foto bukan di lokasi", "Menyesatkan"]
    assert await flags_of(api, city_admin, c) == ["Foto bukan di lokasi", "Menyesatkan"]
    for viewer in (None, resident, neighbour, officer, ceger_lurah):
        assert await flags_of(api, viewer, c) == []
    assert await flags_of(api, lurah, quiet) == []
    # On a page of reports (one query for the page's flags, through the DataLoader).
    page = (await api.gql(FEED_FLAGS, {"f": {"authorId": to_global_id("Account", reporter.id)}}, lurah))["feed"]
    assert {e["node"]["id"]: [f["reason"] for f in e["node"]["flags"]] for e in page["edges"]} == {
        quiet: [], c: ["Foto bukan di lokasi", "Menyesatkan"], a: ["Ada nomor HP warga"], b: []}


async def test_keeping_and_hiding_decide_the_flags(api: Api) -> None:
    resident, _ = await api.account()
    neighbour, _ = await api.account()
    lurah, lurah_account = await api.account(Role.AREA_HEAD, area_code=VILLAGE)
    officer, _ = await api.account(Role.OFFICER, area_code=VILLAGE)
    kept = (await post(api, resident, PISANGAN_BARU, body="Genangan di jalan", category="BANJIR"))["id"]
    hidden = (await post(api, resident, PISANGAN_BARU, body="Nomor HP 0812 di sini", category="SAMPAH"))["id"]
    mine = [kept, hidden]
    for report in mine:
        await flag(api, neighbour, report, "Tidak pantas")
    assert await among(api, lurah, mine) == [kept, hidden]

    # Kept: shown still, its flags decided, the reason in the timeline for officials.
    answer = (await api.gql(KEEP, {"id": kept, "r": "Foto sesuai, sudah dicek"}, lurah))["keepReport"]
    assert answer == {"id": kept, "hidden": False, "flags": []}
    assert await among(api, lurah, mine) == [hidden]
    timeline = (await api.gql(REPORT, {"id": kept}, officer))["report"]["timeline"]
    assert timeline[-1] == {"kind": "KEPT", "note": "Foto sesuai, sudah dicek",
                            "actor": {"handle": lurah_account.handle}}
    for viewer in (None, resident, neighbour):
        assert "KEPT" not in [e["kind"] for e in (await api.gql(REPORT, {"id": kept}, viewer))["report"]["timeline"]]
    assert await api.error_codes(KEEP, {"id": kept, "r": "Sekali lagi"}, lurah) == ["BAD_USER_INPUT"]
    # Flagged again: back in the list with the new flag only.
    await flag(api, resident, kept, "Masih menyesatkan")
    assert await among(api, lurah, mine) == [hidden, kept]
    assert await flags_of(api, lurah, kept) == ["Masih menyesatkan"]

    # Hidden: its flags decided too, and it stays out of the list once shown again.
    assert (await api.gql(HIDE, {"id": hidden, "r": "Data pribadi"}, lurah))["hideReport"] == {
        "hidden": True, "flags": []}
    assert await among(api, lurah, mine) == [kept]
    # Flagged while hidden (an official sees it): not in the list, not to be kept, waiting until it is shown.
    await flag(api, officer, hidden, "Masih ada data pribadi")
    assert await among(api, lurah, mine) == [kept]
    assert await api.error_codes(KEEP, {"id": hidden, "r": "Tetap"}, lurah) == ["BAD_USER_INPUT"]
    assert (await api.gql(UNHIDE, {"id": hidden}, lurah))["unhideReport"] == {"hidden": False}
    assert await among(api, lurah, mine) == [kept, hidden]
    assert await flags_of(api, lurah, hidden) == ["Masih ada data pribadi"]
    kinds = [e["kind"] for e in (await api.gql(REPORT, {"id": hidden}, lurah))["report"]["timeline"]]
    assert kinds == ["CREATED", "HIDDEN", "UNHIDDEN"]


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.RT_RW, Role.OFFICER, Role.AGENCY_HEAD, Role.VERIFIER])
async def test_only_moderators_have_the_list(api: Api, role: Role) -> None:
    agency = await Agency.get(code="DLH") if role == Role.AGENCY_HEAD else None
    token, _ = await api.account(role, area_code=VILLAGE if role != Role.CITIZEN else None,
                                 agency_id=agency.id if agency else None)
    assert await api.error_codes(FLAGGED, {"n": 5, "a": None}, token) == ["FORBIDDEN"]


async def test_refusals(api: Api) -> None:
    resident, _ = await api.account()
    lurah, _ = await api.account(Role.AREA_HEAD, area_code=VILLAGE)
    report = (await post(api, resident, PISANGAN_BARU, body="Coretan di tembok", category="PELANGGARAN"))["id"]
    await flag(api, resident, report, "Salah kategori")
    assert await api.error_codes(FLAGGED, {"n": 5, "a": None}) == ["UNAUTHENTICATED"]
    assert await api.error_codes(KEEP, {"id": report, "r": "Sesuai"}) == ["UNAUTHENTICATED"]
    for who in (resident, (await api.account(Role.OFFICER, area_code=VILLAGE))[0],
                (await api.account(Role.AREA_HEAD, area_code="31.75.10.1008"))[0]):
        assert await api.error_codes(KEEP, {"id": report, "r": "Sesuai"}, who) == ["FORBIDDEN"]
    assert await api.error_codes(KEEP, {"id": to_global_id("Report", 10**9), "r": "Sesuai"}, lurah) == ["NOT_FOUND"]
    assert await api.error_codes(KEEP, {"id": report, "r": "   "}, lurah) == ["BAD_USER_INPUT"]
    assert await api.error_codes(FLAGGED, {"n": 5, "a": "bukan-kursor"}, lurah) == ["BAD_USER_INPUT"]
    assert await flags_of(api, lurah, report) == ["Salah kategori"]  # nothing refused changed anything
