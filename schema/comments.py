"""Comments on a report."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from models import Account as AccountRow
from models import Comment as CommentRow
from models import Report as ReportRow
from resolvers import reports as resolve
from resolvers.context import Info
from schema.accounts import Account
from schema.connections import Connection
from schema.node import Node, global_id

if TYPE_CHECKING:
    from schema.reports import Report
# schema/reports.py lists a report's comments: each module names the other's type lazily.
ReportType = Annotated["Report", strawberry.lazy("schema.reports")]


@strawberry.type(name="Comment")
class Comment(Node):
    body: str
    created_at: datetime
    id: strawberry.ID = global_id("Comment")

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, CommentRow)

    @strawberry.field(graphql_type=ReportType)
    async def report(self, root: strawberry.Parent[CommentRow], info: Info) -> ReportRow | None:
        return await info.context.loaders.report.load(root.report_id)

    @strawberry.field(graphql_type=Account)
    async def author(self, root: strawberry.Parent[CommentRow], info: Info) -> AccountRow | None:
        return await resolve.comment_author(info, root)

    @strawberry.field(graphql_type=list[Account])
    async def mentions(self, root: strawberry.Parent[CommentRow], info: Info) -> list[AccountRow]:
        return [m.account for m in await info.context.loaders.comment_mentions.load(root.id)]


@strawberry.type
class CommentConnection(Connection[Comment]):
    pass
