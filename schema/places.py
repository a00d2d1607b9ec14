"""Areas, agencies and categories."""

from __future__ import annotations

from typing import Any

import strawberry

from models import Agency as AgencyRow
from models import Area as AreaRow
from models import Category as CategoryRow
from models.enums import FollowTarget
from resolvers.context import Info
from schema.enums import AreaLevel
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
