"""The Query root: each field hands its arguments to a resolver."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers import accounts, catalog, social, stats
from resolvers import reports as report_resolvers
from resolvers.context import Info
from schema.accounts import Account
from schema.enums import AreaLevel, PerformanceUnit
from schema.inputs import BBoxInput, ReportFilter, as_dict
from schema.node import Node
from schema.places import Agency, Area, Category
from schema.reports import MapCluster, Report, ReportConnection
from schema.social import NotificationConnection
from schema.stats import DutyCompliance, PerformanceRow


@strawberry.type
class Query:
    @strawberry.field
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await catalog.node(info, id)  # type: ignore[return-value]

    @strawberry.field
    def me(self, info: Info) -> Account | None:
        return info.context.viewer  # type: ignore[return-value]

    @strawberry.field(description="The public transparency feed, newest first.")
    async def feed(
        self, info: Info, filter: ReportFilter | None = None, first: int | None = 20, after: str | None = None
    ) -> ReportConnection:
        return await report_resolvers.feed(info, as_dict(filter), first, after)  # type: ignore[return-value]

    @strawberry.field(
        description="The viewer's own timeline, newest first: reports in the areas they follow (with descendant "
        "areas), by the accounts they follow, the reports they follow, and their own."
    )
    async def home_feed(self, info: Info, first: int | None = 20, after: str | None = None) -> ReportConnection:
        return await report_resolvers.home_feed(info, first, after)  # type: ignore[return-value]

    @strawberry.field
    async def report(self, info: Info, id: strawberry.ID) -> Report | None:
        return await report_resolvers.report(info, id)  # type: ignore[return-value]

    @strawberry.field(description="Open reports near a point, nearest first: shown before posting to avoid duplicates.")
    async def nearby_reports(
        self, info: Info, lat: float, lng: float, radius_meters: int | None = 250, category_code: str | None = None
    ) -> list[Report]:
        return await report_resolvers.nearby(info, lat, lng, radius_meters, category_code)  # type: ignore[return-value]

    @strawberry.field
    async def map_clusters(
        self, info: Info, bbox: BBoxInput, zoom: int, filter: ReportFilter | None = None
    ) -> list[MapCluster]:
        return await report_resolvers.map_clusters(  # type: ignore[return-value]
            info, as_dict(bbox), zoom, as_dict(filter)
        )

    @strawberry.field
    async def account(self, info: Info, handle: str) -> Account | None:
        return await accounts.account(info, handle)  # type: ignore[return-value]

    @strawberry.field
    async def categories(self) -> list[Category]:
        return await catalog.categories()  # type: ignore[return-value]

    @strawberry.field
    async def areas(self, parent_id: strawberry.ID | None = None, level: AreaLevel | None = None) -> list[Area]:
        return await catalog.areas(parent_id, level)  # type: ignore[return-value,arg-type]

    @strawberry.field
    async def agencies(self) -> list[Agency]:
        return await catalog.agencies()  # type: ignore[return-value]

    @strawberry.field
    async def notifications(
        self, info: Info, first: int | None = 20, after: str | None = None, unread_only: bool | None = False
    ) -> NotificationConnection:
        return await social.notifications_page(info, first, after, bool(unread_only))  # type: ignore[return-value]

    @strawberry.field(
        description="One row per unit of that kind; areaId keeps only the units inside that area. Sorted by rank."
    )
    async def performance(
        self,
        info: Info,
        unit: PerformanceUnit,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
        area_id: strawberry.ID | None = None,
    ) -> list[PerformanceRow]:
        return await stats.performance(info, unit, from_, to, area_id)  # type: ignore[return-value,arg-type]

    @strawberry.field(description="Every RT/RW head inside the area; month is YYYY-MM.")
    async def duty_compliance(self, info: Info, area_id: strawberry.ID, month: str) -> list[DutyCompliance]:
        return await stats.duty_compliance(info, area_id, month)  # type: ignore[return-value]
