"""performance and dutyCompliance against a month of known outcomes, computed again here by hand from the README."""

from __future__ import annotations

import random
import statistics
import uuid
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from models import Account, Agency, Area, Category, FixRating, FollowUp, Report, Verification
from models.enums import AreaLevel, RejectReason, ReportKind, ReportStatus, Role, Verdict
from resolvers.ids import to_global_id
from services.areas import AreaRow, upsert_areas
from testkit.client import Api

START = datetime(2026, 10, 1, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)
PERFORMANCE = """query($u: PerformanceUnit!, $f: DateTime!, $t: DateTime!, $a: ID) {
  performance(unit: $u, from: $f, to: $t, areaId: $a) {
    area { code } agency { code } received excused rejected rejectRate rejectsMoreThanPeers followedUp followUpRate
    medianResponseMinutes medianFollowUpHours reopenRate overdue averageRating ratedCount escalated inconsistentProofs
    score scoreParts { fix speed escalationCost proofCost } ranked rank } }"""
VILLAGES = [f".0{district}.100{number}" for district in (1, 2) for number in range(1, 7)]
EXCUSED = {RejectReason.NOT_OUR_AUTHORITY, RejectReason.SPAM}  # README: not the unit's fault
MINIMUM = 10  # WARGA_RANKING_MIN_REPORTS, the default
TIE = 1e-9


async def own_city(prefix: str) -> dict[str, Area]:
    """A city with two districts of six villages each, so that no other test's reports count."""
    rows = [AreaRow(prefix, "Kota Uji", AreaLevel.CITY, "31"),
            AreaRow(f"{prefix}.01", "Kecamatan Satu", AreaLevel.DISTRICT, prefix),
            AreaRow(f"{prefix}.02", "Kecamatan Dua", AreaLevel.DISTRICT, prefix),
            *(AreaRow(f"{prefix}{code}", f"Kelurahan {code}", AreaLevel.VILLAGE, f"{prefix}{code[:3]}")
              for code in VILLAGES),
            AreaRow(f"{prefix}.01.1001.RW01", "RW 01", AreaLevel.RW, f"{prefix}.01.1001"),
            AreaRow(f"{prefix}.01.1001.RW01.RT001", "RT 001", AreaLevel.RT, f"{prefix}.01.1001.RW01")]
    await upsert_areas(rows)
    return {a.code.removeprefix(prefix): a for a in await Area.filter(code__startswith=prefix)}


def outcome(created: datetime, kind: ReportKind = ReportKind.CITIZEN, **changes: Any) -> dict[str, Any]:
    """A report's columns, plus its follow-ups as (proofConsistent, stars or None, created_at), oldest first."""
    return {"kind": kind, "created_at": created, "due_at": created + timedelta(hours=72), "first_response_at": None,
            "first_follow_up_at": None, "reopen_count": 0, "status": ReportStatus.WAITING, "reject_reason": None,
            "escalation_level": 0, "follow_ups": [], **changes}


def perfect(created: datetime) -> dict[str, Any]:
    """Answered in 30 minutes, fixed in 12 hours with a consistent proof, rated 5: fix 1, speed 1 / 1.5."""
    fixed = created + timedelta(hours=12)
    return outcome(created, first_response_at=created + timedelta(minutes=30), status=ReportStatus.FOLLOWED_UP,
                   first_follow_up_at=fixed, follow_ups=[(True, 5, fixed)])


def rejected(created: datetime, reason: RejectReason, **changes: Any) -> dict[str, Any]:
    return outcome(created, status=ReportStatus.REJECTED, reject_reason=reason,
                   first_response_at=created + timedelta(minutes=10), **changes)


