"""Accountability in numbers: performance rankings and RT/RW duty compliance, as SQL aggregates.

The workflow keeps first_response_at, first_follow_up_at and reopen_count on each report, so
every figure here is an aggregate over report rows; medians use window functions, which both
PostgreSQL and SQLite have. Python only ranks the units and sums at most a month of days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise import connections

from core import clock
from core.errors import BadInput, Forbidden, NotFound, Unauthenticated
from models import Account, Agency, Area
from models.enums import AreaLevel, PerformanceUnit, Role
from plumbing.dialect import is_postgres, moment_param, placeholders

SLA_REFERENCE_HOURS = 24.0


@dataclass
class PerformanceRow:
    area_id: int | None
    agency_id: int | None
    received: int
    followed_up: int
    follow_up_rate: float
    median_response_minutes: float | None
    median_follow_up_hours: float | None
    reopen_rate: float
    overdue: int
    score: float = 0.0
    rank: int = 0


def score(row: PerformanceRow) -> float:
    """Fixed and stayed fixed counts most; speed counts only for what was followed up.

    fix = followUpRate x (1 - reopenRate); speed = 1 / (1 + medianFollowUpHours / 24);
    score = 0.7 x fix + 0.3 x speed x followUpRate. Rejecting or closing fast without a
    follow-up earns nothing, and a fix that residents reopen is taken back.
    """
    fix = row.follow_up_rate * (1 - row.reopen_rate)
    hours = row.median_follow_up_hours
    speed = 0.0 if hours is None else 1 / (1 + hours / SLA_REFERENCE_HOURS)
    return 0.7 * fix + 0.3 * speed * row.follow_up_rate


def _seconds(later: str, earlier: str) -> str:
    if is_postgres():
        return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


async def _rows(query: str, values: list[Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await connections.get("default").execute_query_dict(placeholders(query), values)
    return rows


def _median(cte: str, value: str, where: str) -> str:
    return f"""{cte}
    SELECT unit_id, AVG(v) AS median FROM (
      SELECT unit_id, v, ROW_NUMBER() OVER (PARTITION BY unit_id ORDER BY v) AS rn,
             COUNT(*) OVER (PARTITION BY unit_id) AS n
      FROM (SELECT unit_id, {value} AS v FROM rows WHERE {where}) AS x
    ) AS y WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY unit_id"""


async def performance(
    unit: PerformanceUnit, start: datetime, end: datetime, area_id: int | None
) -> list[PerformanceRow]:
    if end <= start:
        raise BadInput("to must be after from.")
    prefix = "/"
    if area_id is not None:
        area = await Area.get_or_none(id=area_id)
        if area is None:
            raise NotFound("No such area.")
        prefix = area.path
    if unit == PerformanceUnit.AGENCY:
        units: list[Agency] | list[Area] = (
            await Agency.filter(area__path__startswith=prefix) if area_id else await Agency.all()
        )
        unit_sql = (
            "SELECT a.id AS unit_id FROM agency a LEFT JOIN area p ON p.id = a.area_id "
            "WHERE CAST(? AS TEXT) = '/' OR p.path LIKE CAST(? AS TEXT) || '%'"
        )
        source, mapping, window = "units JOIN report r ON r.agency_id = units.unit_id", "", []
    else:
        units = await Area.filter(level=AreaLevel(unit.value), path__startswith=prefix)
        unit_sql = f"SELECT id AS unit_id, path AS unit_path FROM area WHERE level = '{unit.value}' " \
                   "AND (CAST(? AS TEXT) = '/' OR path LIKE CAST(? AS TEXT) || '%')"
        # Prefix-matching every report against every unit is a nested loop (65 x 100,000 LIKEs, three
        # times): match the few distinct area paths instead, then join the reports on equality.
        mapping = """paths AS (SELECT DISTINCT area_path FROM report
          WHERE kind = 'CITIZEN' AND created_at >= ? AND created_at < ?),
        by_path AS (SELECT units.unit_id, paths.area_path FROM units
          JOIN paths ON paths.area_path LIKE units.unit_path || '%'),"""
        source = "by_path AS units JOIN report r ON r.area_path = units.area_path"
        window = [moment_param(start), moment_param(end)]
    cte = f"""WITH units AS ({unit_sql}), {mapping}
    rows AS (
      SELECT units.unit_id, r.created_at, r.due_at, r.first_response_at, r.first_follow_up_at, r.reopen_count
      FROM {source}
      WHERE r.kind = 'CITIZEN' AND r.created_at >= ? AND r.created_at < ?
    )"""
    base = [prefix, prefix, *window, moment_param(start), moment_param(end)]
    counts = await _rows(
        f"""{cte}
        SELECT unit_id, COUNT(*) AS received,
          SUM(CASE WHEN first_follow_up_at IS NOT NULL THEN 1 ELSE 0 END) AS followed_up,
          SUM(CASE WHEN first_follow_up_at IS NOT NULL AND reopen_count > 0 THEN 1 ELSE 0 END) AS reopened,
          SUM(CASE WHEN due_at < ? AND (first_follow_up_at IS NULL OR first_follow_up_at > due_at)
              THEN 1 ELSE 0 END) AS overdue
        FROM rows GROUP BY unit_id""",
        [*base, moment_param(clock.now())],
    )
    response = await _rows(
        _median(cte, _seconds("first_response_at", "created_at") + " / 60.0", "first_response_at IS NOT NULL"), base
    )
    follow_up = await _rows(
        _median(cte, _seconds("first_follow_up_at", "created_at") + " / 3600.0", "first_follow_up_at IS NOT NULL"),
        base,
    )
    by_unit = {r["unit_id"]: r for r in counts}
    response_median = {r["unit_id"]: float(r["median"]) for r in response}
    follow_up_median = {r["unit_id"]: float(r["median"]) for r in follow_up}
    result = []
    for u in units:
        c = by_unit.get(u.id, {})
        received, followed = int(c.get("received") or 0), int(c.get("followed_up") or 0)
        is_agency = unit == PerformanceUnit.AGENCY
        result.append(
            PerformanceRow(
                area_id=None if is_agency else u.id,
                agency_id=u.id if is_agency else None,
                received=received,
                followed_up=followed,
                follow_up_rate=followed / received if received else 0.0,
                median_response_minutes=response_median.get(u.id),
                median_follow_up_hours=follow_up_median.get(u.id),
                reopen_rate=int(c.get("reopened") or 0) / followed if followed else 0.0,
                overdue=int(c.get("overdue") or 0),
            )
        )
    return _ranked(result)


def _ranked(rows: list[PerformanceRow]) -> list[PerformanceRow]:
    """1 is best; equal scores share a rank (1, 1, 3)."""
    for row in rows:
        row.score = round(score(row), 9)
    rows.sort(key=lambda r: -r.score)
    for position, row in enumerate(rows):
        tied = position > 0 and rows[position - 1].score == row.score
        row.rank = rows[position - 1].rank if tied else position + 1
    return rows


@dataclass(frozen=True)
class DutyRates:
    """Rupiah per valid duty report, by the head's level, and the most reports paid in a month (from the
    settings, through app.resources)."""

    rt: int
    rw: int
    monthly_cap: int


@dataclass
class DutyCompliance:
    account: Account
    area: Area
    submitted: int
    valid: int
    days_compliant: int
    payable_amount: int


def _month(month: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    match = re.fullmatch(r"(\d{4})-(\d{2})", month)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise BadInput("month is YYYY-MM.")
    first = date(int(match.group(1)), int(match.group(2)), 1)
    following = (first + timedelta(days=32)).replace(day=1)
    start = datetime(first.year, first.month, 1, tzinfo=tz)
    return start, datetime(following.year, following.month, 1, tzinfo=tz)


async def duty_compliance(
    viewer: Account | None, area_id: int, month: str, rates: DutyRates, timezone: str
) -> list[DutyCompliance]:
    """Every RT/RW head inside the area: the month's DUTY reports, verdicts and payable amount."""
    if viewer is None:
        raise Unauthenticated()
    area = await Area.get_or_none(id=area_id)
    if area is None:
        raise NotFound("No such area.")
    viewer_area = await Area.get_or_none(id=viewer.area_id) if viewer.area_id else None
    officials = {Role.AREA_HEAD, Role.VERIFIER, Role.OFFICER}
    inside = viewer_area is not None and (area.path.startswith(viewer_area.path))
    if not (viewer.role == Role.ADMIN or (viewer.role in officials and inside)):
        raise Forbidden("Duty compliance is for the city admin and the officials of the area.")
    tz = ZoneInfo(timezone)
    start, end = _month(month, tz)
    heads = await Account.filter(role=Role.RT_RW, area__path__startswith=area.path).select_related("area")
    if not heads:
        return []
    if is_postgres():
        day = "(r.created_at AT TIME ZONE CAST(? AS TEXT))::date"
        day_param: Any = timezone
    else:
        day = "date(r.created_at, ?)"
        # SQLite has no zone database: a fixed offset, right for Asia/Jakarta (no daylight saving).
        offset = start.utcoffset() or timedelta()
        day_param = f"{int(offset.total_seconds() // 60):+d} minutes"
    placeholders = ", ".join("?" for _ in heads)
    days = await _rows(
        f"""SELECT r.author_id AS author_id, {day} AS day, COUNT(*) AS submitted,
              SUM(CASE WHEN v.verdict = 'VALID' THEN 1 ELSE 0 END) AS valid
            FROM report r LEFT JOIN verification v ON v.report_id = r.id
            WHERE r.kind = 'DUTY' AND r.created_at >= ? AND r.created_at < ? AND r.author_id IN ({placeholders})
            GROUP BY 1, 2""",
        [day_param, moment_param(start), moment_param(end), *[h.id for h in heads]],
    )
    result = []
    for head in heads:
        if head.area is None:  # a head without an area heads nothing: no duty to count
            continue
        mine = [d for d in days if d["author_id"] == head.id]
        valid = sum(int(d["valid"] or 0) for d in mine)
        rate = rates.rw if head.area.level == AreaLevel.RW else rates.rt
        result.append(
            DutyCompliance(
                account=head,
                area=head.area,
                submitted=sum(int(d["submitted"]) for d in mine),
                valid=valid,
                days_compliant=sum(1 for d in mine if int(d["valid"] or 0) >= 3),
                payable_amount=min(valid, rates.monthly_cap) * rate,
            )
        )
    return result
