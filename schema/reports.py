"""Reports and what hangs off them: photos, follow-ups, events, verification (comments: schema/comments.py).

A field that answers with database rows declares them as its Python return type and the Strawberry type
that reads them as `graphql_type` (a string where that type comes later in this module)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from models import Account as AccountRow
from models import Agency as AgencyRow
from models import Area as AreaRow
from models import Asset as AssetRow
from models import Category as CategoryRow
from models import City as CityRow
from models import Comment as CommentRow
from models import FixRating as FixRatingRow
from models import Flag as FlagRow
from models import FollowUp as FollowUpRow
from models import Photo as PhotoRow
from models import Report as ReportRow
from models import ReportEvent as EventRow
from models import Verification as VerificationRow
from models.enums import BADGE_OF_STATUS, FollowTarget
from plumbing.keyset import Page
from resolvers import reports as resolve
from resolvers.context import Info
from resolvers.loaders import Known, known
from schema.accounts import Account
from schema.comments import CommentConnection
from schema.connections import Connection
from schema.enums import Badge, EventKind, RejectReason, ReportKind, ReportStatus, Verdict
from schema.flags import ReportFlag
from schema.node import GeoPoint, Node, global_id
from schema.places import Agency, Area, Category, City
from services import maps

if TYPE_CHECKING:
    from schema.assets import Asset
# schema/assets.py lists an asset's reports: each module names the other's type lazily.
AssetType = Annotated["Asset", strawberry.lazy("schema.assets")]

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

    @strawberry.field(
        description="For officials who may act on the report (null for everyone else, and when the upload "
        "carried none): when the camera says the photo was taken (EXIF; a time without a zone is read in the "
        "city's)."
    )
    async def taken_at(self, root: strawberry.Parent[PhotoRow], info: Info) -> datetime | None:
        return await resolve.photo_taken_at(info, root)


@strawberry.type(name="Verification")
class Verification:
    verdict: Verdict
    note: str | None
    created_at: datetime

    @strawberry.field(graphql_type=Account)
    async def verifier(self, root: strawberry.Parent[VerificationRow], info: Info) -> AccountRow | None:
        return await info.context.loaders.account.load(root.verifier_id)


@strawberry.type(name="FollowUp")
class FollowUp:
    note: str
    created_at: datetime

    @strawberry.field
    def id(self, root: strawberry.Parent[FollowUpRow]) -> strawberry.ID:
        return strawberry.ID(str(root.id))

    @strawberry.field(graphql_type=Account)
    async def officer(self, root: strawberry.Parent[FollowUpRow], info: Info) -> AccountRow | None:
        return await info.context.loaders.account.load(root.officer_id)

    @strawberry.field(description="At least one: the proof that the work was done.", graphql_type=list[Photo])
    async def photos(self, root: strawberry.Parent[FollowUpRow], info: Info) -> list[PhotoRow]:
        return await info.context.loaders.follow_up_photos.load(root.id)

    @strawberry.field(
        description="For officials who may act on the report and admins (null for everyone else): whether the "
        "proof photos carry GPS within 200 m of the report and a capture time after the report was created (and "
        "not in the future). False when a photo contradicts either; null when the photos carry neither."
    )
    async def proof_consistent(self, root: strawberry.Parent[FollowUpRow], info: Info) -> bool | None:
        return await resolve.proof_consistent(info, root)


@strawberry.type(name="FixRating", description="The reporter's verdict on a fix, 1 (not fixed) to 5 (well fixed).")
class FixRating:
    stars: int
    comment: str | None
    created_at: datetime


@strawberry.type(name="ReportEvent")
class ReportEvent:
    kind: EventKind
    status: ReportStatus = strawberry.field(description="The status after this event.")
    note: str | None
    created_at: datetime

    @strawberry.field
    def id(self, root: strawberry.Parent[EventRow]) -> strawberry.ID:
        return strawberry.ID(str(root.id))

    @strawberry.field(
        description="Null where showing it would reveal an anonymous reporter.",
        graphql_type=Account | None,
    )
    async def actor(self, root: strawberry.Parent[EventRow], info: Info) -> AccountRow | None:
        return await resolve.event_actor(info, root)


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
    id: strawberry.ID = global_id("Report")

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, ReportRow)

    # The fields a feed card shows are synchronous: on a page their values are loaded already (see
    # resolvers.reports.cards), and `known` hands graphql-core a future only when they are not.
    @strawberry.field(graphql_type=Category)
    def category(self, root: strawberry.Parent[ReportRow], info: Info) -> Known[CategoryRow | None]:
        return known(info.context.loaders.category, root.category_id)

    @strawberry.field
    def location(self, root: strawberry.Parent[ReportRow]) -> GeoPoint:
        return GeoPoint(lat=root.lat, lng=root.lng)

    @strawberry.field(description="The village (kelurahan) that contains the location.", graphql_type=Area | None)
    def area(self, root: strawberry.Parent[ReportRow], info: Info) -> Known[AreaRow | None]:
        area_id = root.area_id
        return known(info.context.loaders.area, area_id) if area_id else None

    @strawberry.field(
        description="The city that contains the location; null when it lies in no city Warga knows.",
        graphql_type=City | None,
    )
    async def city(self, root: strawberry.Parent[ReportRow], info: Info) -> CityRow | None:
        city_id = root.city_id
        return await info.context.loaders.city.load(city_id) if city_id else None

    @strawberry.field(
        description="False while the report's city is not a partner (or unknown): public, but no official is "
        "responsible and no SLA runs."
    )
    def handled(self, root: strawberry.Parent[ReportRow]) -> bool:
        return root.handled

    @strawberry.field(description="The asset the reporter pointed at, if any.", graphql_type=AssetType | None)
    async def asset(self, root: strawberry.Parent[ReportRow], info: Info) -> AssetRow | None:
        asset_id = root.asset_id
        return await info.context.loaders.asset.load(asset_id) if asset_id else None

    @strawberry.field(description="The RIVER_BASIN whose polygon contains the location.", graphql_type=AssetType | None)
    async def river_basin(self, root: strawberry.Parent[ReportRow], info: Info) -> AssetRow | None:
        basin_id = root.river_basin_id
        return await info.context.loaders.asset.load(basin_id) if basin_id else None

    @strawberry.field(description="The agency responsible now.", graphql_type=Agency | None)
    def agency(self, root: strawberry.Parent[ReportRow], info: Info) -> Known[AgencyRow | None]:
        agency_id = root.agency_id
        return known(info.context.loaders.agency, agency_id) if agency_id else None

    @strawberry.field(
        description="Null when the report is anonymous, for everyone but ADMIN.",
        graphql_type=Account | None,
    )
    def author(self, root: strawberry.Parent[ReportRow], info: Info) -> Known[AccountRow | None]:
        return resolve.report_author(info, root)

    @strawberry.field(
        description="A link an Open311 app sent instead of a photo; for officials who may act on the report "
        "(null for everyone else). The server never fetches it."
    )
    def external_media_url(self, root: strawberry.Parent[ReportRow], info: Info) -> str | None:
        return resolve.external_media_url(info, root)

    @strawberry.field(graphql_type=list[Photo])
    def photos(self, root: strawberry.Parent[ReportRow], info: Info) -> Known[list[PhotoRow]]:
        return known(info.context.loaders.report_photos, root.id)

    @strawberry.field(graphql_type=list[Account])
    async def mentions(self, root: strawberry.Parent[ReportRow], info: Info) -> list[AccountRow]:
        return [m.account for m in await info.context.loaders.report_mentions.load(root.id)]

    @strawberry.field
    def badge(self, root: strawberry.Parent[ReportRow]) -> Badge:
        return BADGE_OF_STATUS[root.status]

    @strawberry.field(graphql_type=list[FollowUp])
    async def follow_ups(self, root: strawberry.Parent[ReportRow], info: Info) -> list[FollowUpRow]:
        return await info.context.loaders.follow_ups.load(root.id)

    @strawberry.field(graphql_type=CommentConnection)
    async def comments(
        self, root: strawberry.Parent[ReportRow], info: Info, first: int | None = 20, after: str | None = None
    ) -> Page[CommentRow]:
        return await resolve.report_comments(info, root, first, after)

    @strawberry.field(graphql_type=bool)
    def viewer_has_supported(self, root: strawberry.Parent[ReportRow], info: Info) -> Known[bool]:
        return known(info.context.loaders.viewer_supported, root.id)

    @strawberry.field(
        description="Following a report notifies the follower of every change to it.", graphql_type=bool
    )
    def viewer_follows(self, root: strawberry.Parent[ReportRow], info: Info) -> Known[bool]:
        return known(info.context.loaders.viewer_follows, (FollowTarget.REPORT, root.id))

    @strawberry.field(
        description="The open (undecided) flags, oldest first, for the report's moderators: the area heads of an area "
        "containing it, a CITY_ADMIN of its city, ADMIN. An empty list for everyone else.",
        graphql_type=list[ReportFlag],
    )
    def flags(self, root: strawberry.Parent[ReportRow], info: Info) -> Known[list[FlagRow]]:
        return resolve.flags(info, root)

    @strawberry.field(description="Every change, oldest first.", graphql_type=list[ReportEvent])
    async def timeline(self, root: strawberry.Parent[ReportRow], info: Info) -> list[EventRow]:
        return await resolve.timeline(info, root)

    @strawberry.field(graphql_type="Report | None")
    async def duplicate_of(self, root: strawberry.Parent[ReportRow], info: Info) -> ReportRow | None:
        return await resolve.visible_report(info, root.duplicate_of_id)

    @strawberry.field(description="DUTY reports only.", graphql_type=Verification | None)
    async def verification(self, root: strawberry.Parent[ReportRow], info: Info) -> VerificationRow | None:
        return await resolve.verification(info, root)

    @strawberry.field
    def is_overdue(self, root: strawberry.Parent[ReportRow]) -> bool:
        return resolve.is_overdue(root)

    @strawberry.field(description="The reporter's rating of the latest fix; null until rated.",
                      graphql_type=FixRating | None)
    async def rating(self, root: strawberry.Parent[ReportRow], info: Info) -> FixRatingRow | None:
        return await resolve.rating(info, root)

    @strawberry.field(description="0 until the deadline passes; then 1, 2, … for each level the report went up.")
    def escalation_level(self, root: strawberry.Parent[ReportRow]) -> int:
        return root.escalation_level

    @strawberry.field(description="The head area now answerable (kelurahan → kecamatan → kota) when escalated.",
                      graphql_type=Area | None)
    def escalated_to(self, root: strawberry.Parent[ReportRow], info: Info) -> Known[AreaRow | None]:
        area_id = root.escalated_to_id
        return known(info.context.loaders.area, area_id) if area_id else None

    @strawberry.field
    def reject_reason(self, root: strawberry.Parent[ReportRow]) -> RejectReason | None:
        return root.reject_reason


@strawberry.type
class ReportConnection(Connection[Report]):
    pass


@strawberry.type(description="Reports grouped into one map marker at a zoom level.")
class MapCluster:
    center: GeoPoint
    count: int

    @strawberry.field(description="Set when count is 1.", graphql_type=Report | None)
    async def report(self, root: strawberry.Parent[maps.Cluster], info: Info) -> ReportRow | None:
        return await resolve.visible_report(info, root.report_id)
