"""Resolvers for performance rankings and duty compliance."""

from __future__ import annotations

from datetime import datetime

from models.enums import PerformanceUnit
from resolvers.context import Info
from resolvers.ids import optional_pk, pk_of
from services import performance as ranking
from services import stats


async def performance(
    info: Info, unit: PerformanceUnit, start: datetime, end: datetime, area_id: str | None
) -> list[ranking.PerformanceRow]:
    minimum = info.context.resources.settings.ranking_min_reports
    return await ranking.performance(PerformanceUnit(unit), start, end, optional_pk(area_id, "Area"), minimum)


async def duty_compliance(info: Info, area_id: str, month: str) -> list[stats.DutyCompliance]:
    resources = info.context.resources
    return await stats.duty_compliance(
        info.context.viewer, pk_of(area_id, "Area"), month, resources.duty_rates, resources.settings.city_timezone
    )