def generated(rng: random.Random, created: datetime, kind: ReportKind, reject_p: float, fix_p: float) -> dict[str, Any]:
    # A few dueAt still in the future: they are not overdue yet, whatever happened.
    row = outcome(created, kind, due_at=created + timedelta(hours=72 if rng.random() < 0.85 else 24 * 90),
                  escalation_level=rng.choice([0, 0, 0, 1, 2]))
    if rng.random() < reject_p:
        return rejected(created, rng.choice(list(RejectReason)), kind=kind, due_at=row["due_at"],
                        escalation_level=row["escalation_level"])
    if rng.random() < 0.85:
        row.update(first_response_at=created + timedelta(minutes=rng.randrange(5, 3000)),
                   status=ReportStatus.IN_PROGRESS)
        if rng.random() < fix_p:
            at = row["first_response_at"] + timedelta(hours=rng.randrange(1, 200), minutes=rng.randrange(60))
            row.update(first_follow_up_at=at, status=ReportStatus.FOLLOWED_UP, reopen_count=rng.choice([0, 0, 0, 1, 2]))
            for _ in range(rng.randint(1, 3)):  # stars on an older follow-up only leave the report unrated
                row["follow_ups"].append((rng.choice([None, True, True, True, False]),
                                          rng.choice([None, None, 1, 2, 3, 4, 5]), at))
                at += timedelta(hours=rng.randrange(1, 48))
    return row


async def store(row: dict[str, Any], village: Area, agency: Agency | None, author: Account) -> None:
    columns = {k: v for k, v in row.items() if k != "follow_ups"}
    last = row["follow_ups"][-1][2] if row["follow_ups"] else None
    sampah = await Category.get(code="SAMPAH", city_id=None)
    report = await Report.create(body="Uji", category=sampah, lat=0, lng=0, area=village,
                                 area_path=village.path, agency=agency, author=author, updated_at=row["created_at"],
                                 last_follow_up_at=last, **columns)
    for proof, stars, at in row["follow_ups"]:  # created in order: the latest has the highest id
        follow_up = await FollowUp.create(report=report, officer=author, note="Beres", proof_consistent=proof,
                                          created_at=at)
        if stars is not None:
            await FixRating.create(report=report, follow_up=follow_up, stars=stars, created_at=at + timedelta(hours=1))


def fix_hours(report: dict[str, Any]) -> float:
    return float((report["first_follow_up_at"] - report["created_at"]).total_seconds() / 3600)


def expected_row(reports: list[dict[str, Any]], now: datetime) -> dict[str, Any]:
    """README, "Performance score", in plain Python."""
    received = len(reports)
    refused = [r for r in reports if r["status"] == ReportStatus.REJECTED]
    counted = [r for r in reports if not (r["status"] == ReportStatus.REJECTED and r["reject_reason"] in EXCUSED)]
    n = len(counted)
    fixed = [r for r in counted if r["follow_ups"]]
    real = [r for r in fixed if all(proof is not False for proof, _, _ in r["follow_ups"])]
    stars = [r["follow_ups"][-1][1] for r in fixed if r["follow_ups"][-1][1] is not None]
    weight = {None: 0.75, 1: 0.0, 2: 0.0, 3: 0.5, 4: 1.0, 5: 1.0}
    hours = [fix_hours(r) for r in fixed]
    minutes = [(r["first_response_at"] - r["created_at"]).total_seconds() / 60 for r in counted
               if r["first_response_at"] is not None]
    kept = [r for r in real if r["reopen_count"] == 0]
    parts = {"fix": sum(weight[r["follow_ups"][-1][1]] for r in kept) / n if n else 0.0,
             "speed": sum(1 / (1 + fix_hours(r) / 24) for r in kept) / n if n else 0.0,
             "escalationCost": sum(r["escalation_level"] > 0 for r in counted) / n if n else 0.0,
             "proofCost": (len(fixed) - len(real)) / n if n else 0.0}
    score = 0.7 * parts["fix"] + 0.3 * parts["speed"] - 0.2 * parts["escalationCost"] - 0.3 * parts["proofCost"]
    return {
        "received": received, "excused": received - n, "rejected": len(refused),
        "rejectRate": len(refused) / received if received else 0.0, "followedUp": len(fixed),
        "followUpRate": len(fixed) / n if n else 0.0,
        "medianResponseMinutes": statistics.median(minutes) if minutes else None,
        "medianFollowUpHours": statistics.median(hours) if hours else None,
        "reopenRate": sum(r["reopen_count"] > 0 for r in fixed) / len(fixed) if fixed else 0.0,
        "overdue": sum(r["due_at"] < now and (r["first_follow_up_at"] is None or r["first_follow_up_at"] > r["due_at"])
                       for r in counted),
        "averageRating": float(statistics.mean(stars)) if stars else None, "ratedCount": len(stars),
        "escalated": sum(r["escalation_level"] > 0 for r in counted), "inconsistentProofs": len(fixed) - len(real),
        "score": min(max(score, 0.0), 1.0) if n else 0.0, "scoreParts": parts, "ranked": n >= MINIMUM,
    }


