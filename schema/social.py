"""Notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from models import Asset as AssetRow
from models import Comment as CommentRow
from models import Notification as NotificationRow
from models import Poll as PollRow
from models import Report as ReportRow
from resolvers.context import Info
from resolvers.reports import visible_report
from schema.assets import Asset
from schema.comments import Comment
from schema.connections import Connection
from schema.enums import NotificationKind
from schema.node import Node, global_id
from schema.polls import Poll
from schema.reports import Report


@strawberry.type(name="Notification")
class Notification(Node):
    kind: NotificationKind
    read: bool
    created_at: datetime
    id: strawberry.ID = global_id("Notification")

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, NotificationRow)

    @strawberry.field(graphql_type=Report | None)
    async def report(self, root: strawberry.Parent[NotificationRow], info: Info) -> ReportRow | None:
        return await visible_report(info, root.report_id)

    @strawberry.field(graphql_type=Comment | None)
    async def comment(self, root: strawberry.Parent[NotificationRow], info: Info) -> CommentRow | None:
        comment_id = root.comment_id
        return await info.context.loaders.comment.load(comment_id) if comment_id else None

    @strawberry.field(description="The asset that raised the alert (ASSET_ALERT).", graphql_type=Asset | None)
    async def asset(self, root: strawberry.Parent[NotificationRow], info: Info) -> AssetRow | None:
        asset_id = root.asset_id
        return await info.context.loaders.asset.load(asset_id) if asset_id else None

    @strawberry.field(description="The poll that opened (POLL_OPENED).", graphql_type=Poll | None)
    async def poll(self, root: strawberry.Parent[NotificationRow], info: Info) -> PollRow | None:
        poll_id = root.poll_id
        return await info.context.loaders.poll.load(poll_id) if poll_id else None


@strawberry.type
class NotificationConnection(Connection[Notification]):
    pass
