"""The city's assets, their readings and the flood picture."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import strawberry

from models import Agency as AgencyRow
from models import Area as AreaRow
from models import Asset as AssetRow
from models import AssetReading as ReadingRow
from models import Report as ReportRow
from plumbing.keyset import Page
from resolvers import assets as resolve
from resolvers.context import Info
from schema.accounts import Account
from schema.connections import Connection
from schema.enums import AlertLevel, AssetKind, AssetStatus
from schema.node import GeoPoint, Node, global_id
from schema.places import Agency, Area
from services.readings import NewReading

if TYPE_CHECKING:
    from schema.reports import ReportConnection


@strawberry.type(name="AssetReading")
class AssetReading:
    status: AssetStatus
    water_level_cm: int | None
    alert_level: AlertLevel | None
    pumps_running: int | None
    note: str | None
    measured_at: datetime = strawberry.field(
        description="When it was measured (may be earlier than when it reached Warga)."
    )

    @strawberry.field(
        description="Who recorded it: an official's account, or the account of the gauge's telemetry gateway.",
        graphql_type=Account | None,
    )
    async def recorded_by(self, root: strawberry.Parent[ReadingRow], info: Info) -> Any:
        recorded_by = root.recorded_by_id
        return await info.context.loaders.account.load(recorded_by) if recorded_by else None


@strawberry.type
class AssetReadingConnection(Connection[AssetReading]):
    pass


@strawberry.type(name="Asset")
class Asset(Node):
    code: str = strawberry.field(description="Unique across the city's assets, e.g. PA-MANGGARAI or PJU-JT-004512.")
    name: str
    kind: AssetKind
    status: AssetStatus
    water_level_cm: int | None = strawberry.field(
        description="FLOODGATE and WATER_LEVEL_POST: the latest water level in centimetres."
    )
    alert_level: AlertLevel | None = strawberry.field(
        description="FLOODGATE and WATER_LEVEL_POST: the level that waterLevelCm falls in, by this gauge's own "
        "thresholds."
    )
    pumps_running: int | None = strawberry.field(description="PUMP_STATION: pumps running at the latest reading.")
    pumps_total: int | None = strawberry.field(description="PUMP_STATION: pumps installed.")
    last_reading_at: datetime | None
    siaga3_cm: int | None = strawberry.field(description="Gauges: the thresholds of their alert levels, in cm.")
    siaga2_cm: int | None
    siaga1_cm: int | None
    expected_reading_minutes: int | None = strawberry.field(
        description="Silent longer than this after its last reading, the asset is OFFLINE."
    )
    id: strawberry.ID = global_id("Asset")

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, AssetRow)

    @strawberry.field(description="The asset itself for points; a representative point inside lines and polygons.")
    def location(self, root: strawberry.Parent[AssetRow]) -> GeoPoint:
        return GeoPoint(lat=root.lat, lng=root.lng)

    @strawberry.field(
        description="The full shape as a GeoJSON geometry object (Point, LineString, MultiLineString, Polygon or "
        "MultiPolygon), serialised as text."
    )
    def geometry(self, root: strawberry.Parent[AssetRow]) -> str:
        return orjson.dumps(root.geometry).decode()

    @strawberry.field(description="The village (kelurahan) at its location.", graphql_type=Area | None)
    async def area(self, root: strawberry.Parent[AssetRow], info: Info) -> AreaRow | None:
        area_id = root.area_id
        return await info.context.loaders.area.load(area_id) if area_id else None

    @strawberry.field(
        description="The agency that runs it (e.g. Dinas Sumber Daya Air for pumps and gates).",
        graphql_type=Agency | None,
    )
    async def agency(self, root: strawberry.Parent[AssetRow], info: Info) -> AgencyRow | None:
        agency_id = root.agency_id
        return await info.context.loaders.agency.load(agency_id) if agency_id else None

    @strawberry.field(description="Newest first.", graphql_type=AssetReadingConnection)
    async def readings(self, root: strawberry.Parent[AssetRow], first: int | None = 50,
                       after: str | None = None) -> Page[ReadingRow]:
        return await resolve.readings_of(root, first, after)

    @strawberry.field(description="Reports attached to this asset, newest first.",
                      graphql_type=Annotated["ReportConnection", strawberry.lazy("schema.reports")])
    async def reports(self, root: strawberry.Parent[AssetRow], info: Info, first: int | None = 20,
                      after: str | None = None) -> Page[ReportRow]:
        return await resolve.reports(info, root, first, after)

    @strawberry.field(description="Attached reports that are not FOLLOWED_UP, CLOSED or REJECTED.")
    async def open_report_count(self, root: strawberry.Parent[AssetRow], info: Info) -> int:
        return await info.context.loaders.open_reports.load(root.id)


@strawberry.type(
    name="FloodStatus",
    description="The flood situation at a glance, over the assets inside an area (every asset when none is given).",
)
class FloodStatus:
    highest_alert: AlertLevel = strawberry.field(
        description="The most dangerous level at any gauge; SIAGA_4 when every gauge is normal or there is none."
    )
    gauges: list[Asset] = strawberry.field(
        description="Gauges (floodgates and water-level posts) at each alert level, most dangerous first."
    )
    pump_stations: int
    pumps_running: int
    pumps_total: int
    pump_stations_down: int = strawberry.field(description="Pump stations whose status is FAULT or OFFLINE.")
    flood_reports_last_24h: int = strawberry.field(
        name="floodReportsLast24h",
        description="CITIZEN reports in flood categories (those about pump stations) created in the last 24 hours.",
    )


@strawberry.input
class AssetReadingInput:
    status: AssetStatus | None = None
    water_level_cm: int | None = None
    pumps_running: int | None = None
    note: str | None = None
    measured_at: datetime | None = strawberry.field(
        default=None,
        description="Defaults to now; a reading older than the asset's latest is stored in its history but does not "
        "change the current state.",
    )

    def reading(self) -> NewReading:
        return NewReading(status=self.status, water_level_cm=self.water_level_cm, pumps_running=self.pumps_running,
                          note=self.note, measured_at=self.measured_at)