def same(got: Any, want: Any, field: str) -> bool:
    if isinstance(want, dict):
        return set(got) == set(want) and all(same(got[k], v, k) for k, v in want.items())
    if isinstance(want, float) and got is not None:
        return abs(got - want) < (1e-3 if field.startswith("median") else 1e-6)
    return bool(got == want) and type(got) is type(want)


def check(rows: list[dict[str, Any]], key: str, groups: dict[str, list[dict[str, Any]]],
          now: datetime) -> dict[str, dict[str, Any]]:
    """Every field of every row against expected_row; ranks and peers over the units listed; the order."""
    want = {code: expected_row(reports, now) for code, reports in groups.items()}
    rates = [w["rejectRate"] for w in want.values() if w["received"]]
    median_rate = statistics.median(rates) if rates else 0.0
    ranked_scores = [w["score"] for w in want.values() if w["ranked"]]
    for w in want.values():
        w["rejectsMoreThanPeers"] = w["rejected"] >= 3 and w["rejectRate"] > 2 * median_rate
        w["rank"] = 1 + sum(s > w["score"] + TIE for s in ranked_scores) if w["ranked"] else 0
    assert sorted(r[key]["code"] for r in rows) == sorted(want)
    for row in rows:
        code = row[key]["code"]
        for field, value in want[code].items():
            assert same(row[field], value, field), (code, field, row[field], value)
    flags = [r["ranked"] for r in rows]
    assert flags == sorted(flags, reverse=True), "ranked units first"
    ranks = [r["rank"] for r in rows if r["ranked"]]
    unranked = [r["score"] for r in rows if not r["ranked"]]
    assert ranks == sorted(ranks) and all(a >= b - TIE for a, b in pairwise(unranked))
    return {r[key]["code"]: r for r in rows}


async def performance(api: Api, token: str, unit: str, area: Area, start: datetime = START,
                      end: datetime = END) -> list[dict[str, Any]]:
    variables = {"u": unit, "f": start.isoformat(), "t": end.isoformat(), "a": to_global_id("Area", area.id)}
    return list((await api.gql(PERFORMANCE, variables, token))["performance"])


async def test_performance_of_a_generated_month(api: Api) -> None:
    token, _ = await api.account(Role.ADMIN)
    author = (await api.account())[1]
    prefix = f"99.{uuid.uuid4().hex[:6]}"
    areas = await own_city(prefix)
    agencies = [await Agency.create(code=f"{prefix}-{name}", name=name, area=areas[district])
                for name, district in (("A", ".01"), ("B", ".01"), ("C", ".02"))]
    rng = random.Random(20261001)
    made: list[tuple[str, str | None, dict[str, Any]]] = []  # (village, agency, report) of the reports that count
    volumes = [0, 2, 5, 8, 9, 11, 12, 14, 17, 21, 26, 30]
    rng.shuffle(volumes)
    for code, volume in zip(VILLAGES, volumes, strict=True):
        reject_p, fix_p = rng.choice([0.05, 0.1, 0.2, 0.5]), rng.choice([0.4, 0.7, 0.9])
        times = [START, *(START + timedelta(minutes=rng.randrange(1, 31 * 24 * 60)) for _ in range(volume))][:volume]
        # Not counted: before the period, at its end (to is exclusive), and a DUTY report inside it.
        plan = [(t, ReportKind.CITIZEN) for t in times] + [
            (START - timedelta(days=3), ReportKind.CITIZEN), (END, ReportKind.CITIZEN),
            (START + timedelta(days=9), ReportKind.DUTY)]
        for created, kind in plan:
            row, agency = generated(rng, created, kind, reject_p, fix_p), rng.choice([*agencies, None])
            await store(row, areas[code], agency, author)
            if kind == ReportKind.CITIZEN and START <= created < END:
                made.append((code, agency.code if agency else None, row))
    now, city = datetime.now(UTC), areas[""]

    rows = check(await performance(api, token, "VILLAGE", city), "area",
                 {prefix + c: [r for v, _, r in made if v == c] for c in VILLAGES}, now)
    assert 3 <= sum(r["ranked"] for r in rows.values()) <= 9, "the month reaches both sides of the minimum"
    assert 0 < sum(r["rejectsMoreThanPeers"] for r in rows.values()) < 12
    for unit, codes in (("DISTRICT", (".01", ".02")), ("CITY", ("",))):
        check(await performance(api, token, unit, city), "area",
              {prefix + c: [r for v, _, r in made if v.startswith(c)] for c in codes}, now)
    check(await performance(api, token, "AGENCY", city), "agency",
          {a.code: [r for _, g, r in made if g == a.code] for a in agencies}, now)
    empty = await performance(api, token, "VILLAGE", city, datetime(2020, 1, 1, tzinfo=UTC),
                              datetime(2020, 2, 1, tzinfo=UTC))
    check(empty, "area", {prefix + c: [] for c in VILLAGES}, now)
    assert await api.error_codes(PERFORMANCE, {"u": "CITY", "f": START.isoformat(), "t": START.isoformat()},
                                 token) == ["BAD_USER_INPUT"]


