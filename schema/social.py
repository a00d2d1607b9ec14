"""Notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from models import Notification as NotificationRow
from resolvers.context import Info
from resolvers.ids import to_global_id
from resolvers.reports import visible_report
from schema.connections import Connection
from schema.enums import NotificationKind
from schema.node import Node
from schema.reports import Comment, Report


@strawberry.type(name="Notification")
class Notification(Node):
    kind: NotificationKind
    read: bool
    created_at: datetime

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, NotificationRow)

    @strawberry.field
    def id(self, root: strawberry.Parent[NotificationRow]) -> strawberry.ID:
        return strawberry.ID(to_global_id("Notification", root.id))

    @strawberry.field
    async def report(self, root: strawberry.Parent[NotificationRow], info: Info) -> Report | None:
        return await visible_report(info, root.report_id)  # type: ignore[attr-defined,return-value]

    @strawberry.field
    async def comment(self, root: strawberry.Parent[NotificationRow], info: Info) -> Comment | None:
        comment_id = root.comment_id  # type: ignore[attr-defined]
        return await info.context.loaders.comment.load(comment_id) if comment_id else None  # type: ignore[return-value]


@strawberry.type
class NotificationConnection(Connection[Notification]):
    pass
