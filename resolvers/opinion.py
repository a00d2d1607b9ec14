"""Resolvers for public opinion: trending topics and category surges of an area."""

from __future__ import annotations

from datetime import datetime

from resolvers.context import Info
from resolvers.ids import optional_pk
from services import surges, trends


async def trending_topics(
    info: Info, area_id: str | None, start: datetime, end: datetime, first: int | None
) -> list[trends.TrendingTopic]:
    return await trends.trending_topics(info.context.viewer, optional_pk(area_id, "Area"), start, end, first)


async def category_surges(info: Info, area_id: str | None, window_hours: int | None) -> list[surges.CategorySurge]:
    return await surges.surges(info.context.viewer, optional_pk(area_id, "Area"), window_hours)
