"""The Query root: each field hands its arguments to a resolver.

A field that answers with database rows (or the services' values) declares them as its Python return
type and the Strawberry type that reads them as `graphql_type`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from tortoise.models import Model

from models import Account as AccountRow
from models import Agency as AgencyRow
from models import Area as AreaRow
from models import Asset as AssetRow
from models import Category as CategoryRow
from models import City as CityRow
from models import Notification as NotificationRow
from models import Poll as PollRow
from models import Report as ReportRow
from plumbing.keyset import Page
from resolvers import accounts, catalog, opinion, polls, social, stats
from resolvers import assets as asset_resolvers
from resolvers import reports as report_resolvers
from resolvers.context import Info
from resolvers.ids import optional_pk
from schema.accounts import Account
from schema.assets import Asset, FloodStatus
from schema.enums import AreaLevel, AssetKind, AssetStatus, PerformanceUnit, PollStatus
from schema.inputs import BBoxInput, ReportFilter
from schema.node import Node
from schema.opinion import CategorySurge, TrendingTopic
from schema.places import Agency, Area, Category, City
from schema.polls import PollConnection
from schema.reports import MapCluster, Report, ReportConnection
from schema.social import NotificationConnection
from schema.stats import DutyCompliance, PerformanceRow
from services import maps, trends
from services import performance as ranking
from services import stats as stats_service
from services import surges as surge_service
from services.assets import MAX_IN_BOX
from services.flood import FloodStatus as FloodStatusRow


@strawberry.type
class Query:
    @strawberry.field(graphql_type=Node | None)
    async def node(self, info: Info, id: strawberry.ID) -> Model | None:
        return await catalog.node(info, id)

    @strawberry.field(graphql_type=Account | None)
    def me(self, info: Info) -> AccountRow | None:
        return info.context.viewer

    @strawberry.field(description="The public transparency feed, newest first.", graphql_type=ReportConnection)
    async def feed(
        self, info: Info, filter: ReportFilter | None = None, first: int | None = 20, after: str | None = None
    ) -> Page[ReportRow]:
        return await report_resolvers.feed(info, filter.feed_filter() if filter else None, first, after)

    @strawberry.field(
        description="The viewer's own timeline, newest first: reports in the areas they follow (with descendant "
        "areas), by the accounts they follow, the reports they follow, and their own.",
        graphql_type=ReportConnection,
    )
    async def home_feed(self, info: Info, first: int | None = 20, after: str | None = None) -> Page[ReportRow]:
        return await report_resolvers.home_feed(info, first, after)

    @strawberry.field(
        description="Officials: the reports they may act on (their area's subtree or their agency), WAITING, "
        "IN_PROGRESS or REOPENED; overdue first, then oldest first. CITIZEN reports unless filter.kind says otherwise. "
        "A VERIFIER: the DUTY reports of their kelurahan (filter kind: DUTY, and verified: false for those to judge), "
        "oldest first; a queue of DUTY reports is oldest first for anyone.",
        graphql_type=ReportConnection,
    )
    async def work_queue(
        self, info: Info, filter: ReportFilter | None = None, first: int | None = 20, after: str | None = None
    ) -> Page[ReportRow]:
        return await report_resolvers.work_queue(info, filter.feed_filter() if filter else None, first, after)

    @strawberry.field(
        description="Moderators (an AREA_HEAD: their area's subtree; a CITY_ADMIN: their city; ADMIN: everywhere): "
        "the reports shown to the public that have at least one open flag, the oldest open flag first. keepReport "
        "and hideReport decide a report's flags, and it leaves the list until it is flagged again.",
        graphql_type=ReportConnection,
    )
    async def flagged_reports(self, info: Info, first: int | None = 20, after: str | None = None) -> Page[ReportRow]:
        return await report_resolvers.flagged_reports(info, first, after)

    @strawberry.field(graphql_type=Report | None)
    async def report(self, info: Info, id: strawberry.ID) -> ReportRow:
        return await report_resolvers.report(info, id)

    @strawberry.field(
        description="Open reports near a point, nearest first: shown before posting to avoid duplicates.",
        graphql_type=list[Report],
    )
    async def nearby_reports(
        self, info: Info, lat: float, lng: float, radius_meters: int | None = 250, category_code: str | None = None
    ) -> list[ReportRow]:
        return await report_resolvers.nearby(info, lat, lng, radius_meters, category_code)

    @strawberry.field(graphql_type=list[MapCluster])
    async def map_clusters(
        self, info: Info, bbox: BBoxInput, zoom: int, filter: ReportFilter | None = None
    ) -> list[maps.Cluster]:
        return await report_resolvers.map_clusters(info, bbox.bbox(), zoom, filter.feed_filter() if filter else None)

    @strawberry.field(graphql_type=Account | None)
    async def account(self, info: Info, handle: str) -> AccountRow | None:
        return await accounts.account(info, handle)

    @strawberry.field(
        description="Accounts to offer while typing an @mention: officials responsible for the point and category "
        "first (the kelurahan's heads, the agency's officers), then accounts whose handle or name starts with text.",
        graphql_type=list[Account],
    )
    async def mention_suggestions(
        self, info: Info, text: str, lat: float | None = None, lng: float | None = None,
        category_code: str | None = None, first: int | None = 8,
    ) -> list[AccountRow]:
        return await accounts.mention_suggestions(info, text, lat, lng, category_code, first)

    @strawberry.field(
        description="The national defaults; with cityId, that city's catalog (its own categories replace the "
        "defaults of the same code).",
        graphql_type=list[Category],
    )
    async def categories(self, city_id: strawberry.ID | None = None) -> list[CategoryRow]:
        return await catalog.categories(optional_pk(city_id, "City"))

    @strawberry.field(graphql_type=list[Area])
    async def areas(self, parent_id: strawberry.ID | None = None, level: AreaLevel | None = None) -> list[AreaRow]:
        return await catalog.areas(parent_id, level)

    @strawberry.field(description="With cityId, those serving inside that city.", graphql_type=list[Agency])
    async def agencies(self, city_id: strawberry.ID | None = None) -> list[AgencyRow]:
        return await catalog.agencies(optional_pk(city_id, "City"))

    @strawberry.field(
        description=f"Assets whose shape meets the box, by code (at most {MAX_IN_BOX:,}).",
        graphql_type=list[Asset],
    )
    async def assets(
        self, kinds: list[AssetKind] | None = None, bbox: BBoxInput | None = None, area_id: strawberry.ID | None = None,
        statuses: list[AssetStatus] | None = None,
    ) -> list[AssetRow]:
        return await asset_resolvers.listed(kinds, bbox.bbox() if bbox else None, area_id, statuses)

    @strawberry.field(
        description="Assets near a point, nearest first: what the app offers when a report's category has assetKinds.",
        graphql_type=list[Asset],
    )
    async def nearby_assets(
        self, lat: float, lng: float, radius_meters: int | None = 100, kinds: list[AssetKind] | None = None
    ) -> list[AssetRow]:
        return await asset_resolvers.nearby(lat, lng, radius_meters or 100, kinds)

    @strawberry.field(graphql_type=FloodStatus)
    async def flood_status(self, area_id: strawberry.ID | None = None) -> FloodStatusRow:
        return await asset_resolvers.flood_status(area_id)

    @strawberry.field(description="Every city Warga knows, partners first.", graphql_type=list[City])
    async def cities(self) -> list[CityRow]:
        return await catalog.cities()

    @strawberry.field(graphql_type=City | None)
    async def city(self, code: str) -> CityRow | None:
        return await catalog.city(code)

    @strawberry.field(graphql_type=NotificationConnection)
    async def notifications(
        self, info: Info, first: int | None = 20, after: str | None = None, unread_only: bool | None = False
    ) -> Page[NotificationRow]:
        return await social.notifications_page(info, first, after, bool(unread_only))

    @strawberry.field(description="Unread notifications of the viewer.")
    async def unread_notification_count(self, info: Info) -> int:
        return await social.unread_count(info)

    @strawberry.field(
        description="One row per unit of that kind; areaId keeps only the units inside that area. The ranked units "
        "by rank, then the unranked ones (fewer reports than the ranking's minimum) by score.",
        graphql_type=list[PerformanceRow],
    )
    async def performance(
        self,
        info: Info,
        unit: PerformanceUnit,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
        area_id: strawberry.ID | None = None,
    ) -> list[ranking.PerformanceRow]:
        return await stats.performance(info, unit, from_, to, area_id)

    @strawberry.field(
        description="Every RT/RW head inside the area; month is YYYY-MM.", graphql_type=list[DutyCompliance]
    )
    async def duty_compliance(
        self, info: Info, area_id: strawberry.ID, month: str
    ) -> list[stats_service.DutyCompliance]:
        return await stats.duty_compliance(info, area_id, month)

    @strawberry.field(description="Newest first; areaId includes descendant areas.", graphql_type=PollConnection)
    async def polls(
        self,
        info: Info,
        area_id: strawberry.ID | None = None,
        status: PollStatus | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> Page[PollRow]:
        return await polls.polls_page(info, area_id, status, first, after)

    @strawberry.field(
        description="Officials of the area (and admins): the terms whose use grew most in [from, to) against the "
        "period before. Without areaId: an official's own area, or everywhere for an admin.",
        graphql_type=list[TrendingTopic],
    )
    async def trending_topics(
        self,
        info: Info,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
        area_id: strawberry.ID | None = None,
        first: int | None = 10,
    ) -> list[trends.TrendingTopic]:
        return await opinion.trending_topics(info, area_id, from_, to, first)

    @strawberry.field(
        description="Officials of the area (and admins): categories running at least 3 times their usual rate in "
        "the last windowHours (1 to 168). Without areaId: an official's own area, or everywhere for an admin.",
        graphql_type=list[CategorySurge],
    )
    async def surges(
        self, info: Info, area_id: strawberry.ID | None = None, window_hours: int | None = 24
    ) -> list[surge_service.CategorySurge]:
        return await opinion.category_surges(info, area_id, window_hours)
