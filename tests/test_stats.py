"""performance and dutyCompliance against a month of known outcomes, computed again here by hand."""

from __future__ import annotations

import random
import statistics
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from models import Account, Agency, Area, Category, Report, Verification
from models.enums import AreaLevel, ReportKind, ReportStatus, Role, Verdict
from resolvers.ids import to_global_id
from services.areas import AreaRow, upsert_areas
from testkit.client import Api

START = datetime(2026, 10, 1, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)
PERFORMANCE = """query($u: PerformanceUnit!, $f: DateTime!, $t: DateTime!, $a: ID) {
  performance(unit: $u, from: $f, to: $t, areaId: $a) {
    area { code } agency { code } received followedUp followUpRate medianResponseMinutes medianFollowUpHours
    reopenRate overdue rank } }"""


async def own_city(prefix: str) -> dict[str, Area]:
    """A city with one district and two villages of its own, so that no other test's reports count."""
    rows = [
        AreaRow(f"{prefix}", "Kota Uji", AreaLevel.CITY, "31"),
        AreaRow(f"{prefix}.01", "Kecamatan Uji", AreaLevel.DISTRICT, prefix),
        AreaRow(f"{prefix}.01.1001", "Kelurahan Satu", AreaLevel.VILLAGE, f"{prefix}.01"),
        AreaRow(f"{prefix}.01.1002", "Kelurahan Dua", AreaLevel.VILLAGE, f"{prefix}.01"),
        AreaRow(f"{prefix}.01.1001.RW01", "RW 01", AreaLevel.RW, f"{prefix}.01.1001"),
        AreaRow(f"{prefix}.01.1001.RW01.RT001", "RT 001", AreaLevel.RT, f"{prefix}.01.1001.RW01"),
    ]
    await upsert_areas(rows)
    return {a.code.removeprefix(prefix): a for a in await Area.filter(code__startswith=prefix)}


def expected_row(reports: list[dict], now: datetime) -> dict:
    """The contract's definitions, computed in plain Python."""
    received = len(reports)
    fixed = [r for r in reports if r["first_follow_up_at"] is not None]
    responded = [r for r in reports if r["first_response_at"] is not None]
    minutes = [(r["first_response_at"] - r["created_at"]).total_seconds() / 60 for r in responded]
    hours = [(r["first_follow_up_at"] - r["created_at"]).total_seconds() / 3600 for r in fixed]
    reopened = [r for r in fixed if r["reopen_count"] > 0]
    overdue = [r for r in reports if r["due_at"] < now
               and (r["first_follow_up_at"] is None or r["first_follow_up_at"] > r["due_at"])]
    rate = len(fixed) / received if received else 0.0
    reopen_rate = len(reopened) / len(fixed) if fixed else 0.0
    median_hours = statistics.median(hours) if hours else None
    speed = 0.0 if median_hours is None else 1 / (1 + median_hours / 24)
    return {
        "received": received, "followedUp": len(fixed), "followUpRate": rate,
        "medianResponseMinutes": statistics.median(minutes) if minutes else None,
        "medianFollowUpHours": median_hours, "reopenRate": reopen_rate, "overdue": len(overdue),
        "score": 0.7 * rate * (1 - reopen_rate) + 0.3 * speed * rate,
    }


def close(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-3)


def check(rows: list[dict], key: str, groups: dict[str, list[dict]], now: datetime) -> None:
    expected = {code: expected_row(reports, now) for code, reports in groups.items()}
    scores = sorted((e["score"] for e in expected.values()), reverse=True)
    assert {r[key]["code"] for r in rows} == set(expected)
    for row in rows:
        want = expected[row[key]["code"]]
        for field in ("received", "followedUp", "overdue"):
            assert row[field] == want[field], (row, want)
        for field in ("followUpRate", "medianResponseMinutes", "medianFollowUpHours", "reopenRate"):
            assert close(row[field], want[field]), (field, row, want)
        assert row["rank"] == 1 + sum(1 for s in scores if s > want["score"] + 1e-9)
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)


