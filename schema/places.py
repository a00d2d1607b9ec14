"""Areas, agencies, categories and cities."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from models import Agency as AgencyRow
from models import Area as AreaRow
from models import Category as CategoryRow
from models import City as CityRow
from models.enums import FollowTarget
from resolvers import catalog
from resolvers.context import Info
from schema.enums import AreaLevel, AssetKind
from schema.node import GeoPoint, Node, global_id


@strawberry.type(name="Area")
class Area(Node):
    code: str
    name: str
    level: AreaLevel
    id: strawberry.ID = global_id("Area")

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, AreaRow)

    @strawberry.field(graphql_type="Area | None")
    async def parent(self, root: strawberry.Parent[AreaRow], info: Info) -> AreaRow | None:
        parent_id = root.parent_id
        return await info.context.loaders.area.load(parent_id) if parent_id else None

    @strawberry.field(graphql_type="list[Area]")
    async def children(self, root: strawberry.Parent[AreaRow], info: Info) -> list[AreaRow]:
        return await info.context.loaders.area_children.load(root.id)

    @strawberry.field
    def centroid(self, root: strawberry.Parent[AreaRow]) -> GeoPoint | None:
        if root.centroid_lat is None or root.centroid_lng is None:
            return None
        return GeoPoint(lat=root.centroid_lat, lng=root.centroid_lng)

    @strawberry.field
    async def viewer_follows(self, root: strawberry.Parent[AreaRow], info: Info) -> bool:
        return await info.context.loaders.viewer_follows.load((FollowTarget.AREA, root.id))

    @strawberry.field(
        description="The city this area lies in (itself for a CITY area); null above city level.",
        graphql_type="City | None",
    )
    async def city(self, root: strawberry.Parent[AreaRow], info: Info) -> CityRow | None:
        return await info.context.loaders.city_of_path.load(root.path)


@strawberry.type(name="Agency")
class Agency(Node):
    code: str
    name: str
    id: strawberry.ID = global_id("Agency")

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, AgencyRow)

    @strawberry.field(
        description="The area the agency serves (a suku dinas serves one city).",
        graphql_type=Area | None,
    )
    async def area(self, root: strawberry.Parent[AgencyRow], info: Info) -> AreaRow | None:
        area_id = root.area_id
        return await info.context.loaders.area.load(area_id) if area_id else None


@strawberry.type(name="Category")
class Category:
    code: str
    name: str

    @strawberry.field(graphql_type=Agency | None)
    async def agency(self, root: strawberry.Parent[CategoryRow], info: Info) -> AgencyRow | None:
        agency_id = root.agency_id
        return await info.context.loaders.agency.load(agency_id) if agency_id else None

    @strawberry.field
    def sla_hours(self, root: strawberry.Parent[CategoryRow]) -> int:
        return root.sla_hours

    @strawberry.field(
        description="Hours after the SLA deadline before each further escalation step; null: no escalation for "
        "this category."
    )
    def escalate_every_hours(self, root: strawberry.Parent[CategoryRow]) -> int | None:
        return root.escalate_every_hours

    @strawberry.field(
        description="Asset kinds that a report in this category is usually about (street light out: STREET_LIGHT); "
        "empty for none."
    )
    def asset_kinds(self, root: strawberry.Parent[CategoryRow]) -> list[AssetKind]:
        return [AssetKind(kind) for kind in root.asset_kinds]

    @strawberry.field(
        description="The city whose catalog holds this category; null for the national defaults.",
        graphql_type="City | None",
    )
    async def city(self, root: strawberry.Parent[CategoryRow], info: Info) -> CityRow | None:
        city_id = root.city_id
        return await info.context.loaders.city.load(city_id) if city_id else None


@strawberry.type(
    name="City",
    description="A city government (pemerintah kota / kabupaten) that Warga knows: its CITY area, its own "
    "catalog and rules.",
)
class City(Node):
    id: strawberry.ID = global_id("City")
    timezone: str = strawberry.field(
        description="IANA time zone of the city (Asia/Jakarta, Asia/Makassar, Asia/Jayapura): days, months and duty "
        "reports are counted in it."
    )
    partner_since: datetime | None = strawberry.field(
        description="When the partnership began; SLAs of reports created earlier start from this moment."
    )

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, CityRow)

    @strawberry.field(
        description="Kemendagri code of the city, e.g. 31.75 (Jakarta Timur) or 32.71 (Kota Bogor); Open311's "
        "jurisdiction_id."
    )
    async def code(self, root: strawberry.Parent[CityRow], info: Info) -> str:
        return (await _city_area(root, info)).code

    @strawberry.field
    async def name(self, root: strawberry.Parent[CityRow], info: Info) -> str:
        return (await _city_area(root, info)).name

    @strawberry.field(description="The CITY-level area.", graphql_type=Area)
    async def area(self, root: strawberry.Parent[CityRow], info: Info) -> AreaRow:
        return await _city_area(root, info)

    @strawberry.field(
        description="A partner city's officials receive its reports and are held to its SLAs; elsewhere reports are "
        "public but unhandled."
    )
    def partner(self, root: strawberry.Parent[CityRow]) -> bool:
        return root.partner_since is not None

    @strawberry.field(
        description="The city's catalog: the national defaults, with the city's own categories in place of those "
        "of the same code, and its additions.",
        graphql_type=list[Category],
    )
    async def categories(self, root: strawberry.Parent[CityRow]) -> list[CategoryRow]:
        return await catalog.categories(root.id)

    @strawberry.field(description="The agencies that serve inside the city.", graphql_type=list[Agency])
    async def agencies(self, root: strawberry.Parent[CityRow]) -> list[AgencyRow]:
        return await catalog.agencies(root.id)


async def _city_area(city: CityRow, info: Info) -> AreaRow:
    area = await info.context.loaders.area.load(city.area_id)
    assert area is not None  # a city's area is deleted with it (CASCADE)
    return area
