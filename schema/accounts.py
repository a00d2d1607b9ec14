"""Accounts, as others see them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from models import Account as AccountRow
from models import Agency as AgencyRow
from models import Area as AreaRow
from models import Report as ReportRow
from models.enums import FollowTarget
from plumbing.keyset import Page
from resolvers import reports as report_resolvers
from resolvers.context import Info
from schema.enums import Role
from schema.node import Node, global_id
from schema.places import Agency, Area
from services.auth import may_see_contact

if TYPE_CHECKING:
    from schema.reports import ReportConnection


@strawberry.type(name="Account")
class Account(Node):
    handle: str = strawberry.field(description="Unique, lower-case; what @mentions name.")
    role: Role
    id: strawberry.ID = global_id("Account")

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, AccountRow)

    @strawberry.field
    def display_name(self, root: strawberry.Parent[AccountRow]) -> str:
        return root.display_name

    @strawberry.field(graphql_type=Area | None)
    async def area(self, root: strawberry.Parent[AccountRow], info: Info) -> AreaRow | None:
        area_id = root.area_id
        return await info.context.loaders.area.load(area_id) if area_id else None

    @strawberry.field(graphql_type=Agency | None)
    async def agency(self, root: strawberry.Parent[AccountRow], info: Info) -> AgencyRow | None:
        agency_id = root.agency_id
        return await info.context.loaders.agency.load(agency_id) if agency_id else None

    @strawberry.field(graphql_type=Annotated["ReportConnection", strawberry.lazy("schema.reports")])
    async def reports(
        self, root: strawberry.Parent[AccountRow], info: Info, first: int | None = 20, after: str | None = None
    ) -> Page[ReportRow]:
        return await report_resolvers.account_reports(info, root.id, first, after)

    @strawberry.field
    async def follower_count(self, root: strawberry.Parent[AccountRow], info: Info) -> int:
        return await info.context.loaders.follower_count.load((FollowTarget.ACCOUNT, root.id))

    @strawberry.field
    async def viewer_follows(self, root: strawberry.Parent[AccountRow], info: Info) -> bool:
        return await info.context.loaders.viewer_follows.load((FollowTarget.ACCOUNT, root.id))

    @strawberry.field(description="Only the account itself and ADMIN see it; null for everyone else.")
    def email(self, root: strawberry.Parent[AccountRow], info: Info) -> str | None:
        return root.email if may_see_contact(info.context.viewer, root) else None

    @strawberry.field(description="Only the account itself and ADMIN see it; null for everyone else.")
    def phone(self, root: strawberry.Parent[AccountRow], info: Info) -> str | None:
        return root.phone if may_see_contact(info.context.viewer, root) else None


@strawberry.type
class AuthPayload:
    token: str
    account: AccountRow = strawberry.field(graphql_type=Account)
