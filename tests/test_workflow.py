"""The status machine end to end: every path, the forbidden moves, auto-close, moderation, DUTY."""

from __future__ import annotations

from core import clock
from models import Agency, Area, Notification
from models.enums import NotificationKind, Role
from resolvers.ids import to_global_id
from services import workflow
from testkit.client import Api
from testkit.reports import ACK, CEGER, CREATE, PISANGAN_BARU, feed_ids, photo_files, post

STATE = """query($id: ID!) { report(id: $id) { status badge hidden dueAt isOverdue duplicateOf { id } agency { code }
  followUps { note officer { handle } photos { url } } timeline { kind status note actor { handle } } } }"""
FOLLOW_UP = "mutation($id: ID!, $p: [Upload!]!) { followUp(reportId: $id, note: \"Sudah diperbaiki\", photos: $p) " \
            "{ status badge } }"
REOPEN = "mutation($id: ID!, $p: [Upload!]) { reopen(reportId: $id, reason: \"Masih gelap\", photos: $p) { status } }"
CLOSE = "mutation($id: ID!) { closeReport(reportId: $id, note: \"Terima kasih\") { status } }"
REJECT = "mutation($id: ID!, $r: String!, $d: ID) { reject(reportId: $id, reason: $r, duplicateOfId: $d) { status } }"


async def state(api: Api, report_id: str, token: str | None) -> dict:
    return dict((await api.gql(STATE, {"id": report_id}, token))["report"])


async def proof(api: Api, document: str, report_id: str, token: str) -> dict:
    files = photo_files(path="variables.p")
    return await api.gql(document, {"id": report_id, "p": [None]}, token, files=files)


async def test_every_path_of_the_machine(api: Api) -> None:
    resident, reporter = await api.account()
    officer, ppsu = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    report = (await post(api, resident, PISANGAN_BARU))["id"]
    assert (await api.gql(ACK, {"id": report}, officer))["acknowledge"] == {"status": "IN_PROGRESS", "badge": "YELLOW"}
    assert (await proof(api, FOLLOW_UP, report, officer))["followUp"] == {"status": "FOLLOWED_UP", "badge": "GREEN"}
    assert (await proof(api, REOPEN, report, resident))["reopen"] == {"status": "REOPENED"}
    assert (await api.gql(ACK, {"id": report}, officer))["acknowledge"]["status"] == "IN_PROGRESS"
    await proof(api, FOLLOW_UP, report, officer)
    assert (await api.gql(CLOSE, {"id": report}, resident))["closeReport"] == {"status": "CLOSED"}
    reopened = await api.gql(REOPEN, {"id": report, "p": None}, resident)  # a reopen after the close
    assert reopened["reopen"] == {"status": "REOPENED"}
    seen = await state(api, report, None)
    assert seen["badge"] == "RED"
    assert [(e["kind"], e["status"]) for e in seen["timeline"]] == [
        ("CREATED", "WAITING"), ("ACKNOWLEDGED", "IN_PROGRESS"), ("FOLLOWED_UP", "FOLLOWED_UP"),
        ("REOPENED", "REOPENED"), ("ACKNOWLEDGED", "IN_PROGRESS"), ("FOLLOWED_UP", "FOLLOWED_UP"),
        ("CLOSED", "CLOSED"), ("REOPENED", "REOPENED"),
    ]
    assert seen["timeline"][3]["note"] == "Masih gelap" and seen["timeline"][1]["actor"] == {"handle": ppsu.handle}
    assert [f["officer"]["handle"] for f in seen["followUps"]] == [ppsu.handle, ppsu.handle]
    assert all(len(f["photos"]) == 1 for f in seen["followUps"])
    told = await Notification.filter(account_id=reporter.id, kind=NotificationKind.STATUS_CHANGED).count()
    assert told == 4  # two acknowledgements and two follow-ups; none for the reporter's own moves


