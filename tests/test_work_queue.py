"""workQueue over HTTP: an official's open reports (their area's or their agency's), overdue first, then oldest
first, paged without gaps or repeats even while reports fall due; filters as in the feed; officials (and verifiers:
tests/test_verifier_queue.py) only.

Other tests' reports share the database, so most reads here keep to this test's reporter (filter.authorId).
"""

from __future__ import annotations

import base64
from typing import Any

import pytest

from core import clock
from models import Agency, Area
from models.enums import Role
from resolvers.ids import to_global_id
from testkit.client import Api
from testkit.reports import ACK, CEGER, PISANGAN_BARU, ids, photo_files, post, work_queue

QUEUE = """query($f: ReportFilter, $n: Int, $a: String) { workQueue(filter: $f, first: $n, after: $a) {
  edges { cursor node { id status isOverdue area { code } category { code } } }
  pageInfo { hasNextPage hasPreviousPage endCursor } } }"""
FOLLOW_UP = "mutation($id: ID!, $p: [Upload!]!) { followUp(reportId: $id, note: \"Sudah\", photos: $p) { status } }"
REOPEN = "mutation($id: ID!, $p: [Upload!]) { reopen(reportId: $id, reason: \"Masih gelap\", photos: $p) { status } }"
REJECT = "mutation($id: ID!) { reject(reportId: $id, reason: \"Bukan wewenang\") { status } }"
HOUR = 3600


async def page(api: Api, token: str | None, f: dict[str, Any] | None, first: int = 100,
               after: str | None = None) -> dict[str, Any]:
    return dict((await api.gql(QUEUE, {"f": f, "n": first, "a": after}, token))["workQueue"])


async def queue(api: Api, token: str, f: dict[str, Any] | None, first: int = 100) -> list[dict[str, Any]]:
    return await work_queue(api, QUEUE, token, f, first)


async def test_the_queue(api: Api) -> None:
    """Everything about one official's queue, on one set of reports (posting them takes most of the time)."""
    resident, reporter = await api.account()
    lurah, _ = await api.account(Role.AREA_HEAD, area_code="31.75.01.1001")
    officer, _ = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    dlh = await Agency.get(code="DLH")
    cleaner, _ = await api.account(Role.OFFICER, agency_id=dlh.id)  # an agency's officer without an area
    # Posted in this order, one after another: created_at is the order of the names.
    a = (await post(api, resident, PISANGAN_BARU, body="Lampu A mati"))["id"]  # SLA 72 h
    b = (await post(api, resident, PISANGAN_BARU, body="Asap B", category="KEBAKARAN"))["id"]  # 1 h
    c = (await post(api, resident, PISANGAN_BARU, body="Sampah C", category="SAMPAH"))["id"]  # 24 h, DLH
    d = (await post(api, resident, PISANGAN_BARU, body="Macet D", category="MACET"))["id"]  # 6 h
    e = (await post(api, resident, CEGER, body="Sampah E", category="SAMPAH"))["id"]  # another kelurahan; DLH
    rejected = (await post(api, resident, PISANGAN_BARU, body="Lampu F"))["id"]
    acknowledged = (await post(api, resident, PISANGAN_BARU, body="Lampu G"))["id"]
    followed_up = (await post(api, resident, PISANGAN_BARU, body="Lampu H"))["id"]
    reopened = (await post(api, resident, PISANGAN_BARU, body="Lampu I"))["id"]
    await api.gql(REJECT, {"id": rejected}, lurah)
    await api.gql(ACK, {"id": acknowledged}, officer)
    for report in (followed_up, reopened):
        await api.gql(FOLLOW_UP, {"id": report, "p": [None]}, officer, files=photo_files(path="variables.p"))
    await api.gql(REOPEN, {"id": reopened, "p": None}, resident)
    mine = {"authorId": to_global_id("Account", reporter.id)}

    # Only open reports of the lurah's kelurahan; with none overdue, oldest first.
    nodes = await queue(api, lurah, mine)
    assert ids(nodes) == [a, b, c, d, acknowledged, reopened]
    assert {n["status"] for n in nodes} == {"WAITING", "IN_PROGRESS", "REOPENED"}
    assert not any(n["isOverdue"] for n in nodes)
    # The agency's officer: its reports wherever they are.
    assert ids(await queue(api, cleaner, mine)) == [c, e]

    # Overdue first (oldest first among them), then the others oldest first.
    clock.advance(2 * HOUR)
    assert ids(await queue(api, lurah, mine)) == [b, a, c, d, acknowledged, reopened]
    clock.advance(5 * HOUR)
    nodes = await queue(api, lurah, mine)
    assert ids(nodes) == [b, d, a, c, acknowledged, reopened]
    assert [n["isOverdue"] for n in nodes] == [True, True, False, False, False, False]
    # Pages of every size cross the border between the overdue and the others without a gap or a repeat.
    for size in (1, 2, 3, 4, 5, 6, 7):
        assert ids(await queue(api, lurah, mine, first=size)) == ids(nodes), size
    clock.advance(18 * HOUR)
    assert ids(await queue(api, lurah, mine)) == [b, c, d, a, acknowledged, reopened]
    assert ids(await queue(api, cleaner, mine)) == [c, e]

    # The rest of ReportFilter applies as in the feed; statuses narrow within the open ones.
    assert ids(await queue(api, lurah, {**mine, "categoryCodes": ["PJU_PADAM"]})) == [a, acknowledged, reopened]
    assert ids(await queue(api, lurah, {**mine, "statuses": ["IN_PROGRESS", "REOPENED"]})) == [acknowledged, reopened]
    assert ids(await queue(api, lurah, {**mine, "statuses": ["WAITING", "FOLLOWED_UP", "REJECTED"]})) == [b, c, d, a]
    assert ids(await queue(api, lurah, {**mine, "statuses": ["CLOSED"]})) == []
    ceger = to_global_id("Area", (await Area.get(code="31.75.10.1008")).id)
    assert ids(await queue(api, cleaner, {**mine, "areaId": ceger})) == [e]
    assert ids(await queue(api, lurah, {**mine, "areaId": ceger})) == []  # outside the lurah's reach still
    assert ids(await queue(api, lurah, {**mine, "kind": "DUTY"})) == []
    assert ids(await queue(api, lurah, {**mine, "text": "asap"})) == [b]  # full-text search, as in the feed


