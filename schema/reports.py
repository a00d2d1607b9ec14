"""Reports and what hangs off them: photos, follow-ups, comments, events, verification."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from models import Comment as CommentRow
from models import FollowUp as FollowUpRow
from models import Photo as PhotoRow
from models import Report as ReportRow
from models import ReportEvent as EventRow
from models import Verification as VerificationRow
from models.enums import BADGE_OF_STATUS, FollowTarget
from resolvers import reports as resolve
from resolvers.context import Info
from resolvers.ids import to_global_id
from resolvers.loaders import known
from schema.accounts import Account
from schema.connections import Connection
from schema.enums import Badge, EventKind, ReportKind, ReportStatus, Verdict
from schema.node import GeoPoint, Node
from schema.places import Agency, Area, Category


@strawberry.type
class Photo:
    width: int
    height: int

    @strawberry.field
    def id(self, root: strawberry.Parent[PhotoRow]) -> strawberry.ID:
        return strawberry.ID(str(root.id))

    @strawberry.field(description="Re-encoded image with every metadata block removed.")
    def url(self, root: strawberry.Parent[PhotoRow], info: Info) -> str:
        return resolve.photo_url(info, root)

    @strawberry.field
    def thumbnail_url(self, root: strawberry.Parent[PhotoRow], info: Info) -> str:
        return resolve.thumbnail_url(info, root)

    @strawberry.field(
        description="For officials who may act on the report (null for everyone else, and when the upload "
        "carried no GPS): metres between where the photo says it was taken and the report's location."
    )
    async def distance_from_report_meters(self, root: strawberry.Parent[PhotoRow], info: Info) -> float | None:
        return await resolve.photo_distance(info, root)


@strawberry.type(name="Verification")
class Verification:
    verdict: Verdict
    note: str | None
    created_at: datetime

    @strawberry.field
    async def verifier(self, root: strawberry.Parent[VerificationRow], info: Info) -> Account:
        return await info.context.loaders.account.load(root.verifier_id)  # type: ignore[attr-defined,return-value]


@strawberry.type(name="FollowUp")
class FollowUp:
    note: str
    created_at: datetime

    @strawberry.field
    def id(self, root: strawberry.Parent[FollowUpRow]) -> strawberry.ID:
        return strawberry.ID(str(root.id))

    @strawberry.field
    async def officer(self, root: strawberry.Parent[FollowUpRow], info: Info) -> Account:
        return await info.context.loaders.account.load(root.officer_id)  # type: ignore[attr-defined,return-value]

    @strawberry.field(description="At least one: the proof that the work was done.")
    async def photos(self, root: strawberry.Parent[FollowUpRow], info: Info) -> list[Photo]:
        return await info.context.loaders.follow_up_photos.load(root.id)


@strawberry.type(name="ReportEvent")
class ReportEvent:
    kind: EventKind
    status: ReportStatus = strawberry.field(description="The status after this event.")
    note: str | None
    created_at: datetime

    @strawberry.field
    def id(self, root: strawberry.Parent[EventRow]) -> strawberry.ID:
        return strawberry.ID(str(root.id))

    @strawberry.field(description="Null where showing it would reveal an anonymous reporter.")
    async def actor(self, root: strawberry.Parent[EventRow], info: Info) -> Account | None:
        return await resolve.event_actor(info, root)  # type: ignore[return-value]


@strawberry.type(name="Comment")
class Comment(Node):
    body: str
    created_at: datetime

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, CommentRow)

    @strawberry.field
    def id(self, root: strawberry.Parent[CommentRow]) -> strawberry.ID:
        return strawberry.ID(to_global_id("Comment", root.id))

    @strawberry.field
    async def report(self, root: strawberry.Parent[CommentRow], info: Info) -> Report:
        return await info.context.loaders.report.load(root.report_id)  # type: ignore[attr-defined,return-value]

    @strawberry.field
    async def author(self, root: strawberry.Parent[CommentRow], info: Info) -> Account:
        return await resolve.comment_author(info, root)  # type: ignore[return-value]

    @strawberry.field
    async def mentions(self, root: strawberry.Parent[CommentRow], info: Info) -> list[Account]:
        return [m.account for m in await info.context.loaders.comment_mentions.load(root.id)]


@strawberry.type
class CommentConnection(Connection[Comment]):
    pass


@strawberry.type(name="Report")
class Report(Node):
    kind: ReportKind
    body: str
    address: str | None
    status: ReportStatus
    comment_count: int
    support_count: int
    hidden: bool = strawberry.field(
        description="Hidden by a moderator: gone from public feeds, still visible to officials."
    )
    due_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, ReportRow)

    @strawberry.field
    def id(self, root: strawberry.Parent[ReportRow]) -> strawberry.ID:
        return strawberry.ID(to_global_id("Report", root.id))

    # The fields a feed card shows are synchronous: on a page their values are loaded already (see
    # resolvers.reports.cards), and `known` hands graphql-core a future only when they are not.
    @strawberry.field
    def category(self, root: strawberry.Parent[ReportRow], info: Info) -> Category:
        return known(info.context.loaders.category, root.category_id)  # type: ignore[attr-defined,return-value]

    @strawberry.field
    def location(self, root: strawberry.Parent[ReportRow]) -> GeoPoint:
        return GeoPoint(lat=root.lat, lng=root.lng)

    @strawberry.field(description="The village (kelurahan) that contains the location.")
    def area(self, root: strawberry.Parent[ReportRow], info: Info) -> Area | None:
        area_id = root.area_id  # type: ignore[attr-defined]
        return known(info.context.loaders.area, area_id) if area_id else None  # type: ignore[return-value]

    @strawberry.field(description="The agency responsible now.")
    def agency(self, root: strawberry.Parent[ReportRow], info: Info) -> Agency | None:
        agency_id = root.agency_id  # type: ignore[attr-defined]
        return known(info.context.loaders.agency, agency_id) if agency_id else None  # type: ignore[return-value]

    @strawberry.field(description="Null when the report is anonymous, for everyone but ADMIN.")
    def author(self, root: strawberry.Parent[ReportRow], info: Info) -> Account | None:
        return resolve.report_author(info, root)  # type: ignore[return-value]

    @strawberry.field(
        description="A link an Open311 app sent instead of a photo; for officials who may act on the report "
        "(null for everyone else). The server never fetches it."
    )
    def external_media_url(self, root: strawberry.Parent[ReportRow], info: Info) -> str | None:
        return resolve.external_media_url(info, root)

    @strawberry.field
    def photos(self, root: strawberry.Parent[ReportRow], info: Info) -> list[Photo]:
        return known(info.context.loaders.report_photos, root.id)  # type: ignore[return-value]

    @strawberry.field
    async def mentions(self, root: strawberry.Parent[ReportRow], info: Info) -> list[Account]:
        return [m.account for m in await info.context.loaders.report_mentions.load(root.id)]

    @strawberry.field
    def badge(self, root: strawberry.Parent[ReportRow]) -> Badge:
        return BADGE_OF_STATUS[root.status]  # type: ignore[return-value]

    @strawberry.field
    async def follow_ups(self, root: strawberry.Parent[ReportRow], info: Info) -> list[FollowUp]:
        return await info.context.loaders.follow_ups.load(root.id)

    @strawberry.field
    async def comments(
        self, root: strawberry.Parent[ReportRow], info: Info, first: int | None = 20, after: str | None = None
    ) -> CommentConnection:
        return await resolve.report_comments(info, root, first, after)  # type: ignore[return-value]

    @strawberry.field
    def viewer_has_supported(self, root: strawberry.Parent[ReportRow], info: Info) -> bool:
        return known(info.context.loaders.viewer_supported, root.id)  # type: ignore[return-value]

    @strawberry.field(description="Following a report notifies the follower of every change to it.")
    def viewer_follows(self, root: strawberry.Parent[ReportRow], info: Info) -> bool:
        return known(info.context.loaders.viewer_follows, (FollowTarget.REPORT, root.id))  # type: ignore[return-value]

    @strawberry.field(description="Every change, oldest first.")
    async def timeline(self, root: strawberry.Parent[ReportRow], info: Info) -> list[ReportEvent]:
        return await resolve.timeline(info, root)  # type: ignore[return-value]

    @strawberry.field
    async def duplicate_of(self, root: strawberry.Parent[ReportRow], info: Info) -> Report | None:
        return await resolve.visible_report(info, root.duplicate_of_id)  # type: ignore[attr-defined,return-value]

    @strawberry.field(description="DUTY reports only.")
    async def verification(self, root: strawberry.Parent[ReportRow], info: Info) -> Verification | None:
        return await resolve.verification(info, root)  # type: ignore[return-value]

    @strawberry.field
    def is_overdue(self, root: strawberry.Parent[ReportRow]) -> bool:
        return resolve.is_overdue(root)


@strawberry.type
class ReportConnection(Connection[Report]):
    pass


@strawberry.type(description="Reports grouped into one map marker at a zoom level.")
class MapCluster:
    center: GeoPoint
    count: int

    @strawberry.field(description="Set when count is 1.")
    async def report(self, root: strawberry.Parent[Any], info: Info) -> Report | None:
        return await resolve.visible_report(info, root.report_id)  # type: ignore[return-value]