async def test_forbidden_transitions_change_nothing(api: Api) -> None:
    resident, _ = await api.account()
    officer, _ = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    report = (await post(api, resident, PISANGAN_BARU))["id"]
    assert await api.error_codes(CLOSE, {"id": report}, resident) == ["BAD_USER_INPUT"]  # nothing to accept yet
    assert await api.error_codes(REOPEN, {"id": report, "p": None}, resident) == ["BAD_USER_INPUT"]
    no_photo = await api.error_codes(FOLLOW_UP, {"id": report, "p": []}, officer)
    assert no_photo == ["BAD_USER_INPUT"]
    assert await api.error_codes(REJECT, {"id": report, "r": "  "}, officer) == ["BAD_USER_INPUT"]
    await api.gql(ACK, {"id": report}, officer)
    assert await api.error_codes(ACK, {"id": report}, officer) == ["BAD_USER_INPUT"]  # already in progress
    await api.gql(REJECT, {"id": report, "r": "Bukan fasilitas publik"}, officer)
    for document in (ACK, CLOSE):
        assert await api.error_codes(document, {"id": report}, officer) == ["BAD_USER_INPUT"]
    late_proof = photo_files(path="variables.p")
    too_late = await api.error_codes(FOLLOW_UP, {"id": report, "p": [None]}, officer, files=late_proof)
    assert too_late == ["BAD_USER_INPUT"]
    seen = await state(api, report, None)
    assert (seen["status"], seen["badge"]) == ("REJECTED", "GREY")
    assert [e["kind"] for e in seen["timeline"]] == ["CREATED", "ACKNOWLEDGED", "REJECTED"]


async def test_reject_as_duplicate_and_forward(api: Api) -> None:
    resident, _ = await api.account()
    lurah, _ = await api.account(Role.AREA_HEAD, area_code="31.75.01.1001")
    dlh_officer, dlh_account = await api.account(Role.OFFICER, agency_id=(await Agency.get(code="DLH")).id)
    original = (await post(api, resident, PISANGAN_BARU))["id"]
    copy = (await post(api, resident, PISANGAN_BARU, body="Lampu jalan mati lagi"))["id"]
    await api.gql(REJECT, {"id": copy, "r": "Sudah dilaporkan", "d": original}, lurah)
    assert (await state(api, copy, None))["duplicateOf"] == {"id": original}
    assert await api.error_codes(REJECT, {"id": original, "r": "x", "d": original}, lurah) == ["BAD_USER_INPUT"]
    dlh = to_global_id("Agency", (await Agency.get(code="DLH")).id)
    forward = "mutation($id: ID!, $a: ID) { forward(reportId: $id, agencyId: $a, note: \"Ini sampah\") { status } }"
    assert (await api.gql(forward, {"id": original, "a": dlh}, lurah))["forward"] == {"status": "WAITING"}
    seen = await state(api, original, None)
    assert seen["agency"] == {"code": "DLH"} and seen["timeline"][-1]["kind"] == "FORWARDED"
    assigned = await Notification.filter(account_id=dlh_account.id, kind=NotificationKind.ASSIGNED).count()
    assert assigned == 1
    # The new agency's officer may now act on it, wherever it is.
    assert (await api.gql(ACK, {"id": original}, dlh_officer))["acknowledge"]["status"] == "IN_PROGRESS"
    assert await api.error_codes(forward, {"id": original, "a": None}, lurah) == ["BAD_USER_INPUT"]


async def test_auto_close_seven_days_after_follow_up(api: Api) -> None:
    resident, _ = await api.account()
    officer, _ = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    quiet = (await post(api, resident, PISANGAN_BARU))["id"]
    disputed = (await post(api, resident, PISANGAN_BARU, body="Lampu taman mati"))["id"]
    for report in (quiet, disputed):
        await proof(api, FOLLOW_UP, report, officer)
    clock.advance(6 * 86400)
    await workflow.close_stale()
    assert (await state(api, quiet, None))["status"] == "FOLLOWED_UP"
    await api.gql(REOPEN, {"id": disputed, "p": None}, resident)
    clock.advance(1 * 86400 + 60)
    await workflow.close_stale()
    seen = await state(api, quiet, None)
    assert seen["status"] == "CLOSED" and seen["timeline"][-1]["actor"] is None
    assert (await state(api, disputed, None))["status"] == "REOPENED"