async def test_a_cursor_keeps_the_moment_of_the_first_page(api: Api) -> None:
    """A report falling due between two pages is not shown twice, and none is skipped."""
    resident, reporter = await api.account()
    lurah, _ = await api.account(Role.AREA_HEAD, area_code="31.75.01.1001")
    a = (await post(api, resident, PISANGAN_BARU, body="Lampu mati"))["id"]
    b = (await post(api, resident, PISANGAN_BARU, body="Ada asap", category="KEBAKARAN"))["id"]
    c = (await post(api, resident, PISANGAN_BARU, body="Sampah", category="SAMPAH"))["id"]
    mine = {"authorId": to_global_id("Account", reporter.id)}
    first = await page(api, lurah, mine, first=2)
    assert ids([e["node"] for e in first["edges"]]) == [a, b]
    clock.advance(2 * HOUR)  # b is overdue now: a fresh first page puts it first
    rest = await page(api, lurah, mine, first=2, after=first["pageInfo"]["endCursor"])
    assert ids([e["node"] for e in rest["edges"]]) == [c] and rest["pageInfo"]["hasNextPage"] is False
    assert ids(await queue(api, lurah, mine)) == [b, a, c]


async def test_the_whole_queue_is_the_officials_reach(api: Api) -> None:
    """Unfiltered, every report is open and inside the lurah's kelurahan; reports elsewhere are not in it."""
    resident, _ = await api.account()
    lurah, _ = await api.account(Role.AREA_HEAD, area_code="31.75.01.1001")
    here = (await post(api, resident, PISANGAN_BARU, body="Jalan rusak", category="JALAN_RUSAK"))["id"]
    there = (await post(api, resident, CEGER, body="Jalan rusak", category="JALAN_RUSAK"))["id"]
    nodes = await queue(api, lurah, None)
    assert here in ids(nodes) and there not in ids(nodes)
    assert len(set(ids(nodes))) == len(nodes)
    assert {n["status"] for n in nodes} <= {"WAITING", "IN_PROGRESS", "REOPENED"}
    assert all(n["area"]["code"].startswith("31.75.01.1001") for n in nodes)
    flags = [n["isOverdue"] for n in nodes]
    assert flags == sorted(flags, reverse=True)  # overdue first


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.RT_RW])
async def test_only_officials_have_a_queue(api: Api, role: Role) -> None:
    token, _ = await api.account(role, area_code="31.75.01.1001" if role != Role.CITIZEN else None)
    assert await api.error_codes(QUEUE, {"f": None, "n": 5, "a": None}, token) == ["FORBIDDEN"]


async def test_signed_out_and_bad_cursors(api: Api) -> None:
    assert await api.error_codes(QUEUE, {"f": None, "n": 5, "a": None}) == ["UNAUTHENTICATED"]
    lurah, _ = await api.account(Role.AREA_HEAD, area_code="31.75.01.1001")
    moment = "2026-01-01T00:00:00"
    forged = ["not|a|cursor", f"{moment}+00:00|2|x", f"{moment}|1|x", f"{moment}+00:00|1|x"]
    for cursor in ["nonsense", *(base64.urlsafe_b64encode(text.encode()).decode() for text in forged)]:
        assert await api.error_codes(QUEUE, {"f": None, "n": 5, "a": cursor}, lurah) == ["BAD_USER_INPUT"]
