"""Fair accountability end to end: the reporter rates the fix, proof photos are checked against the report
from their real EXIF, rejections carry a reason, and overdue reports climb the hierarchy exactly once a step.
(The score itself: tests/rules/test_performance.py and tests/test_stats.py; two servers: test_scale_out.)"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

from core import clock
from models import Account, Category, FixRating, Notification, Report, ReportEvent
from models.enums import EventKind, NotificationKind, Role
from resolvers.ids import pk_of
from services import escalation
from testkit.client import Api
from testkit.images import camera_photo
from testkit.reports import ACK, PISANGAN_BARU, post

FOLLOW_UP = "mutation($id: ID!, $p: [Upload!]!) { followUp(reportId: $id, note: \"Sudah diperbaiki\", photos: $p) " \
            "{ status followUps { proofConsistent } } }"
RATE = """mutation($id: ID!, $s: Int!, $c: String) {
  rateFix(reportId: $id, stars: $s, comment: $c) { status rating { stars comment } } }"""
STATE = """query($id: ID!) { report(id: $id) { status escalationLevel escalatedTo { code } rejectReason
  rating { stars comment createdAt } followUps { proofConsistent } timeline { kind status note } } }"""
REJECT = """mutation($id: ID!, $d: ID, $code: RejectReason) {
  reject(reportId: $id, reason: "Bukan kewenangan kami", duplicateOfId: $d, reasonCode: $code) { rejectReason } }"""
WIB = ZoneInfo("Asia/Jakarta")
FAR = (-6.2207, 106.8690)  # 1 km south of Pisangan Baru's test point


async def follow_up(api: Api, report_id: str, token: str, photo: bytes) -> dict:
    files = {"variables.p.0": photo}
    return dict((await api.gql(FOLLOW_UP, {"id": report_id, "p": [None]}, token, files=files))["followUp"])


async def fixed_report(api: Api) -> tuple[str, str, str]:
    """A report in Pisangan Baru followed up with a good proof: (its id, the reporter's token, the officer's)."""
    resident, _ = await api.account()
    officer, _ = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    report = (await post(api, resident, PISANGAN_BARU))["id"]
    await follow_up(api, report, officer, camera_photo(PISANGAN_BARU, taken=clock.now()))
    return report, resident, officer


async def state(api: Api, report_id: str, token: str | None = None) -> dict:
    return dict((await api.gql(STATE, {"id": report_id}, token))["report"])


async def test_the_reporter_rates_the_fix_and_rating_again_replaces_it(api: Api) -> None:
    report, resident, officer = await fixed_report(api)
    assert (await api.gql(RATE, {"id": report, "s": 4}, resident))["rateFix"] == {
        "status": "FOLLOWED_UP", "rating": {"stars": 4, "comment": None}}
    again = await api.gql(RATE, {"id": report, "s": 5, "c": "Terang lagi"}, resident)
    assert again["rateFix"]["rating"] == {"stars": 5, "comment": "Terang lagi"}
    assert await FixRating.filter(report_id=pk_of(report, "Report")).count() == 1
    seen = await state(api, report)
    assert [(e["kind"], e["note"]) for e in seen["timeline"] if e["kind"] == "RATED"] == [
        ("RATED", "4/5"), ("RATED", "5/5: Terang lagi")]
    # Only the reporter, only 1 to 5, only once there is a fix.
    assert await api.error_codes(RATE, {"id": report, "s": 5}, officer) == ["FORBIDDEN"]
    assert await api.error_codes(RATE, {"id": report, "s": 5}) == ["UNAUTHENTICATED"]
    for stars in (0, 6, -1):
        assert await api.error_codes(RATE, {"id": report, "s": stars}, resident) == ["BAD_USER_INPUT"]
    waiting = (await post(api, resident, PISANGAN_BARU))["id"]
    assert await api.error_codes(RATE, {"id": waiting, "s": 3}, resident) == ["BAD_USER_INPUT"]
    assert (await state(api, report))["rating"]["stars"] == 5  # the refused attempts changed nothing


async def test_a_low_rating_with_a_reason_reopens_and_a_new_fix_starts_unrated(api: Api) -> None:
    report, resident, officer = await fixed_report(api)
    silent = await api.gql(RATE, {"id": report, "s": 2}, resident)
    assert silent["rateFix"]["status"] == "FOLLOWED_UP"  # without a reason it does not reopen
    low = await api.gql(RATE, {"id": report, "s": 1, "c": "Masih mati tiap malam"}, resident)
    assert low["rateFix"] == {"status": "REOPENED", "rating": {"stars": 1, "comment": "Masih mati tiap malam"}}
    assert (await Report.get(id=pk_of(report, "Report"))).reopen_count == 1
    assert [e["kind"] for e in (await state(api, report))["timeline"]][-2:] == ["RATED", "REOPENED"]
    await follow_up(api, report, officer, camera_photo(PISANGAN_BARU, taken=clock.now()))
    assert (await state(api, report))["rating"] is None  # the new fix is not rated yet
    await api.gql("mutation($id: ID!) { closeReport(reportId: $id) { status } }", {"id": report}, resident)
    closed = await api.gql(RATE, {"id": report, "s": 1, "c": "Tetap buruk"}, resident)
    assert closed["rateFix"]["status"] == "CLOSED"  # only a FOLLOWED_UP report reopens by rating


async def test_proof_photos_are_checked_against_the_report_from_their_exif(api: Api) -> None:
    resident, _ = await api.account()
    officer, _ = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    admin, _ = await api.account(Role.ADMIN)
    posted = clock.now()
    clock.advance(2 * 3600)  # the fix comes two hours later
    now = clock.now()
    cases = [
        ("near, taken after the report", camera_photo(PISANGAN_BARU, taken=now - timedelta(minutes=30)), True),
        ("GPS only, near", camera_photo(PISANGAN_BARU), True),
        ("1 km away", camera_photo(FAR, taken=now), False),
        ("taken before the report", camera_photo(PISANGAN_BARU, taken=posted - timedelta(days=3)), False),
        ("taken tomorrow", camera_photo(PISANGAN_BARU, taken=now + timedelta(days=1)), False),
        ("GPS time (UTC) after the report", camera_photo(None, taken=now, gps_time=True, offset=None), True),
        # A camera clock without a zone is read in the city's (WIB): an hour ago there; read as UTC it would
        # lie seven hours in the future.
        ("WIB clock without a zone", camera_photo(None, taken=(now - timedelta(hours=1)).astimezone(WIB)
                                                  .replace(tzinfo=None), offset=None), True),
        ("no EXIF at all", camera_photo(None), None),
    ]
    for why, photo, expected in cases:
        clock.reset()
        report = (await post(api, resident, PISANGAN_BARU, body=f"Lampu mati: {why}"))["id"]
        clock.advance(2 * 3600)
        answer = await follow_up(api, report, officer, photo)
        assert answer["followUps"] == [{"proofConsistent": expected}], why
        assert (await state(api, report, admin))["followUps"] == [{"proofConsistent": expected}], why
        for viewer in (resident, None):  # only officials of the report and admins see it
            assert (await state(api, report, viewer))["followUps"] == [{"proofConsistent": None}], why
    # The capture time itself, for the officials: the last case carried none.
    taken = "query($id: ID!) { report(id: $id) { followUps { photos { takenAt } } } }"
    first = (await post(api, resident, PISANGAN_BARU, body="Lampu mati lagi"))["id"]
    moment = clock.now().replace(microsecond=0) - timedelta(minutes=1)
    await follow_up(api, first, officer, camera_photo(PISANGAN_BARU, taken=moment))
    seen = {who: (await api.gql(taken, {"id": first}, token))["report"]["followUps"][0]["photos"][0]["takenAt"]
            for who, token in (("officer", officer), ("resident", resident))}
    assert seen == {"officer": moment.isoformat(), "resident": None}


async def test_rejections_carry_a_reason(api: Api) -> None:
    resident, _ = await api.account()
    officer, _ = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    first = (await post(api, resident, PISANGAN_BARU))["id"]

    async def reject(**variables: object) -> list[str] | str:
        report = (await post(api, resident, PISANGAN_BARU))["id"]
        body = await api.raw(REJECT, {"id": report, **variables}, officer)
        if "errors" in body:
            return [error["extensions"]["code"] for error in body["errors"]]
        return str(body["data"]["reject"]["rejectReason"])

    assert await reject(code="SPAM") == "SPAM"
    assert await reject(code="NOT_OUR_AUTHORITY") == "NOT_OUR_AUTHORITY"
    assert await reject() == "OTHER"
    assert await reject(d=first) == "DUPLICATE"
    assert await reject(d=first, code="DUPLICATE") == "DUPLICATE"
    assert await reject(code="DUPLICATE") == ["BAD_USER_INPUT"]  # a duplicate of what?
    assert await reject(d=first, code="SPAM") == ["BAD_USER_INPUT"]
    assert await reject(code="LAZY") == ["BAD_USER_INPUT"]


async def _escalation_world(api: Api) -> tuple[Category, dict[str, tuple[str, Account]]]:
    """The demo's SAMPAH (SLA 24 h, a step every 24 h) and the heads a Pisangan Baru report climbs to."""
    category = await Category.get(code="SAMPAH", city_id=None)
    assert (category.sla_hours, category.escalate_every_hours) == (24, 24)
    heads = {
        "kecamatan": await api.account(Role.AREA_HEAD, area_code="31.75.01"),
        "kota": await api.account(Role.AREA_HEAD, area_code="31.75"),
        "agency": await api.account(Role.AGENCY_HEAD, agency_id=category.agency_id),
    }
    return category, heads