async def test_excused_rejections_and_the_minimum(api: Api) -> None:
    token, _ = await api.account(Role.ADMIN)
    author = (await api.account())[1]
    prefix = f"97.{uuid.uuid4().hex[:6]}"
    areas = await own_city(prefix)
    day = START + timedelta(days=2)
    ten = [perfect(day + timedelta(hours=i)) for i in range(10)]
    plans = {".01.1001": ten,
             ".01.1002": ten + [rejected(day, r) for r in (RejectReason.NOT_OUR_AUTHORITY, RejectReason.SPAM) * 2],
             ".01.1003": ten + [rejected(day, r) for r in (RejectReason.DUPLICATE, RejectReason.OTHER) * 2],
             ".01.1004": ten[:2]}
    later = END + timedelta(days=30)
    for code, rows in [*plans.items(), (".02.1006", [perfect(END), perfect(later), perfect(later)])]:
        for row in rows:
            await store(row, areas[code], None, author)
    november = {r["area"]["code"]: r for r in await performance(api, token, "VILLAGE", areas[""], END, later)}
    assert november[prefix + ".02.1006"]["received"] == 1, "[from, to): a report at from counts, one at to does not"

    listed = await performance(api, token, "VILLAGE", areas[""])
    base, excused, blamed, few = ({r["area"]["code"]: r for r in listed}[prefix + c] for c in plans)
    assert abs(base["score"] - (0.7 + 0.3 / 1.5)) < 1e-6 and abs(excused["score"] - base["score"]) < 1e-9
    assert (base["rank"], excused["rank"], excused["excused"], excused["rejected"]) == (1, 1, 4, 4)
    assert excused["overdue"] == 0, "excused reports count nowhere else"
    assert abs(blamed["score"] - 9 / 14) < 1e-6 and (blamed["rank"], blamed["excused"], blamed["overdue"]) == (3, 0, 4)
    assert (few["ranked"], few["rank"], few["received"]) == (False, 0, 2) and few["score"] > blamed["score"]
    assert [r["area"]["code"] for r in listed][2:4] == [prefix + ".01.1003", prefix + ".01.1004"]
    # Peers are the listed units that received reports (README): rates 0, 0, 4/14 and 4/14, median 1/7, so
    # 4/14 is not over twice it; empty units do not drag the median down.
    assert (excused["rejectsMoreThanPeers"], blamed["rejectsMoreThanPeers"]) == (False, False)
    check(listed, "area", {prefix + c: plans.get(c, []) for c in VILLAGES}, datetime.now(UTC))


async def test_duty_compliance_of_a_month(api: Api) -> None:
    prefix = f"98.{uuid.uuid4().hex[:6]}"
    areas = await own_city(prefix)
    rt_head = (await api.account(Role.RT_RW, area_code=f"{prefix}.01.1001.RW01.RT001"))[1]
    rw_head = (await api.account(Role.RT_RW, area_code=f"{prefix}.01.1001.RW01"))[1]
    verifier = (await api.account(Role.VERIFIER, area_code=f"{prefix}.01.1001"))[1]
    category = await Category.get(code="KEBERSIHAN", city_id=None)
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