async def test_performance_of_a_month(api: Api) -> None:
    admin, _ = await api.account(Role.ADMIN)
    prefix = f"99.{uuid.uuid4().hex[:6]}"
    areas = await own_city(prefix)
    agencies = {code: (await Agency.create(code=f"{prefix}-{code}", name=code, area=areas[".01"]))
                for code in ("A", "B")}
    category = await Category.get(code="SAMPAH")
    author = (await api.account())[1]
    rng = random.Random(42)
    now = datetime.now(UTC)
    made: list[dict] = []
    for number in range(60):
        village = areas[rng.choice([".01.1001", ".01.1002"])]
        agency = agencies[rng.choice("AB")]
        created = START + timedelta(minutes=rng.randrange(0, 31 * 24 * 60))
        if number < 6:
            created = START - timedelta(days=2)  # before the period: must not count
        kind = ReportKind.DUTY if number % 10 == 9 else ReportKind.CITIZEN  # DUTY reports do not count either
        responded = created + timedelta(minutes=rng.randrange(5, 3000)) if rng.random() < 0.8 else None
        followed = responded + timedelta(hours=rng.randrange(1, 200)) if responded and rng.random() < 0.7 else None
        row: dict[str, Any] = {"created_at": created, "due_at": created + timedelta(hours=72),
                               "first_response_at": responded, "first_follow_up_at": followed,
                               "reopen_count": rng.choice([0, 0, 0, 1, 2]) if followed else 0}
        await Report.create(kind=kind, body="Uji", category=category, lat=0, lng=0, area=village,
                            area_path=village.path, agency=agency, author=author, status=ReportStatus.WAITING,
                            updated_at=created, **row)
        if START <= created < END and kind == ReportKind.CITIZEN:
            made.append({**row, "village": village.code, "agency": agency.code})
    variables = {"f": START.isoformat(), "t": END.isoformat()}
    district = areas[".01"]
    villages = (await api.gql(PERFORMANCE, {**variables, "u": "VILLAGE", "a": to_global_id("Area", district.id)},
                              admin))["performance"]
    check(villages, "area", {code: [r for r in made if r["village"] == code]
                             for code in (f"{prefix}.01.1001", f"{prefix}.01.1002")}, now)
    for unit, code in (("DISTRICT", f"{prefix}.01"), ("CITY", prefix)):
        rows = (await api.gql(PERFORMANCE, {**variables, "u": unit, "a": to_global_id("Area", areas[""].id)}))
        check(rows["performance"], "area", {code: made}, now)
    by_agency = (await api.gql(PERFORMANCE, {**variables, "u": "AGENCY", "a": to_global_id("Area", areas[""].id)}))
    check(by_agency["performance"], "agency", {a.code: [r for r in made if r["agency"] == a.code]
                                               for a in agencies.values()}, now)
    empty = (await api.gql(PERFORMANCE, {"u": "VILLAGE", "f": "2020-01-01T00:00:00+00:00",
                                         "t": "2020-02-01T00:00:00+00:00", "a": to_global_id("Area", district.id)}))
    assert [(r["received"], r["followUpRate"], r["medianResponseMinutes"], r["rank"])
            for r in empty["performance"]] == [(0, 0.0, None, 1), (0, 0.0, None, 1)]  # ties share a rank
    assert await api.error_codes(PERFORMANCE, {**variables, "u": "CITY", "t": START.isoformat()}) == ["BAD_USER_INPUT"]


async def test_duty_compliance_of_a_month(api: Api) -> None:
    prefix = f"98.{uuid.uuid4().hex[:6]}"
    areas = await own_city(prefix)
    rt_head = (await api.account(Role.RT_RW, area_code=f"{prefix}.01.1001.RW01.RT001"))[1]
    rw_head = (await api.account(Role.RT_RW, area_code=f"{prefix}.01.1001.RW01"))[1]
    verifier = (await api.account(Role.VERIFIER, area_code=f"{prefix}.01.1001"))[1]
    category = await Category.get(code="KEBERSIHAN")
    jakarta = ZoneInfo("Asia/Jakarta")

    async def duty(author: Account, local: datetime, verdict: Verdict | None) -> None:
        created = local.replace(tzinfo=jakarta).astimezone(UTC)
        village = areas[".01.1001"]
        report = await Report.create(kind=ReportKind.DUTY, body="Tugas", category=category, lat=0, lng=0,
                                     area=village, area_path=village.path, author=author, created_at=created,
                                     updated_at=created)
        if verdict is not None:
            await Verification.create(report=report, verdict=verdict, verifier=verifier)

    # RT head: 3 valid on Oct 5 (one at 00:30 local, still Oct 5 in Jakarta), 2 valid + 1 invalid on Oct 6,
    # 4 valid on Oct 31 at 23:00 local, 1 unverified, and 3 valid on Nov 1 (another month).
    for hour in (0, 8, 16):
        await duty(rt_head, datetime(2026, 10, 5, hour, 30), Verdict.VALID)
    for verdict in (Verdict.VALID, Verdict.VALID, Verdict.INVALID):
        await duty(rt_head, datetime(2026, 10, 6, 9), verdict)
    for _ in range(4):
        await duty(rt_head, datetime(2026, 10, 31, 23), Verdict.VALID)
    await duty(rt_head, datetime(2026, 10, 7, 9), None)
    for _ in range(3):
        await duty(rt_head, datetime(2026, 11, 1, 0, 10), Verdict.VALID)
    # RW head: 95 valid reports over the month: the cap of 90 applies.
    for number in range(95):
        await duty(rw_head, datetime(2026, 10, 1 + number // 4, 7 + number % 4), Verdict.VALID)

    query = """query($a: ID!, $m: String!) { dutyCompliance(areaId: $a, month: $m) {
      account { handle } area { code } submitted valid daysCompliant payableAmount } }"""
    admin, _ = await api.account(Role.ADMIN)
    rows = (await api.gql(query, {"a": to_global_id("Area", areas[""].id), "m": "2026-10"}, admin))["dutyCompliance"]
    by_handle = {r["account"]["handle"]: r for r in rows}
    assert by_handle[rt_head.handle] == {"account": {"handle": rt_head.handle},
                                         "area": {"code": f"{prefix}.01.1001.RW01.RT001"}, "submitted": 11,
                                         "valid": 9, "daysCompliant": 2, "payableAmount": 9 * 10_000}
    days_with_three = 24  # four a day on Oct 1-23, the last three on Oct 24
    assert by_handle[rw_head.handle] == {"account": {"handle": rw_head.handle},
                                         "area": {"code": f"{prefix}.01.1001.RW01"}, "submitted": 95, "valid": 95,
                                         "daysCompliant": days_with_three, "payableAmount": 90 * 12_500}
    citizen, _ = await api.account()
    assert await api.error_codes(query, {"a": to_global_id("Area", areas[""].id), "m": "2026-10"},
                                 citizen) == ["FORBIDDEN"]
    assert await api.error_codes(query, {"a": to_global_id("Area", areas[""].id), "m": "Oktober"},
                                 admin) == ["BAD_USER_INPUT"]
