"""Input types of the contract. Each converts itself into the services' terms (global IDs become
primary keys), the one conversion that HTTP and the WebSocket hub share."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.file_uploads import Upload

from resolvers.ids import optional_pk
from schema.enums import ReportKind, ReportStatus, Role
from services.feed import BBox, FeedFilter
from services.reports import NewReport


@strawberry.input
class BBoxInput:
    south: float
    west: float
    north: float
    east: float

    def bbox(self) -> BBox:
        return BBox(south=self.south, west=self.west, north=self.north, east=self.east)


@strawberry.input
class ReportFilter:
    area_id: strawberry.ID | None = strawberry.field(default=None, description="Includes every descendant area.")
    agency_id: strawberry.ID | None = None
    category_codes: list[str] | None = None
    statuses: list[ReportStatus] | None = None
    kind: ReportKind | None = None
    author_id: strawberry.ID | None = None
    bbox: BBoxInput | None = None
    since: datetime | None = None
    text: str | None = strawberry.field(
        default=None,
        description="Words to find in the report's text (full-text search that understands Indonesian word forms).",
    )
    city_id: strawberry.ID | None = None
    asset_id: strawberry.ID | None = None
    handled: bool | None = strawberry.field(
        default=None,
        description="True: only reports that officials handle; false: only reports outside every partner city.",
    )
    verified: bool | None = strawberry.field(
        default=None,
        description="True: only reports a verifier has judged (VALID or INVALID); false: only those not judged yet.",
    )

    def feed_filter(self) -> FeedFilter:
        """The filter in the services' terms: what the feed, the map and the live subscriptions apply."""
        return FeedFilter(
            area_id=optional_pk(self.area_id, "Area"),
            agency_id=optional_pk(self.agency_id, "Agency"),
            category_codes=self.category_codes,
            statuses=self.statuses,
            kind=self.kind,
            author_id=optional_pk(self.author_id, "Account"),
            bbox=self.bbox.bbox() if self.bbox is not None else None,
            since=self.since,
            text=self.text,
            city_id=optional_pk(self.city_id, "City"),
            handled=self.handled,
            asset_id=optional_pk(self.asset_id, "Asset"),
            verified=self.verified,
        )


@strawberry.input
class CreateReportInput:
    body: str
    category_code: str
    lat: float
    lng: float
    photos: list[Upload] = strawberry.field(
        description="At least 1 image (JPEG, PNG or WebP), at most the server's photo limit "
        "(WARGA_MAX_PHOTOS_PER_REPORT)."
    )
    address: str | None = None
    anonymous: bool | None = False
    kind: ReportKind | None = strawberry.field(
        default=ReportKind.CITIZEN, description="DUTY only for RT_RW accounts, about their own area."
    )
    client_mutation_id: str | None = strawberry.field(
        default=None,
        description="Idempotency key chosen by the client: a retry with the same key returns the same report.",
    )
    asset_id: strawberry.ID | None = strawberry.field(
        default=None, description="An asset from nearbyAssets; it must lie within 250 m of the report's location."
    )

    def new_report(self, photos: list[bytes]) -> NewReport:
        """The report to post, with the photos' bytes (read from `self.photos` under the photo policy)."""
        return NewReport(
            body=self.body,
            category_code=self.category_code,
            lat=self.lat,
            lng=self.lng,
            photos=photos,
            address=self.address,
            anonymous=bool(self.anonymous),
            kind=self.kind or ReportKind.CITIZEN,
            client_mutation_id=self.client_mutation_id,
            asset_id=optional_pk(self.asset_id, "Asset"),
        )


@strawberry.input
class CreateAccountInput:
    handle: str
    display_name: str
    password: str
    role: Role
    area_id: strawberry.ID | None = None
    agency_id: strawberry.ID | None = None
    email: str | None = None
    phone: str | None = None