async def _told(heads: dict[str, tuple[str, Account]], report_id: str) -> dict[str, int]:
    return {name: await Notification.filter(account_id=head.id, report_id=pk_of(report_id, "Report"),
                                            kind=NotificationKind.ESCALATED).count()
            for name, (_, head) in heads.items()}


async def _steps(report_id: str) -> tuple[int, int]:
    """(escalationLevel, ESCALATED events) of a report. Other tests' overdue reports may climb in the same runs
    of the duty, so tests count their own report's steps, not the duty's."""
    pk = pk_of(report_id, "Report")
    level = (await Report.get(id=pk)).escalation_level
    return level, await ReportEvent.filter(report_id=pk, kind=EventKind.ESCALATED).count()


async def _two_servers() -> None:
    """The duty as two servers run it: at once."""
    await asyncio.gather(escalation.run(), escalation.run())


async def test_an_overdue_report_climbs_two_levels_exactly_once_each(api: Api) -> None:
    category, heads = await _escalation_world(api)
    resident, _ = await api.account()
    report = (await post(api, resident, PISANGAN_BARU, category=category.code))["id"]
    fixed_in_time = (await post(api, resident, PISANGAN_BARU, category=category.code))["id"]
    officer, _ = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    await follow_up(api, fixed_in_time, officer, camera_photo(PISANGAN_BARU, taken=clock.now()))
    never = (await post(api, resident, PISANGAN_BARU, category="MACET"))["id"]  # MACET never escalates

    clock.advance(24 * 3600 - 60)  # a minute before the deadline: nothing
    await _two_servers()
    assert await _steps(report) == (0, 0)
    clock.advance(61)
    await _two_servers()
    assert await _steps(report) == (1, 1)  # two servers, one step
    first = await state(api, report)
    assert first["escalatedTo"] == {"code": "31.75.01"}
    assert await _told(heads, report) == {"kecamatan": 1, "kota": 0, "agency": 1}
    clock.advance(24 * 3600 - 60)
    await _two_servers()
    assert await _steps(report) == (1, 1)
    clock.advance(60)
    await _two_servers()
    assert await _steps(report) == (2, 2)
    second = await state(api, report)
    assert second["escalatedTo"] == {"code": "31.75"}
    assert await _told(heads, report) == {"kecamatan": 1, "kota": 1, "agency": 1}
    clock.advance(48 * 3600)  # the kota is the top: no third step
    await _two_servers()
    assert await _steps(report) == (2, 2)
    assert [e["kind"] for e in second["timeline"]] == ["CREATED", "ESCALATED", "ESCALATED"]
    for other in (fixed_in_time, never):
        assert await _steps(other) == (0, 0)
    # The kecamatan's head may act on the escalated report (their subtree).
    acknowledged = await api.gql(ACK, {"id": report}, heads["kecamatan"][0])
    assert acknowledged["acknowledge"]["status"] == "IN_PROGRESS"


async def test_a_follow_up_ends_the_climb(api: Api) -> None:
    category, _ = await _escalation_world(api)
    resident, _ = await api.account()
    officer, _ = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    report = (await post(api, resident, PISANGAN_BARU, category=category.code))["id"]
    clock.advance(24 * 3600 + 1)
    await escalation.run()
    assert await _steps(report) == (1, 1)
    await follow_up(api, report, officer, camera_photo(PISANGAN_BARU, taken=clock.now()))
    clock.advance(30 * 24 * 3600)
    await escalation.run()
    assert await _steps(report) == (1, 1)  # no further step, and the history stays
    assert (await Report.get(id=pk_of(report, "Report"))).escalate_at is None
