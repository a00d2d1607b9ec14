"""Areas, agencies and categories."""

from __future__ import annotations

from typing import Any

import strawberry

from models import Agency as AgencyRow
from models import Area as AreaRow
from models import Category as CategoryRow
from models.enums import FollowTarget
from resolvers.context import Info
from resolvers.ids import to_global_id
from schema.enums import AreaLevel
from schema.node import GeoPoint, Node


@strawberry.type(name="Area")
class Area(Node):
    code: str
    name: str
    level: AreaLevel

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, AreaRow)

    @strawberry.field
    def id(self, root: strawberry.Parent[AreaRow]) -> strawberry.ID:
        return strawberry.ID(to_global_id("Area", root.id))

    @strawberry.field
    async def parent(self, root: strawberry.Parent[AreaRow], info: Info) -> Area | None:
        parent_id = root.parent_id  # type: ignore[attr-defined]
        return await info.context.loaders.area.load(parent_id) if parent_id else None  # type: ignore[return-value]

    @strawberry.field
    async def children(self, root: strawberry.Parent[AreaRow], info: Info) -> list[Area]:
        return await info.context.loaders.area_children.load(root.id)

    @strawberry.field
    def centroid(self, root: strawberry.Parent[AreaRow]) -> GeoPoint | None:
        if root.centroid_lat is None or root.centroid_lng is None:
            return None
        return GeoPoint(lat=root.centroid_lat, lng=root.centroid_lng)

    @strawberry.field
    async def viewer_follows(self, root: strawberry.Parent[AreaRow], info: Info) -> bool:
        return await info.context.loaders.viewer_follows.load((FollowTarget.AREA, root.id))


@strawberry.type(name="Agency")
class Agency(Node):
    code: str
    name: str

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, AgencyRow)

    @strawberry.field
    def id(self, root: strawberry.Parent[AgencyRow]) -> strawberry.ID:
        return strawberry.ID(to_global_id("Agency", root.id))

    @strawberry.field(description="The area the agency serves (a suku dinas serves one city).")
    async def area(self, root: strawberry.Parent[AgencyRow], info: Info) -> Area | None:
        area_id = root.area_id  # type: ignore[attr-defined]
        return await info.context.loaders.area.load(area_id) if area_id else None  # type: ignore[return-value]


@strawberry.type(name="Category")
class Category:
    code: str
    name: str

    @strawberry.field
    async def agency(self, root: strawberry.Parent[CategoryRow], info: Info) -> Agency | None:
        agency_id = root.agency_id  # type: ignore[attr-defined]
        return await info.context.loaders.agency.load(agency_id) if agency_id else None  # type: ignore[return-value]

    @strawberry.field
    def sla_hours(self, root: strawberry.Parent[CategoryRow]) -> int:
        return root.sla_hours
