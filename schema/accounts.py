"""Accounts, as others see them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from models import Account as AccountRow
from models.enums import FollowTarget
from resolvers import reports as report_resolvers
from resolvers.context import Info
from resolvers.ids import to_global_id
from schema.enums import Role
from schema.node import Node
from schema.places import Agency, Area
from services.auth import may_see_contact

if TYPE_CHECKING:
    from schema.reports import ReportConnection


@strawberry.type(name="Account")
class Account(Node):
    handle: str = strawberry.field(description="Unique, lower-case; what @mentions name.")
    role: Role

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, AccountRow)

    @strawberry.field
    def id(self, root: strawberry.Parent[AccountRow]) -> strawberry.ID:
        return strawberry.ID(to_global_id("Account", root.id))

    @strawberry.field
    def display_name(self, root: strawberry.Parent[AccountRow]) -> str:
        return root.display_name

    @strawberry.field
    async def area(self, root: strawberry.Parent[AccountRow], info: Info) -> Area | None:
        area_id = root.area_id  # type: ignore[attr-defined]
        return await info.context.loaders.area.load(area_id) if area_id else None  # type: ignore[return-value]

    @strawberry.field
    async def agency(self, root: strawberry.Parent[AccountRow], info: Info) -> Agency | None:
        agency_id = root.agency_id  # type: ignore[attr-defined]
        return await info.context.loaders.agency.load(agency_id) if agency_id else None  # type: ignore[return-value]

    @strawberry.field
    async def reports(
        self, root: strawberry.Parent[AccountRow], info: Info, first: int | None = 20, after: str | None = None
    ) -> Annotated[ReportConnection, strawberry.lazy("schema.reports")]:
        return await report_resolvers.account_reports(info, root.id, first, after)  # type: ignore[return-value]

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
    account: Account