async def test_due_at_and_overdue(api: Api) -> None:
    resident, _ = await api.account()
    officer, _ = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    report = (await post(api, resident, PISANGAN_BARU, category="KEBAKARAN", body="Asap dari gudang"))["id"]
    assert (await state(api, report, None))["isOverdue"] is False
    clock.advance(3600 + 1)  # fire: an SLA of one hour
    assert (await state(api, report, None))["isOverdue"] is True
    await proof(api, FOLLOW_UP, report, officer)
    assert (await state(api, report, None))["isOverdue"] is False


async def test_hidden_reports_leave_public_feeds_but_not_officials(api: Api) -> None:
    resident, reporter = await api.account()
    neighbour, _ = await api.account()
    lurah, _ = await api.account(Role.AREA_HEAD, area_code="31.75.01.1001")
    other_lurah, _ = await api.account(Role.AREA_HEAD, area_code="31.75.10.1008")
    report = (await post(api, resident, PISANGAN_BARU, body="Nomor HP tetangga 0812"))["id"]
    flag = "mutation($id: ID!) { flagReport(reportId: $id, reason: \"Data pribadi\") }"
    assert (await api.gql(flag, {"id": report}, neighbour))["flagReport"] is True
    assert await api.error_codes(flag, {"id": report}) == ["UNAUTHENTICATED"]
    hide = "mutation($id: ID!) { hideReport(reportId: $id, reason: \"Data pribadi\") { hidden } }"
    assert await api.error_codes(hide, {"id": report}, other_lurah) == ["FORBIDDEN"]
    assert (await api.gql(hide, {"id": report}, lurah))["hideReport"] == {"hidden": True}
    mine = {"authorId": to_global_id("Account", reporter.id)}
    assert await feed_ids(api, mine) == [] and await feed_ids(api, mine, neighbour) == []
    assert await feed_ids(api, mine, lurah) == [report]
    gone = "query($id: ID!) { report(id: $id) { id } }"
    assert await api.error_codes(gone, {"id": report}, neighbour) == ["NOT_FOUND"]
    assert [e["kind"] for e in (await state(api, report, lurah))["timeline"]] == ["CREATED", "HIDDEN"]
    unhide = "mutation($id: ID!) { unhideReport(reportId: $id) { hidden } }"
    assert (await api.gql(unhide, {"id": report}, lurah))["unhideReport"] == {"hidden": False}
    assert [e["kind"] for e in (await state(api, report, neighbour))["timeline"]] == ["CREATED"]
    assert [e["kind"] for e in (await state(api, report, lurah))["timeline"]] == ["CREATED", "HIDDEN", "UNHIDDEN"]


async def test_duty_reports_and_verification(api: Api) -> None:
    rt_code = "31.75.01.1001.RW01.RT001"
    rt_token, _ = await api.account(Role.RT_RW, area_code=rt_code)
    citizen, _ = await api.account()
    verifier, verifier_account = await api.account(Role.VERIFIER, area_code="31.75.01.1001")
    duty = {"input": {"body": "Lingkungan RT 001 bersih", "categoryCode": "KEBERSIHAN", "lat": PISANGAN_BARU[0],
                      "lng": PISANGAN_BARU[1], "photos": [None], "kind": "DUTY"}}
    created = (await api.gql(CREATE, duty, rt_token, files=photo_files()))["createReport"]
    assert created["kind"] == "DUTY"
    assert await api.error_codes(CREATE, duty, citizen, files=photo_files()) == ["FORBIDDEN"]
    far = {"input": {**duty["input"], "lat": CEGER[0], "lng": CEGER[1]}}
    assert await api.error_codes(CREATE, far, rt_token, files=photo_files()) == ["FORBIDDEN"]
    verify = """mutation($id: ID!) { verify(reportId: $id, verdict: VALID, note: "Foto sesuai") {
      verification { verdict note verifier { handle } } timeline { kind } } }"""
    result = (await api.gql(verify, {"id": created["id"]}, verifier))["verify"]
    assert result["verification"] == {"verdict": "VALID", "note": "Foto sesuai",
                                      "verifier": {"handle": verifier_account.handle}}
    assert result["timeline"][-1] == {"kind": "VERIFIED"}
    assert await Area.exists(code=rt_code)
