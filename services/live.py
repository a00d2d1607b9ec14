"""Live timelines: which committed event concerns which subscriber, by the same rules as the feeds."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from core.errors import Unauthenticated
from models import Account, Asset, Notification, Poll, Report, ReportEvent
from models.areas import path_ids
from models.enums import AssetKind
from plumbing import outbox
from services import permissions, poll_results
from services.feed import FeedFilter, feed_query, home_query


class Stream(Enum):
    """What a live subscription follows."""

    NEW_REPORTS = "new reports"  # reports as they are created, that match a filter
    REPORT_TIMELINE = "a report's timeline"  # every new event on one report
    FEED = "a feed"  # new and changed reports that match a filter
    NOTIFICATIONS = "your notifications"  # the viewer's own
    HOME_FEED = "your home feed"  # new and changed reports of the viewer's home feed
    POLL = "a poll"  # one poll's opening, its counts as they change (to viewers who may see them), its closing
    ASSETS = "assets"  # assets whose state changed, of the kinds and inside the area asked for


SIGNED_IN_ONLY = frozenset({Stream.NOTIFICATIONS, Stream.HOME_FEED})


@dataclass(frozen=True)
class Interest:
    """What one subscription asks for: its stream and arguments, seen by one viewer."""

    stream: Stream
    viewer: Account | None
    filter: FeedFilter | None = None
    report_id: int | None = None
    poll_id: int | None = None
    asset_kinds: frozenset[AssetKind] | None = None
    area_id: int | None = None

    @property
    def key(self) -> tuple[object, ...]:
        """Equal for subscriptions that an event concerns alike."""
        return (self.stream, repr(self.filter), self.report_id, self.poll_id, self.asset_kinds, self.area_id,
                self.viewer.id if self.viewer else None)

    def check(self) -> None:
        if self.stream in SIGNED_IN_ONLY and self.viewer is None:
            raise Unauthenticated(f"Sign in to follow {self.stream.value}.")


@dataclass
class Event:
    """One outbox event, with what was loaded for it shared by every subscriber it is matched against."""

    id: int
    topic: str
    payload: dict[str, Any]
    _report: tuple[Report | None] | None = field(default=None, init=False)  # a 1-tuple once loaded
    _change: tuple[ReportEvent | None] | None = field(default=None, init=False)
    _poll: tuple[Poll | None] | None = field(default=None, init=False)

    async def report(self) -> Report | None:
        if self._report is None:
            self._report = (await Report.get_or_none(id=self.payload["report_id"]),)
        return self._report[0]

    async def report_event(self) -> ReportEvent | None:
        if self._change is None:
            event_id = self.payload.get("event_id")
            self._change = (await ReportEvent.get_or_none(id=event_id) if event_id else None,)
        return self._change[0]

    async def poll(self) -> Poll | None:
        if self._poll is None:
            self._poll = (await Poll.get_or_none(id=self.payload["poll_id"]),)
        return self._poll[0]


async def _poll_match(interest: Interest, event: Event) -> Poll | None:
    """A poll's subscribers hear of its opening and closing; of a ballot only those who may see counts
    (a hidden count must not leak through the rhythm of the events either)."""
    if interest.stream != Stream.POLL or event.payload["poll_id"] != interest.poll_id:
        return None
    poll = await event.poll()
    if poll is None:
        return None
    if event.payload["change"] == "votes" and not await poll_results.sees_counts(interest.viewer, poll):
        return None
    return poll


async def _asset_match(interest: Interest, event: Event) -> Asset | None:
    """Assets are public: their subscribers hear of those of the kinds and inside the area they asked for."""
    if interest.stream != Stream.ASSETS:
        return None
    asset = await Asset.get_or_none(id=event.payload["asset_id"])
    if asset is None or (interest.asset_kinds and asset.kind not in interest.asset_kinds):
        return None
    return asset if interest.area_id is None or interest.area_id in path_ids(asset.area_path) else None


async def _visible_match(query: Any, report_id: int) -> bool:
    return bool(await query.filter(id=report_id).exists())


async def match(interest: Interest, event: Event) -> object | None:
    """The value the subscription yields for this event, or None when it does not concern it."""
    viewer = interest.viewer
    if event.topic == outbox.NOTIFICATION:
        if interest.stream != Stream.NOTIFICATIONS or viewer is None or event.payload["account_id"] != viewer.id:
            return None
        return await Notification.get_or_none(id=event.payload["notification_id"])
    if event.topic == outbox.POLL:
        return await _poll_match(interest, event)
    if event.topic == outbox.ASSET:
        return await _asset_match(interest, event)
    if event.topic != outbox.REPORT:
        return None
    created = event.payload["created"]
    report_id = event.payload["report_id"]
    if interest.stream == Stream.REPORT_TIMELINE:
        if created or report_id != interest.report_id:
            return None
        report, change = await event.report(), await event.report_event()
        if report is None or change is None or not permissions.may_see(viewer, report):
            return None
        return change if permissions.may_see_event(viewer, report, change.kind) else None
    if interest.stream == Stream.NEW_REPORTS and not created:
        return None
    if interest.stream in (Stream.NEW_REPORTS, Stream.FEED):
        matched = await _visible_match(await feed_query(interest.filter, viewer), report_id)
    elif interest.stream == Stream.HOME_FEED and viewer is not None:
        matched = await _visible_match(home_query(viewer), report_id)
    else:
        return None
    return await event.report() if matched else None
