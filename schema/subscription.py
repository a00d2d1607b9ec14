"""The Subscription root. Its fields are served by subscriptions/ over WebSocket (graphql-transport-ws):
the hub executes each field's selection set per event, with the event's object as the field's value.
Through any other transport (HTTP multipart subscriptions) they answer with a clear error.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Never

import strawberry

from core.errors import BadInput
from schema.assets import Asset
from schema.enums import AssetKind
from schema.inputs import ReportFilter
from schema.polls import Poll
from schema.reports import Report, ReportEvent
from schema.social import Notification

OVER_WEBSOCKET = "Subscriptions are served over WebSocket at /graphql with the graphql-transport-ws protocol."


async def _websocket_only() -> AsyncGenerator[Never, None]:
    """Yields nothing (so it stands in for a generator of any type): it refuses at once."""
    raise BadInput(OVER_WEBSOCKET)
    yield  # an async generator, as Strawberry requires of subscription fields


def _notifications() -> AsyncGenerator[Notification, None]:
    return _websocket_only()


@strawberry.type
class Subscription:
    @strawberry.subscription(description="New reports that match the filter, as they are created.")
    def report_added(self, filter: ReportFilter | None = None) -> AsyncGenerator[Report, None]:
        return _websocket_only()

    @strawberry.subscription(
        description="Every new event on one report: status changes, follow-ups, forwarding, verification."
    )
    def report_changed(self, report_id: strawberry.ID) -> AsyncGenerator[ReportEvent, None]:
        return _websocket_only()

    @strawberry.subscription(description="New and changed reports that match the filter: what a live timeline needs.")
    def feed_updated(self, filter: ReportFilter | None = None) -> AsyncGenerator[Report, None]:
        return _websocket_only()

    # Two names for one stream (the hub serves both as live.Stream.NOTIFICATIONS): the base contract's, and the
    # web app's.
    notification_received = strawberry.subscription(
        resolver=_notifications, description="The viewer's own notifications; requires authentication.")
    notification_added = strawberry.subscription(
        resolver=_notifications, description="The viewer's new notifications, as they are created; requires "
        "authentication.")

    @strawberry.subscription(description="New and changed reports of the viewer's homeFeed; requires authentication.")
    def home_feed_updated(self) -> AsyncGenerator[Report, None]:
        return _websocket_only()

    @strawberry.subscription(
        description="An asset whose current state changed (status, alert level, pumps running), filtered like assets."
    )
    def asset_changed(
        self, kinds: list[AssetKind] | None = None, area_id: strawberry.ID | None = None
    ) -> AsyncGenerator[Asset, None]:
        return _websocket_only()

    @strawberry.subscription(
        description="Counts as they change (to viewers who may see them), and the opening and the closing."
    )
    def poll_updated(self, poll_id: strawberry.ID) -> AsyncGenerator[Poll, None]:
        return _websocket_only()
