"""RT/RW duty compliance: each head's month of DUTY reports, verdicts and payable amount, as one SQL
aggregate per day; Python sums at most a month of days. (Rankings: services/performance.py.)"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.errors import BadInput, Forbidden, NotFound, Unauthenticated
from models import Account, Area, City
from models.enums import AreaLevel, Role
from plumbing.dialect import is_postgres, moment_param, sql_rows
from services import cities, permissions


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


def rates_of(city: City | None, defaults: DutyRates) -> DutyRates:
    """The city's own duty-payment rates where it set them, the deployment's elsewhere."""
    if city is None:
        return defaults
    return DutyRates(
        rt=city.duty_rate_rt if city.duty_rate_rt is not None else defaults.rt,
        rw=city.duty_rate_rw if city.duty_rate_rw is not None else defaults.rw,
        monthly_cap=city.duty_monthly_cap if city.duty_monthly_cap is not None else defaults.monthly_cap,
    )


async def duty_compliance(
    viewer: Account | None, area_id: int, month: str, defaults: DutyRates, default_zone: str
) -> list[DutyCompliance]:
    """Every RT/RW head inside the area: the month's DUTY reports, verdicts and payable amount, the month and
    its days counted in the area's city's zone, paid at the city's rates (the defaults above city level)."""
    if viewer is None:
        raise Unauthenticated()
    area = await Area.get_or_none(id=area_id)
    if area is None:
        raise NotFound("No such area.")
    viewer_area = await Area.get_or_none(id=viewer.area_id) if viewer.area_id else None
    officials = {Role.AREA_HEAD, Role.VERIFIER, Role.OFFICER}
    inside = viewer_area is not None and (area.path.startswith(viewer_area.path))
    if not (permissions.administers(viewer, area.path) or (viewer.role in officials and inside)):
        raise Forbidden("Duty compliance is for the city admin and the officials of the area.")
    city = await cities.city_of_path(area.path)
    rates = rates_of(city, defaults)
    timezone = city.timezone if city is not None else default_zone
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
        # SQLite has no zone database: a fixed offset, right for Indonesia's zones (no daylight saving).
        offset = start.utcoffset() or timedelta()
        day_param = f"{int(offset.total_seconds() // 60):+d} minutes"
    placeholders = ", ".join("?" for _ in heads)
    days = await sql_rows(
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
