"""Live timelines: which committed event concerns which subscriber, by the same rules as the feeds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.errors import BadInput, Unauthenticated
from models import Account, Notification, Report, ReportEvent
from plumbing import outbox
from services import permissions
from services.feed import FeedFilter, feed_query, home_query

FIELDS = ("reportAdded", "reportChanged", "feedUpdated", "notificationReceived", "homeFeedUpdated")
SIGNED_IN_ONLY = ("notificationReceived", "homeFeedUpdated")


@dataclass(frozen=True)
class Interest:
    """What one subscription asks for: its field and arguments, seen by one viewer."""

    field: str
    viewer: Account | None
    filter: FeedFilter | None = None
    report_id: int | None = None

    @property
    def key(self) -> tuple[object, ...]:
        """Equal for subscriptions that an event concerns alike."""
        return (self.field, repr(self.filter), self.report_id, self.viewer.id if self.viewer else None)

    def check(self) -> None:
        if self.field not in FIELDS:
            raise BadInput(f"Unknown subscription {self.field}.")
        if self.field in SIGNED_IN_ONLY and self.viewer is None:
            raise Unauthenticated(f"Sign in to subscribe to {self.field}.")


@dataclass
class Event:
    """One outbox event, with what was loaded for it shared by every subscriber it is matched against."""

    id: int
    topic: str
    payload: dict[str, Any]
    _loaded: dict[str, Any] = field(default_factory=dict)

    async def report(self) -> Report | None:
        if "report" not in self._loaded:
            self._loaded["report"] = await Report.get_or_none(id=self.payload["report_id"])
        return self._loaded["report"]  # type: ignore[no-any-return]

    async def report_event(self) -> ReportEvent | None:
        if "event" not in self._loaded:
            event_id = self.payload.get("event_id")
            self._loaded["event"] = await ReportEvent.get_or_none(id=event_id) if event_id else None
        return self._loaded["event"]  # type: ignore[no-any-return]


async def _visible_match(query: Any, report_id: int) -> bool:
    return bool(await query.filter(id=report_id).exists())


async def match(interest: Interest, event: Event) -> object | None:
    """The value the subscription yields for this event, or None when it does not concern it."""
    viewer = interest.viewer
    if event.topic == outbox.NOTIFICATION:
        if interest.field != "notificationReceived" or viewer is None or event.payload["account_id"] != viewer.id:
            return None
        return await Notification.get_or_none(id=event.payload["notification_id"])
    if event.topic != outbox.REPORT:
        return None
    created = event.payload["created"]
    report_id = event.payload["report_id"]
    if interest.field == "reportChanged":
        if created or report_id != interest.report_id:
            return None
        report, change = await event.report(), await event.report_event()
        if report is None or change is None or not permissions.may_see(viewer, report):
            return None
        return change if permissions.may_see_event(viewer, report, change.kind) else None
    if interest.field == "reportAdded" and not created:
        return None
    if interest.field in ("reportAdded", "feedUpdated"):
        matched = await _visible_match(await feed_query(interest.filter, viewer), report_id)
    elif interest.field == "homeFeedUpdated" and viewer is not None:
        matched = await _visible_match(home_query(viewer), report_id)
    else:
        return None
    return await event.report() if matched else None
